from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinlens.analysers.registry import build_analysers, task_models_dir


def test_registry_models_folder_per_task_or_shipped(tmp_path: Path) -> None:
    assert task_models_dir(None, "semeval2023") is None
    (tmp_path / "semeval2023").mkdir()
    assert task_models_dir(tmp_path, "semeval2023") == tmp_path / "semeval2023"
    single = tmp_path / "only2025"
    single.mkdir()
    (single / "model_card.json").write_text(json.dumps({"task": "SemEval-2025 Task 10, English"}))
    assert task_models_dir(single, "semeval2025") == single
    assert task_models_dir(single, "semeval2023") is None


def test_registry_profiles_declare_their_analysers() -> None:
    default = [a.name for a in build_analysers("default")]
    fast = [a.name for a in build_analysers("fast")]
    assert default[0] == "sourcing" and default[-1] == "verdict"
    assert "roles" in default and "entities" in default
    assert "sourcing" not in fast and "entities" not in fast
    assert set(fast) < set(default)
    with pytest.raises(ValueError, match="unknown profile"):
        build_analysers("turbo")
