"""JSON output and the JSON Schema that documents it."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from report_samples import bare_analysis, bridge_analysis

from spinlens.core import settings
from spinlens.core.model import DOC_LABEL_KINDS, ENTITY_TYPES, FINDING_KINDS, SOURCE_CLASSES, Analysis
from spinlens.report import render
from spinlens.report.jsonout import SCHEMA_PATH, load_schema, validation_errors

REPO = Path(__file__).resolve().parents[1]


def bridge_dict() -> dict[str, Any]:
    return json.loads(render(bridge_analysis(), "json"))


def test_json_is_to_dict_with_non_ascii_kept() -> None:
    analysis = bridge_analysis()
    analysis.article.title = "Brücke für Zürich – “quoted”"
    output = render(analysis, "json")
    assert json.loads(output) == analysis.to_dict()
    assert "Brücke für Zürich – “quoted”" in output
    assert output.startswith('{\n  "schema_version"')


def test_round_trip_through_from_dict() -> None:
    output = render(bridge_analysis(), "json")
    assert render(Analysis.from_dict(json.loads(output)), "json") == output


def test_nan_is_refused_rather_than_written_as_invalid_json() -> None:
    analysis = bridge_analysis()
    analysis.entities[0].tone = math.nan
    with pytest.raises(ValueError):
        render(analysis, "json")


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_analysis_with_every_kind_of_finding_validates() -> None:
    data = bridge_dict()
    assert {f["kind"] for f in data["findings"]} == set(FINDING_KINDS)
    assert {lab["kind"] for lab in data["labels"]} == set(DOC_LABEL_KINDS)
    assert validation_errors(data) == []


def test_empty_analysis_validates() -> None:
    data = json.loads(render(bare_analysis("A short invented note."), "json"))
    assert validation_errors(data) == []


def test_schema_enums_match_the_model() -> None:
    defs = load_schema()["$defs"]
    assert defs["finding"]["properties"]["kind"]["enum"] == list(FINDING_KINDS)
    assert defs["source_class"]["enum"] == list(SOURCE_CLASSES)
    assert defs["doc_label"]["properties"]["kind"]["enum"] == list(DOC_LABEL_KINDS)
    assert defs["entity_type"]["enum"] == list(ENTITY_TYPES)
    assert defs["technique"]["enum"] == list(settings.TECHNIQUES)
    assert defs["technique_family"]["enum"] == [*settings.TECHNIQUE_FAMILIES, "Other"]
    label_rules = {rule["if"]["properties"]["kind"]["const"]: rule for rule in defs["doc_label"]["allOf"]}
    assert label_rules["genre"]["then"]["properties"]["label"]["enum"] == list(settings.GENRES)
    assert label_rules["frame"]["then"]["properties"]["label"]["enum"] == list(settings.FRAMES)


def test_schema_required_fields_match_the_dataclasses() -> None:
    data = bridge_dict()
    defs = load_schema()["$defs"]
    assert set(load_schema()["required"]) == set(data)
    assert set(defs["article"]["required"]) == set(data["article"])
    assert set(defs["finding"]["required"]) == set(data["findings"][0])
    assert set(defs["doc_label"]["required"]) == set(data["labels"][0])
    assert set(defs["entity"]["required"]) == set(data["entities"][0])


def _break(mutate: Any) -> list[str]:
    data = bridge_dict()
    mutate(data)
    return validation_errors(data)


@pytest.mark.parametrize(
    ("description", "mutate", "expected"),
    [
        ("missing top-level field", lambda d: d.pop("verdict"), "'verdict' is a required property"),
        ("extra top-level field", lambda d: d.update(score=3), "Additional properties are not allowed"),
        (
            "missing finding field",
            lambda d: d["findings"][0].pop("reason"),
            "'reason' is a required property",
        ),
        ("extra finding field", lambda d: d["findings"][0].update(colour="red"), "Additional properties"),
        ("missing article text", lambda d: d["article"].pop("text"), "'text' is a required property"),
        ("extra entity field", lambda d: d["entities"][0].update(age=40), "Additional properties"),
        ("unknown finding kind", lambda d: d["findings"][0].update(kind="rumour"), "is not one of"),
        ("unknown technique", lambda d: d["findings"][0].update(label="Sarcasm"), "'Sarcasm' is not one of"),
        ("score above one", lambda d: d["findings"][0].update(score=1.5), "1.5 is greater than the maximum"),
        ("unknown genre", lambda d: d["labels"][0].update(label="poetry"), "'poetry' is not one of"),
        ("tone out of range", lambda d: d["entities"][0].update(tone=-2), "-2 is less than the minimum"),
        ("wrong schema version", lambda d: d.update(schema_version="0.9"), "'1.0' was expected"),
    ],
)
def test_schema_rejects(description: str, mutate: Any, expected: str) -> None:
    errors = _break(mutate)
    assert any(expected in error for error in errors), f"{description}: {errors}"


def _first(data: dict[str, Any], kind: str) -> dict[str, Any]:
    finding: dict[str, Any] = next(f for f in data["findings"] if f["kind"] == kind)
    return finding


def test_schema_checks_the_agreed_details_per_kind() -> None:
    data = bridge_dict()
    assert validation_errors(data) == []

    broken = copy.deepcopy(data)
    _first(broken, "sourcing")["label"] = "rumour"
    _first(broken, "sourcing")["details"]["mode"] = "hearsay"
    del _first(broken, "technique")["details"]["family"]
    _first(broken, "entity")["details"] = {}
    _first(broken, "entity")["label"] = "thing"
    messages = "\n".join(validation_errors(broken))
    for expected in (
        "'rumour' is not one of",
        "'hearsay' is not one of",
        "'family' is a required property",
        "'entity_id' is a required property",
        "'thing' is not one of",
    ):
        assert expected in messages


def test_docs_point_to_the_schema_file() -> None:
    doc = (REPO / "docs" / "analysis-schema.md").read_text(encoding="utf-8")
    assert "spinlens/schema/analysis.schema.json" in doc
    assert SCHEMA_PATH == REPO / "spinlens" / "schema" / "analysis.schema.json"
