from __future__ import annotations

import json
import subprocess
import sys
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


def test_default_profile_uses_the_encoder_and_fast_profile_does_not() -> None:
    from spinlens.analysers.techniques import TechniqueAnalyser

    def technique(profile: str) -> TechniqueAnalyser:
        found = [a for a in build_analysers(profile) if isinstance(a, TechniqueAnalyser)]
        assert len(found) == 1
        return found[0]

    assert technique("default").encoder is not None
    assert technique("fast").encoder is None


def test_a_trained_encoder_folder_is_found_in_a_models_root(tmp_path: Path) -> None:
    import shutil

    from spinlens.analysers.techniques import TechniqueAnalyser
    from spinlens.models.technique_encoder import DEFAULT_DIR

    shutil.copytree(DEFAULT_DIR, tmp_path / "techniques_encoder")
    assert task_models_dir(tmp_path, "techniques_encoder") == tmp_path / "techniques_encoder"
    analysers = build_analysers("default", tmp_path)
    technique = next(a for a in analysers if isinstance(a, TechniqueAnalyser))
    assert technique.encoder is not None
    assert technique.encoder.folder == (tmp_path / "techniques_encoder").resolve()


def test_session_loader_and_text_reader_work_without_importing() -> None:
    # load_pipeline runs both in a thread while spaCy is imported: they must import
    # nothing themselves (two threads importing modules that import each other can deadlock).
    # A fresh interpreter, so that other tests' imports do not hide one of its own.
    script = """
import sys
from spinlens.analysers.registry import session_loader, text_reader
from spinlens.models.technique_encoder import _load_cached
from spinlens.nlp.embed import _sentence_encoder
assert session_loader("fast")() is None
assert text_reader("fast")(["A line."]) == [{}]
load = session_loader("default")
read = text_reader("default")
before = set(sys.modules)
load()
scratches = read(["A first line.", "A second line, longer than the first."])
sizes = _load_cached.cache_info().currsize, _sentence_encoder.cache_info().currsize
print(sorted(set(sys.modules) - before), *sizes, *(sorted(s) for s in scratches))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    read = "['article_paragraph_vectors', 'technique_encoding']"
    assert done.stdout.strip() == f"[] 1 1 {read} {read}"
