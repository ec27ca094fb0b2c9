"""Reading SemEval-2025 Task 10 folders: offsets, labels, taxonomy and clear errors on bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinlens.core.errors import DataError
from spinlens.datasets.semeval2025 import (
    FINE_ROLES,
    MAIN_OF_FINE,
    anchor_mention,
    domain_from_id,
    load_semeval2025,
    parse_mention_row,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2025-task10" / "EN"

# Invented articles: nothing here comes from the task's data.
UA_TEXT = "Kyiv obeys Washington\n\nOfficials in Kyiv signed whatever Washington asked for, critics said.\n"
CC_TEXT = "Activists glue themselves to paintings\n\nThe alarmist activists blocked a road again.\n"
OTHER_TEXT = "Library extends opening hours\n\nThe town library will open on Sundays from May.\n"


def _folder(tmp_path: Path, roles: str | None = None, narratives: str | None = None) -> Path:
    root = tmp_path / "EN"
    (root / "raw-documents").mkdir(parents=True)
    (root / "raw-documents" / "EN_UA_1.txt").write_text(UA_TEXT, encoding="utf-8")
    (root / "raw-documents" / "EN_CC_2.txt").write_text(CC_TEXT, encoding="utf-8")
    (root / "raw-documents" / "EN_UA_3.txt").write_text(OTHER_TEXT, encoding="utf-8")
    kyiv = UA_TEXT.index("Kyiv", 10)
    activists = CC_TEXT.index("activists", 50)
    if roles is None:
        roles = (
            f"EN_UA_1.txt\tKyiv\t{kyiv}\t{kyiv + 3}\tAntagonist\tTraitor\n"
            # one character off, as a few rows of the released data are
            f"EN_CC_2.txt\tactivists\t{activists + 1}\t{activists + 9}\tAntagonist\tInstigator\tSaboteur\n"
        )
    if narratives is None:
        narratives = (
            "EN_UA_1.txt\tURW: Discrediting Ukraine\t"
            "URW: Discrediting Ukraine: Ukraine is a puppet of the West\n"
            "EN_CC_2.txt\tCC: Criticism of climate movement;CC: Criticism of climate movement\t"
            "CC: Criticism of climate movement: Climate movement is alarmist;"
            "CC: Criticism of climate movement: Other\n"
            "EN_UA_3.txt\tOther\tOther\n"
        )
    (root / "subtask-1-annotations.txt").write_text(roles, encoding="utf-8")
    (root / "subtask-2-annotations.txt").write_text(narratives, encoding="utf-8")
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "subtask2_subnarratives.json").write_text(
        json.dumps(
            {
                "URW: Discrediting Ukraine": {"URW: Discrediting Ukraine: Other": 0},
                "CC: Criticism of climate movement": {"CC: Criticism of climate movement: Other": 0},
                "Other": {"Other": 0},
            }
        ),
        encoding="utf-8",
    )
    return root


def test_offsets_become_half_open_and_misplaced_rows_are_reanchored(tmp_path: Path) -> None:
    data = load_semeval2025(_folder(tmp_path))
    docs = data.by_id()
    kyiv = docs["EN_UA_1"].mentions[0]
    assert docs["EN_UA_1"].text[kyiv.start : kyiv.end] == "Kyiv" == kyiv.entity
    assert (kyiv.main, kyiv.fine) == ("Antagonist", ("Traitor",))
    activists = docs["EN_CC_2"].mentions[0]
    assert docs["EN_CC_2"].text[activists.start : activists.end] == "activists"
    assert activists.fine == ("Instigator", "Saboteur")
    assert data.repaired_offsets == 1


def test_labels_are_deduplicated_and_taxonomy_completed_from_the_data(tmp_path: Path) -> None:
    data = load_semeval2025(_folder(tmp_path))
    cc = data.by_id()["EN_CC_2"]
    assert cc.narratives == ("CC: Criticism of climate movement",)
    assert cc.subnarratives == (
        "CC: Criticism of climate movement: Climate movement is alarmist",
        "CC: Criticism of climate movement: Other",
    )
    subs = data.taxonomy.subnarratives["URW: Discrediting Ukraine"]
    # From the JSON file and from the annotations alike.
    assert "URW: Discrediting Ukraine: Other" in subs
    assert "URW: Discrediting Ukraine: Ukraine is a puppet of the West" in subs
    assert (
        data.taxonomy.parent_of("CC: Criticism of climate movement: Other")
        == "CC: Criticism of climate movement"
    )
    assert "Other" not in data.taxonomy.all_narratives
    assert data.by_id()["EN_UA_3"].narratives == ("Other",)


def test_domain_comes_from_labels_before_the_id(tmp_path: Path) -> None:
    narratives = (
        "EN_UA_1.txt\tCC: Criticism of climate movement\tCC: Criticism of climate movement: Other\n"
        "EN_CC_2.txt\tOther\tOther\n"
        "EN_UA_3.txt\tOther\tOther\n"
    )
    data = load_semeval2025(_folder(tmp_path, narratives=narratives))
    assert data.by_id()["EN_UA_1"].domain == "CC"
    assert data.by_id()["EN_CC_2"].domain == "CC"
    assert domain_from_id("EN_UA_3") == "UA"
    assert domain_from_id("article12") is None


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("EN_UA_1.txt\tKyiv\t5\n", "line 2: expected 6 tab-separated columns"),
        ("EN_UA_1.txt\tKyiv\tfive\t8\tAntagonist\tTraitor\n", "line 2: start and end must be integers"),
        ("EN_UA_1.txt\tKyiv\t9\t3\tAntagonist\tTraitor\n", "line 2: bad offsets"),
        ("EN_UA_1.txt\tKyiv\t0\t3\tVillain\tTraitor\n", "line 2: unknown main role 'Villain'"),
        ("EN_UA_1.txt\tKyiv\t0\t3\tProtagonist\tTraitor\n", "does not belong to main role 'Protagonist'"),
        ("EN_UA_9.txt\tKyiv\t0\t3\tAntagonist\tTraitor\n", "no document raw-documents/EN_UA_9.txt"),
    ],
)
def test_malformed_role_rows_name_their_line(tmp_path: Path, row: str, message: str) -> None:
    good = "EN_UA_1.txt\tKyiv\t0\t3\tAntagonist\tTraitor\n"
    with pytest.raises(DataError, match=message):
        load_semeval2025(_folder(tmp_path, roles=good + row))


def test_missing_pieces_are_data_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no raw-documents"):
        load_semeval2025(tmp_path)
    root = _folder(tmp_path)
    (root / "subtask-2-annotations.txt").write_text("EN_UA_1.txt\tOther\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 1: expected 3 tab-separated columns"):
        load_semeval2025(root)


def test_parse_mention_row_without_roles_keeps_inclusive_end_semantics() -> None:
    assert parse_mention_row("a.txt\tKyiv\t10\t13", "x line 1", with_roles=False) == (
        "a.txt",
        "Kyiv",
        10,
        14,
        None,
        (),
    )
    with pytest.raises(DataError, match="x line 1: expected 4"):
        parse_mention_row("a.txt\tKyiv\t10", "x line 1", with_roles=False)


def test_anchor_mention_only_moves_a_few_characters() -> None:
    text = "The Kremlin said so. Far later: Kremlin."
    assert anchor_mention(text, "Kremlin", 4, 11) == (4, 11)
    assert anchor_mention(text, "Kremlin", 5, 12) == (4, 11)
    assert anchor_mention(text, "Kremlin", 20, 27) is None


def test_role_taxonomy_is_complete() -> None:
    assert len(FINE_ROLES) == 22
    assert {MAIN_OF_FINE[r] for r in FINE_ROLES} == {"Protagonist", "Antagonist", "Innocent"}


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="SemEval-2025 data not found beside the repository (../shared)"
)
def test_real_data_loads_with_every_mention_on_its_text() -> None:
    data = load_semeval2025(SHARED)
    assert len(data.documents) >= 300
    assert not data.notes, data.notes[:3]
    mentions = [(d, m) for d in data.documents for m in d.mentions]
    assert len(mentions) >= 500
    assert all(d.text[m.start : m.end] == m.entity for d, m in mentions)
    # Every sub-narrative used by the data is known to the taxonomy, under its own parent.
    for doc in data.narrative_documents:
        for sub in doc.subnarratives:
            if sub != "Other":
                assert data.taxonomy.parent_of(sub) in doc.narratives
