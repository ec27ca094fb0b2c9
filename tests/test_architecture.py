"""The direction of imports between the layers (see README's layout), checked by import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import spinlens

REPO = Path(__file__).resolve().parents[1]


def test_architecture_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -r requirements.lock)")
    result = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_architecture_public_names() -> None:
    assert set(spinlens.__all__) == {
        "Analysis", "Article", "DocLabel", "Entity", "Finding", "InputError", "Pipeline", "Span",
        "SpinlensError", "__version__", "analyze", "load_pipeline",
    }
    for name in spinlens.__all__:
        assert getattr(spinlens, name) is not None
