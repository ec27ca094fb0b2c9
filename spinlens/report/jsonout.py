"""The JSON form of an analysis and the JSON Schema that describes it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from spinlens.core.model import Analysis

# Located by path rather than importlib.resources so it works whether or not
# spinlens is installed as a regular package.
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "analysis.schema.json"


def render_json(analysis: Analysis) -> str:
    """``analysis.to_dict()`` as indented UTF-8 JSON; NaN or infinity is an error, not invalid JSON."""
    return json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) shipped in ``spinlens/schema/analysis.schema.json``."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def validation_errors(data: Any) -> list[str]:
    """Every way ``data`` breaks the schema, as ``path: message`` lines (empty when valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]
