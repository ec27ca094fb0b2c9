"""Reading and writing SemEval-2023 Task 3 folders, on a fixture of invented articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from spinlens.core.errors import DataError
from spinlens.datasets.semeval2023 import (
    LINES_FILE,
    SPANS_FILE,
    Semeval2023Labels,
    TechniqueSpan,
    load_dataset,
    read_label_files,
    write_label_files,
)
from spinlens.nlp.segment import paragraphs

FIXTURE = Path(__file__).parent / "fixtures" / "semeval2023"


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "en"
    shutil.copytree(FIXTURE, target)
    return target


def test_reads_articles_and_every_label_file() -> None:
    dataset = load_dataset(FIXTURE)
    by_id = dataset.by_id()
    assert sorted(by_id) == ["900000001", "900000002", "900000003", "900000004"]
    opinion = by_id["900000002"]
    assert opinion.genre == "opinion"
    assert opinion.frames == frozenset({"Political", "Quality_of_life", "Morality"})
    assert opinion.line_labels is not None
    assert opinion.line_labels[4] == frozenset({"Name_Calling-Labeling", "Repetition"})
    assert opinion.spans is not None and len(opinion.spans) == 7
    for span in opinion.spans:
        assert 0 <= span.start < span.end <= len(opinion.text)
    assert opinion.text[opinion.spans[0].start : opinion.spans[0].end] == "Shameful Betrayal"
    # The line rows cover exactly the non-empty lines, numbered as the segmenter numbers them.
    assert sorted(opinion.line_labels) == [p.line for p in paragraphs(opinion.text)]


def test_unannotated_article_is_not_confused_with_empty_labels() -> None:
    dataset = load_dataset(FIXTURE)
    untitled = dataset.by_id()["900000004"]
    assert untitled.genre is None and untitled.frames is None and untitled.line_labels is None
    reporting = dataset.by_id()["900000001"]
    assert reporting.line_labels == {1: frozenset(), 3: frozenset(), 4: frozenset(), 6: frozenset()}
    assert reporting.spans == []
    assert len(dataset.with_techniques) == 3
    assert len(dataset.with_genre) == 3


def test_text_is_kept_byte_for_byte(data_dir: Path) -> None:
    path = data_dir / "articles" / "article900000004.txt"
    path.write_bytes("\ufeffTitle\r\n\r\nBody line\r\n".encode())
    text = load_dataset(data_dir).by_id()["900000004"].text
    assert text == "\ufeffTitle\r\n\r\nBody line\r\n"


@pytest.mark.parametrize(
    ("file_name", "row", "message"),
    [
        ("labels-subtask-1.txt", "900000001\tnews\n", "unknown genre 'news'"),
        ("labels-subtask-2.txt", "900000001\tEconomic,Weather\n", "unknown frame 'Weather'"),
        (LINES_FILE, "900000001\tthree\tDoubt\n", "line number 'three' is not an integer"),
        (LINES_FILE, "900000001\t2\tBad_Technique\n", "unknown technique 'Bad_Technique'"),
        (SPANS_FILE, "900000001\tDoubt\t10\t5\n", "empty or negative"),
        (SPANS_FILE, "900000001\tDoubt\t10\t99999\n", "ends beyond"),
        (SPANS_FILE, "900000001\tDoubt\t10\n", "expected 4-4 tab-separated fields"),
        (SPANS_FILE, "123\tDoubt\t1\t2\n", "have no file in articles/"),
    ],
)
def test_malformed_rows_raise_data_error_naming_the_file(
    data_dir: Path, file_name: str, row: str, message: str
) -> None:
    with (data_dir / file_name).open("a", encoding="utf-8") as handle:
        handle.write(row)
    with pytest.raises(DataError, match=message) as info:
        load_dataset(data_dir)
    assert file_name in str(info.value)


def test_missing_folders_raise_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such data folder"):
        load_dataset(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no such folder of articles"):
        load_dataset(tmp_path / "empty")


def test_folder_without_label_files_is_refused(data_dir: Path) -> None:
    for path in data_dir.glob("labels-*.txt"):
        path.unlink()
    with pytest.raises(DataError, match="no label files"):
        load_dataset(data_dir)


def test_label_files_round_trip(tmp_path: Path) -> None:
    gold = read_label_files(FIXTURE)
    counts = write_label_files(gold, tmp_path)
    assert counts[LINES_FILE] == 11
    again = read_label_files(tmp_path)
    assert again == gold


def test_written_rows_keep_empty_label_lists(tmp_path: Path) -> None:
    labels = Semeval2023Labels(
        genres={"1": "opinion"},
        frames={"1": frozenset()},
        lines={"1": {1: frozenset(), 3: frozenset({"Doubt", "Appeal_to_Time"})}},
        spans={"1": [TechniqueSpan(4, 9, "Doubt")]},
    )
    write_label_files(labels, tmp_path)
    assert (tmp_path / LINES_FILE).read_text(encoding="utf-8") == "1\t1\t\n1\t3\tAppeal_to_Time,Doubt\n"
    assert (tmp_path / SPANS_FILE).read_text(encoding="utf-8") == "1\tDoubt\t4\t9\n"
    assert read_label_files(tmp_path) == labels
