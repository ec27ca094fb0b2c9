"""Where trained models live and how they are loaded."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spinlens.core.errors import ModelError
from spinlens.models import file_stamp
from spinlens.models.semeval2023 import CONFIG_FILE, WEIGHTS_FILE, Semeval2023Models

# Shipped inside the package (package-data "models/*/*.npz" and the like), next to this module.
SHIPPED_SEMEVAL2023_DIR = Path(__file__).resolve().parent / "semeval2023"


def load_semeval2023(models_dir: Path | None = None) -> Semeval2023Models:
    """Load the SemEval-2023 models from ``models_dir`` (default: the shipped ones)."""
    directory = SHIPPED_SEMEVAL2023_DIR if models_dir is None else Path(models_dir)
    if not directory.is_dir():
        raise ModelError(f"{directory}: no such model folder; train one with `spinlens train semeval2023`")
    if not (directory / WEIGHTS_FILE).is_file() and (directory / "semeval2023" / WEIGHTS_FILE).is_file():
        # A models root that holds one folder per task, as `spinlens train` writes it.
        directory = directory / "semeval2023"
    if not (directory / CONFIG_FILE).is_file():
        raise ModelError(f"{directory}: not a SemEval-2023 model folder (no {CONFIG_FILE})")
    return _load_cached(directory.resolve(), file_stamp(directory / WEIGHTS_FILE))


@lru_cache(maxsize=4)
def _load_cached(directory: Path, stamp: tuple[float, int]) -> Semeval2023Models:
    # The stamp is part of the cache key so a retrained folder is reloaded.
    return Semeval2023Models.load(directory)
