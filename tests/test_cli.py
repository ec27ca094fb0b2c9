"""End-to-end tests of the `spinlens` command, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spinlens.core.settings import MAX_INPUT_BYTES

EXAMPLE = Path(__file__).resolve().parents[1] / "spinlens" / "examples" / "harbour-deal.txt"


def spinlens(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "spinlens", *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def assert_clean_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("spinlens: error:")
    for fragment in fragments:
        assert fragment.lower() in lines[0].lower(), lines[0]


@pytest.fixture(scope="module")
def example_json() -> dict:
    result = spinlens("analyze", "--example", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_example_json_offsets_match_the_analysed_text(example_json: dict) -> None:
    text = example_json["article"]["text"]
    assert text == EXAMPLE.read_text(encoding="utf-8")
    kinds = {f["kind"] for f in example_json["findings"]}
    assert {"sourcing", "entity", "technique"} <= kinds
    for finding in example_json["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]
        assert 0.0 <= finding["score"] <= 1.0
        assert finding["reason"]
    assert [lab["kind"] for lab in example_json["labels"]].count("genre") == 1
    assert example_json["verdict"]


def test_cli_example_sourcing_separates_named_from_anonymous(example_json: dict) -> None:
    sourcing = [f for f in example_json["findings"] if f["kind"] == "sourcing"]
    classes = {f["label"] for f in sourcing}
    assert {"anonymous", "unattributed", "named_person"} <= classes
    speakers = " ".join((f["details"].get("speaker") or {}).get("text", "") for f in sourcing)
    assert "Brennan" in speakers
    assert "Ortega" in speakers
    summary = example_json["summaries"]["sourcing"]
    assert summary["total"] == len(sourcing)


def test_cli_reads_stdin_and_writes_markdown_and_html(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = spinlens("analyze", "-", "--format", "markdown", "--out", str(out), stdin=EXAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert "Harbour" in out.read_text(encoding="utf-8")
    html_out = tmp_path / "report.html"
    result = spinlens("analyze", str(EXAMPLE), "--format", "html", "--out", str(html_out))
    assert result.returncode == 0, result.stderr
    assert html_out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_cli_terminal_view_shows_verdict() -> None:
    result = spinlens("analyze", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "Verdict" in result.stdout or "verdict" in result.stdout


def test_cli_missing_file(tmp_path: Path) -> None:
    assert_clean_error(spinlens("analyze", str(tmp_path / "nope.txt")), "nope.txt")


def test_cli_empty_and_whitespace_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_clean_error(spinlens("analyze", str(empty)), "empty")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n  ")
    assert_clean_error(spinlens("analyze", str(blank)), "empty")


def test_cli_binary_data(tmp_path: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    assert_clean_error(spinlens("analyze", str(binary)), "binary")


def test_cli_file_over_size_limit_states_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MAX_INPUT_BYTES // 5 + 10))
    result = spinlens("analyze", str(big))
    assert_clean_error(result, "limit")
    assert "MiB" in result.stderr or "bytes" in result.stderr


def test_cli_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(EXAMPLE.read_bytes().replace(b"Hall", b"H\xe4ll", 1))
    result = spinlens("analyze", str(bad), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "UTF-8" in result.stderr
    data = json.loads(result.stdout)
    assert "\ufffd" in data["article"]["text"]
    assert any("UTF-8" in w for w in data["warnings"])


def test_cli_unreachable_url() -> None:
    assert_clean_error(spinlens("analyze", "http://spinlens-test.invalid/story"), "spinlens-test.invalid")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/"]
)
def test_cli_private_addresses_are_refused(url: str) -> None:
    result = spinlens("analyze", url)
    assert_clean_error(result)
    assert any(word in result.stderr.lower() for word in ("private", "loopback", "link-local", "not public"))


def test_cli_html_without_text(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    assert_clean_error(spinlens("analyze", str(page)), "text")


def test_cli_non_english_is_refused_unless_allowed(tmp_path: Path) -> None:
    russian = tmp_path / "ru.txt"
    russian.write_text(
        "Министр заявил, что бюджет города будет увеличен в следующем году. "
        "По словам источников, решение было принято на закрытом заседании правительства.",
        encoding="utf-8",
    )
    assert_clean_error(spinlens("analyze", str(russian)), "russian", "--allow-non-english")
    allowed = spinlens("analyze", str(russian), "--allow-non-english", "--format", "json")
    assert allowed.returncode == 0, allowed.stderr
    assert "warning" in allowed.stderr


def test_cli_bad_option_values_fail_without_traceback(tmp_path: Path) -> None:
    assert_clean_error(spinlens("analyze", str(EXAMPLE), "--format", "pdf"), "--format", "'pdf'", "--help")
    assert_clean_error(spinlens("analyze", "--example", "--profile", "turbo"), "--profile", "turbo")
    assert_clean_error(spinlens("predict", "semeval2023"), "missing argument")
    assert_clean_error(spinlens("bogus"), "no such command")
    result = spinlens("analyze", str(EXAMPLE), "--models", str(tmp_path / "missing"))
    assert_clean_error(result, "models")


def test_cli_fast_profile_finds_techniques_without_the_parse() -> None:
    result = spinlens("analyze", "--example", "--profile", "fast", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    kinds = {f["kind"] for f in data["findings"]}
    assert "technique" in kinds
    assert not kinds & {"sourcing", "entity"}
    assert "sourcing" not in data["analysers"]


def test_cli_train_then_predict_semeval2023_with_the_trained_models(tmp_path: Path) -> None:
    from test_models_semeval2023 import make_corpus

    data = make_corpus(tmp_path / "en")
    models = tmp_path / "models"
    trained = spinlens("train", "semeval2023", "--data", str(data), "--out", str(models))
    assert trained.returncode == 0, trained.stderr
    out = tmp_path / "pred"
    predicted = spinlens(
        "predict", "semeval2023", str(data / "articles"), "--out", str(out), "--models", str(models)
    )
    assert predicted.returncode == 0, predicted.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "labels-subtask-1.txt",
        "labels-subtask-2.txt",
        "labels-subtask-3-spans.txt",
        "labels-subtask-3.txt",
    ]
    articles = sorted((data / "articles").glob("article*.txt"))
    genres = (out / "labels-subtask-1.txt").read_text().splitlines()
    assert len(genres) == len(articles)
    assert all(line.split("\t")[1] in {"opinion", "reporting", "satire"} for line in genres)
    analysed = spinlens("analyze", "--example", "--format", "json", "--models", str(models))
    assert analysed.returncode == 0, analysed.stderr


def test_cli_predict_semeval2023_uses_the_encoder_unless_told_linear(tmp_path: Path) -> None:
    articles = Path(__file__).resolve().parent / "fixtures" / "semeval2023" / "articles"
    outputs = {}
    for name, extra in (("encoder", []), ("linear", ["--linear"])):
        result = spinlens("predict", "semeval2023", str(articles), "--out", str(tmp_path / name), *extra)
        assert result.returncode == 0, result.stderr
        outputs[name] = (tmp_path / name / "labels-subtask-3.txt").read_text(encoding="utf-8").splitlines()
    # One row for every non-empty line either way; the two models are different, so are their labels.
    assert [r.split("\t")[:2] for r in outputs["encoder"]] == [r.split("\t")[:2] for r in outputs["linear"]]
    spans = {
        name: (tmp_path / name / "labels-subtask-3-spans.txt").read_text(encoding="utf-8")
        for name in ("encoder", "linear")
    }
    assert spans["encoder"] != spans["linear"]


def test_cli_training_on_too_few_articles_is_a_clear_error(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "semeval2023"
    result = spinlens("train", "semeval2023", "--data", str(fixture), "--out", str(tmp_path / "m"))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("spinlens: error:") and "too few" in last
    assert not (tmp_path / "m").exists()


def test_cli_training_semeval2025_on_too_few_documents_is_a_clear_error(tmp_path: Path) -> None:
    from test_models_semeval2025 import _write_corpus

    corpus = _write_corpus(tmp_path / "tiny", n_per_kind=1)
    result = spinlens("train", "semeval2025", "--data", str(corpus), "--out", str(tmp_path / "m"))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("spinlens: error:") and "too few" in last, result.stderr
    assert not (tmp_path / "m").exists()


def test_cli_train_and_evaluate_refuse_a_missing_data_folder(tmp_path: Path) -> None:
    assert_clean_error(spinlens("evaluate", "semeval2023", "--data", str(tmp_path / "none")), "not found")
    missing = str(tmp_path / "none")
    assert_clean_error(
        spinlens("train", "semeval2025", "--data", missing, "--out", str(tmp_path)), "not found"
    )


def test_quick_exit_keeps_buffered_output_and_closed_pipe_fails() -> None:
    # `analyze` ends with os._exit (no teardown of the loaded models): what is still in
    # stdout's buffer must be written first, and a write that cannot be made must not pass.
    script = (
        "import sys\nfrom spinlens.cli import _exit_now\n"
        "sys.stdout.write('x' * int(sys.argv[1]))\n_exit_now(0)\n"
    )
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for size in (1_000, 200_003):  # within the buffer; past it, with a remainder left in it
        done = subprocess.run(
            [sys.executable, "-c", script, str(size)], capture_output=True, timeout=60, env=buffered
        )
        assert done.returncode == 0 and done.stdout == b"x" * size
    closed = subprocess.Popen(
        [sys.executable, "-c", script, "1000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=buffered
    )
    assert closed.stdout is not None
    closed.stdout.close()
    assert closed.wait(timeout=60) == 1


def test_cli_predict_refuses_a_file_as_out_before_predicting(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "article1.txt").write_text(
        "Invented title\n\nThe mayor said the plan was fine.\n", encoding="utf-8"
    )
    mentions = tmp_path / "mentions.txt"
    mentions.write_text("article1.txt\tmayor\t20\t25\n", encoding="utf-8")
    taken = tmp_path / "taken"
    taken.write_text("keep me", encoding="utf-8")
    assert_clean_error(spinlens("predict", "semeval2023", str(docs), "--out", str(taken)), "is a file")
    assert_clean_error(
        spinlens("predict", "semeval2025", str(docs), "--entities", str(mentions), "--out", str(taken)),
        "is a file",
    )
    assert taken.read_text(encoding="utf-8") == "keep me"


def test_failed_write_leaves_the_earlier_file_whole(tmp_path: Path) -> None:
    from spinlens.cli import write_file_safely

    report = tmp_path / "report.json"
    report.write_text("the earlier report", encoding="utf-8")
    report.chmod(0o640)
    with pytest.raises(UnicodeEncodeError):
        write_file_safely(report, "half a report \ud800 that cannot be encoded")
    assert report.read_text(encoding="utf-8") == "the earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind
    write_file_safely(report, "the new report")
    assert report.read_text(encoding="utf-8") == "the new report"
    assert report.stat().st_mode & 0o777 == 0o640
    write_file_safely(tmp_path / "new" / "folder" / "report.md", "# made")
    assert (tmp_path / "new" / "folder" / "report.md").read_text(encoding="utf-8") == "# made"
