"""`spinlens train all`: its fast failures and its comparison with the shipped models."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from spinlens.cli import app
from spinlens.core.errors import DataError, ModelError
from spinlens.train.output import check_output_folder, models_in
from spinlens.train.rebuild import COMPARED, SHIPPED_ROOT, compare_models, data_folders, rebuild_all
from spinlens.train.recipe import (
    ENCODER_EPOCHS,
    ENCODER_REFIT,
    ENCODER_SELF_TRAINING,
    ENCODER_STUDENT_EPOCHS,
    ENCODER_STUDENT_FROM_TEACHER,
    ENCODER_THREADS,
)
from spinlens.train.technique_encoder import check_replaceable, read_unlabelled

HAS_TORCH = importlib.util.find_spec("torch") is not None


def shipped_copy(tmp_path: Path) -> Path:
    root = tmp_path / "models"
    for task in COMPARED:
        shutil.copytree(SHIPPED_ROOT / task, root / task)
    return root


def status_of(checks: list, task: str, name: str) -> str:
    return next(c.status for c in checks if c.task == task and c.file == name)


def test_the_shipped_models_match_themselves() -> None:
    checks = compare_models(SHIPPED_ROOT, SHIPPED_ROOT)
    assert len(checks) == sum(len(files) for files in COMPARED.values())
    assert {c.status for c in checks} == {"identical"}


def test_a_changed_weight_array_is_reported(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    weights = root / "semeval2023" / "weights.npz"
    with np.load(weights, allow_pickle=False) as handle:
        arrays = {k: handle[k] for k in handle.files}
    name = next(k for k, v in arrays.items() if v.dtype.kind == "f" and v.size)
    arrays[name] = arrays[name].copy()
    arrays[name].flat[0] += 1.0
    np.savez_compressed(weights, **arrays)
    checks = compare_models(root)
    assert status_of(checks, "semeval2023", "weights.npz") == "differs"
    detail = next(c.detail for c in checks if c.file == "weights.npz" and c.task == "semeval2023")
    assert name in detail and "numbers by up to 1.0e+00" in detail
    assert status_of(checks, "semeval2025", "weights.npz") == "identical"


def test_a_changed_vocabulary_is_not_reported_as_rounding(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    weights = root / "semeval2023" / "weights.npz"
    with np.load(weights, allow_pickle=False) as handle:
        arrays = {k: handle[k] for k in handle.files}
    arrays["articles.word.terms"] = arrays["articles.word.terms"][::-1].copy()
    np.savez_compressed(weights, **arrays)
    detail = next(c.detail for c in compare_models(root) if c.file == "weights.npz")
    assert "articles.word.terms" in detail and "numbers by" not in detail


def test_the_same_numbers_stored_wider_are_reported(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    weights = root / "semeval2025" / "weights.npz"
    with np.load(weights, allow_pickle=False) as handle:
        arrays = {k: handle[k] for k in handle.files}
    name = next(k for k, v in arrays.items() if v.dtype == np.float16 and v.size)
    arrays[name] = arrays[name].astype(np.float32)
    np.savez_compressed(weights, **arrays)
    checks = compare_models(root)
    assert status_of(checks, "semeval2025", "weights.npz") == "differs"
    assert status_of(checks, "semeval2023", "weights.npz") == "identical"


def test_card_dates_do_not_count_but_settings_do(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    card_file = root / "semeval2025" / "model_card.json"
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card["trained_at"] = "1999-01-01T00:00:00Z"
    card_file.write_text(json.dumps(card), encoding="utf-8")
    assert status_of(compare_models(root), "semeval2025", "model_card.json") == "identical"

    config_file = root / "techniques_encoder" / "config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["span_low"] = config["span_low"] + 0.05
    config_file.write_text(json.dumps(config), encoding="utf-8")
    (root / "techniques_encoder" / "model.onnx").write_bytes(b"not the model")
    checks = compare_models(root)
    assert status_of(checks, "techniques_encoder", "config.json") == "differs"
    assert status_of(checks, "techniques_encoder", "model.onnx") == "differs"


def test_missing_files_are_reported(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    shutil.rmtree(root / "semeval2025")
    checks = compare_models(root)
    assert status_of(checks, "semeval2025", "weights.npz") == "missing"
    assert status_of(checks, "semeval2023", "weights.npz") == "identical"


def test_data_root_must_hold_both_tasks(tmp_path: Path) -> None:
    (tmp_path / "semeval2023-task3" / "en").mkdir(parents=True)
    with pytest.raises(DataError, match="semeval2025-task10"):
        data_folders(tmp_path)
    (tmp_path / "semeval2025-task10" / "EN").mkdir(parents=True)
    assert data_folders(tmp_path)[1] == tmp_path / "semeval2025-task10" / "EN"


def test_encoder_output_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(DataError, match=r"notes\.txt"):
        check_replaceable(folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"
    (folder / "notes.txt").unlink()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    check_replaceable(folder)  # an encoder-only folder may be replaced
    check_replaceable(tmp_path / "new")


@pytest.mark.skipif(HAS_TORCH, reason="checks the message given where PyTorch is missing")
def test_rebuild_says_pytorch_is_needed_before_training(tmp_path: Path) -> None:
    (tmp_path / "semeval2023-task3" / "en").mkdir(parents=True)
    (tmp_path / "semeval2025-task10" / "EN").mkdir(parents=True)
    with pytest.raises(ModelError, match="PyTorch"):
        rebuild_all(tmp_path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_train_all_rejects_a_missing_data_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["train", "all", "--data", str(tmp_path / "nope"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "data folder not found" in result.output


def test_cli_encoder_training_keeps_a_folder_with_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spinlens",
            "train",
            "techniques-encoder",
            "--data",
            str(tmp_path),
            "--out",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "holds other files (notes.txt)" in result.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_output_folders_are_recognised(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    assert models_in(root) == "root"
    for task in COMPARED:
        assert models_in(root / task) == task
    assert models_in(tmp_path / "new") is None


@pytest.mark.parametrize(
    ("task", "other"),
    [("semeval2025", "semeval2023"), ("semeval2023", "semeval2025"), ("semeval2023", "techniques_encoder")],
)
def test_training_never_writes_over_another_tasks_models(tmp_path: Path, task: str, other: str) -> None:
    root = shipped_copy(tmp_path)
    with pytest.raises(DataError, match=f"holds the {other} models"):
        check_output_folder(root / other, task)
    with pytest.raises(DataError, match="one folder per task"):
        check_output_folder(root, task)
    check_output_folder(root / task, task)  # retraining a task in its own folder is fine


def test_cli_semeval2025_training_refuses_a_semeval2023_folder(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    before = (root / "semeval2023" / "weights.npz").read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spinlens",
            "train",
            "semeval2025",
            "--data",
            str(tmp_path),
            "--out",
            str(root / "semeval2023"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "holds the semeval2023 models" in result.stderr
    assert (root / "semeval2023" / "weights.npz").read_bytes() == before


SHIPPED_STUDENT = (ENCODER_STUDENT_EPOCHS, ENCODER_STUDENT_FROM_TEACHER)


@pytest.mark.parametrize(
    ("flags", "epochs", "refit", "self_training", "student"),
    [
        ([], ENCODER_EPOCHS, ENCODER_REFIT, ENCODER_SELF_TRAINING, SHIPPED_STUDENT),
        (["--no-refit", "--epochs", "2", "--no-self-training"], 2, False, False, SHIPPED_STUDENT),
        (["--refit"], ENCODER_EPOCHS, True, ENCODER_SELF_TRAINING, SHIPPED_STUDENT),
        (["--self-training"], ENCODER_EPOCHS, ENCODER_REFIT, True, SHIPPED_STUDENT),
        (
            ["--student-from-minilm", "--student-epochs", "6"],
            ENCODER_EPOCHS,
            ENCODER_REFIT,
            ENCODER_SELF_TRAINING,
            (6, False),
        ),
        (["--student-from-teacher", "--student-epochs", "2"], ENCODER_EPOCHS, ENCODER_REFIT, True, (2, True)),
        (["--threads", "1"], ENCODER_EPOCHS, ENCODER_REFIT, ENCODER_SELF_TRAINING, SHIPPED_STUDENT),
    ],
)
def test_cli_train_all_follows_the_shipped_recipe_unless_told_otherwise(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    epochs: int,
    refit: bool,
    self_training: bool,
    student: tuple[int, bool],
) -> None:
    from spinlens.train import semeval2023, semeval2025, technique_encoder

    (tmp_path / "semeval2023-task3" / "en").mkdir(parents=True)
    documents = tmp_path / "semeval2025-task10" / "EN" / "raw-documents"
    documents.mkdir(parents=True)
    (documents / "EN_UA_1.txt").write_text("An invented article.\n", encoding="utf-8")
    seen: dict[str, object] = {}
    monkeypatch.setattr(technique_encoder, "check_training_extra", lambda: None)
    monkeypatch.setattr(semeval2023, "train", lambda *args: seen.setdefault("semeval2023", args))
    monkeypatch.setattr(semeval2025, "train", lambda *args: seen.setdefault("semeval2025", args))
    monkeypatch.setattr(
        technique_encoder,
        "train",
        lambda data, out, seed, settings, progress, checkpoint, unlabelled: seen.update(
            settings=settings, unlabelled=unlabelled
        ),
    )
    result = CliRunner().invoke(
        app, ["train", "all", "--data", str(tmp_path), "--out", str(tmp_path / "out"), *flags]
    )
    assert result.exit_code == 0, result.output
    assert set(seen) == {"semeval2023", "semeval2025", "settings", "unlabelled"}
    settings = seen["settings"]
    assert isinstance(settings, technique_encoder.FineTuneSettings)
    assert settings.refit is refit and settings.epochs == epochs
    assert (settings.student_epochs, settings.student_from_teacher) == student
    assert settings.threads == (1 if "--threads" in flags else ENCODER_THREADS)
    assert seen["unlabelled"] == (documents if self_training else None)


def test_cli_train_all_self_training_needs_the_semeval2025_articles_before_training(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spinlens.train import semeval2023, technique_encoder

    (tmp_path / "semeval2023-task3" / "en").mkdir(parents=True)
    (tmp_path / "semeval2025-task10" / "EN").mkdir(parents=True)
    monkeypatch.setattr(technique_encoder, "check_training_extra", lambda: None)
    trained: list[object] = []
    monkeypatch.setattr(semeval2023, "train", lambda *args: trained.append(args))
    result = CliRunner().invoke(
        app, ["train", "all", "--data", str(tmp_path), "--out", str(tmp_path / "out"), "--self-training"]
    )
    # The CLI's entry point turns a DataError into a one-line message (tested above through a subprocess).
    assert isinstance(result.exception, DataError)
    assert "raw-documents: no such folder of unlabelled articles" in str(result.exception)
    assert not trained and not (tmp_path / "out").exists()


def test_unlabelled_articles_are_read_in_name_order_and_bad_folders_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such folder"):
        read_unlabelled(tmp_path / "missing")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    with pytest.raises(DataError, match=r"no \.txt articles"):
        read_unlabelled(folder)
    (folder / "b.txt").write_text("Second.\r\nLine two.", encoding="utf-8", newline="")
    (folder / "a.txt").write_text("First.", encoding="utf-8")
    assert read_unlabelled(folder) == [("a", "First."), ("b", "Second.\r\nLine two.")]
    (folder / "c.txt").write_bytes(b"\xff\xfe broken")
    with pytest.raises(DataError, match=r"c\.txt is not UTF-8"):
        read_unlabelled(folder)


def test_shipped_encoder_was_trained_with_the_recipe_train_all_uses() -> None:
    # Otherwise `spinlens train all` with no options would not rebuild what ships.
    card = json.loads((SHIPPED_ROOT / "techniques_encoder" / "model_card.json").read_text(encoding="utf-8"))
    assert card["settings"]["epochs"] == ENCODER_EPOCHS
    assert card["settings"]["refit"] is ENCODER_REFIT
    assert ("fine-tuned again" in card["recipe"]) is ENCODER_REFIT
    assert (card.get("unlabelled_data") is not None) is ENCODER_SELF_TRAINING
    assert card["settings"]["student_epochs"] == ENCODER_STUDENT_EPOCHS
    assert card["settings"]["student_from_teacher"] is ENCODER_STUDENT_FROM_TEACHER
    assert card["settings"]["threads"] == ENCODER_THREADS
