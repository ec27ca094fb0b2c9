"""Rebuild every shipped model in one run, and check the result against the shipped files.

``spinlens train all`` is the one command behind the claim that the shipped
models come from the data on disk: it trains the SemEval-2023 models, the
SemEval-2025 models and the technique encoder into one models root (laid out as
``--models`` expects it), then compares what it wrote with what ships. Model
cards carry dates, timings and paths, so the comparison looks at what decides
predictions: every array of the ``.npz`` weights, the ONNX bytes and the JSON
settings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spinlens.core.errors import DataError
from spinlens.models import SHIPPED_ROOT
from spinlens.models import semeval2023 as models_2023
from spinlens.models import semeval2025 as models_2025
from spinlens.models import technique_encoder as encoder_model
from spinlens.train.output import check_output_folder, models_in
from spinlens.train.recipe import ENCODER_SELF_TRAINING

if TYPE_CHECKING:
    from spinlens.train.technique_encoder import FineTuneSettings

Progress = Callable[[str], None] | None

SEMEVAL2023_DATA = Path("semeval2023-task3") / "en"
SEMEVAL2025_DATA = Path("semeval2025-task10") / "EN"

# What decides predictions, per task folder: weights compared array by array, ONNX
# graphs byte by byte, JSON files whole or (for model cards) only the listed keys.
COMPARED: dict[str, dict[str, tuple[str, ...] | None]] = {
    "semeval2023": {models_2023.WEIGHTS_FILE: None, models_2023.CONFIG_FILE: None},
    "semeval2025": {models_2025.WEIGHTS_FILE: None, models_2025.CARD_FILE: ("format_version", "meta")},
    "techniques_encoder": {encoder_model.MODEL_FILE: None, encoder_model.CONFIG_FILE: None},
}


@dataclass(frozen=True, slots=True)
class FileCheck:
    task: str
    file: str
    status: str  # "identical", "differs" or "missing"
    detail: str = ""


def _say(progress: Progress, message: str) -> None:
    if progress is not None:
        progress(message)


def data_folders(data_root: Path) -> tuple[Path, Path]:
    """The SemEval-2023 and SemEval-2025 folders under ``data_root`` (as ``../shared/data`` lays them out)."""
    folders = (Path(data_root) / SEMEVAL2023_DATA, Path(data_root) / SEMEVAL2025_DATA)
    for folder in folders:
        if not folder.is_dir():
            raise DataError(f"{folder} not found: --data must hold {SEMEVAL2023_DATA} and {SEMEVAL2025_DATA}")
    return folders


def rebuild_all(
    data_root: Path,
    out_dir: Path,
    seed: int = 13,
    settings: FineTuneSettings | None = None,
    checkpoint: Path | None = None,
    progress: Progress = None,
    self_training: bool = ENCODER_SELF_TRAINING,
) -> dict[str, float]:
    """Train every shipped model from ``data_root`` into ``out_dir/<task>``; returns seconds per task.

    ``settings``: the technique encoder's fine-tuning (default: the shipped recipe).

    Everything that can fail fast (data folders, PyTorch, the base weights, an
    output folder that holds other files) is checked before the first model is trained.
    """
    from spinlens.train import semeval2023, semeval2025, technique_encoder

    data_2023, data_2025 = data_folders(data_root)
    technique_encoder.check_training_extra()
    out_dir = Path(out_dir)
    held = models_in(out_dir)
    if held not in (None, "root"):
        raise DataError(f"--out {out_dir} is a {held} model folder; give a models root or a new folder")
    check_output_folder(out_dir / "semeval2023", "semeval2023")
    check_output_folder(out_dir / "semeval2025", "semeval2025")
    technique_encoder.check_replaceable(out_dir / "techniques_encoder")
    encoder_settings = settings or technique_encoder.FineTuneSettings()
    # The SemEval-2025 articles carry no technique labels: to the encoder they are unlabelled text.
    unlabelled = data_2025 / "raw-documents" if self_training else None
    if unlabelled is not None:
        technique_encoder.read_unlabelled(unlabelled)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("semeval2023", lambda: semeval2023.train(data_2023, out_dir / "semeval2023", seed, progress)),
        ("semeval2025", lambda: semeval2025.train(data_2025, out_dir / "semeval2025", seed, progress)),
        (
            "techniques_encoder",
            lambda: technique_encoder.train(
                data_2023,
                out_dir / "techniques_encoder",
                seed,
                encoder_settings,
                progress,
                checkpoint,
                unlabelled,
            ),
        ),
    ]
    seconds: dict[str, float] = {}
    for task, step in steps:
        _say(progress, f"== {task} ==")
        started = time.perf_counter()
        step()
        seconds[task] = round(time.perf_counter() - started, 1)
        _say(progress, f"{task}: {seconds[task]:.0f} s")
    return seconds


def compare_models(built: Path, reference: Path = SHIPPED_ROOT) -> list[FileCheck]:
    """Whether each prediction-deciding file under ``built`` matches the one under ``reference``."""
    checks = []
    for task, files in COMPARED.items():
        for name, keys in files.items():
            mine, theirs = Path(built) / task / name, Path(reference) / task / name
            if not mine.is_file() or not theirs.is_file():
                missing = mine if not mine.is_file() else theirs
                checks.append(FileCheck(task, name, "missing", f"{missing} does not exist"))
                continue
            detail = _difference(mine, theirs, keys)
            checks.append(FileCheck(task, name, "differs" if detail else "identical", detail))
    return checks


def _difference(mine: Path, theirs: Path, keys: tuple[str, ...] | None) -> str:
    """Empty when the two files agree on everything that decides predictions, else what differs."""
    if mine.suffix == ".npz":
        with np.load(mine, allow_pickle=False) as a, np.load(theirs, allow_pickle=False) as b:
            if set(a.files) != set(b.files):
                return f"arrays {sorted(set(a.files) ^ set(b.files))[:3]} are in only one of them"
            # The storage type counts too: the same numbers kept as float32 instead of float16
            # would double the shipped size.
            changed = [
                k for k in sorted(a.files) if a[k].dtype != b[k].dtype or not np.array_equal(a[k], b[k])
            ]
            if not changed:
                return ""
            largest = _largest_difference([(a[k], b[k]) for k in changed])
        # Last digits (another CPU's rounding) read differently from a model trained otherwise.
        by = f", numbers by up to {largest:.1e}" if largest is not None else ""
        return f"{len(changed)} arrays differ, e.g. {changed[:3]}{by}"
    if mine.suffix == ".json":
        left, right = (json.loads(p.read_text(encoding="utf-8")) for p in (mine, theirs))
        if keys is not None:
            left, right = ({k: d.get(k) for k in keys} for d in (left, right))
        changed = sorted(k for k in set(left) | set(right) if left.get(k) != right.get(k))
        return f"settings differ: {changed[:5]}" if changed else ""
    if mine.read_bytes() != theirs.read_bytes():
        return f"bytes differ ({mine.stat().st_size:,} vs {theirs.stat().st_size:,})"
    return ""


def _largest_difference(pairs: list[tuple[np.ndarray, np.ndarray]]) -> float | None:
    """The largest absolute difference between float arrays of one shape; None if any other differs
    (a vocabulary, kept as bytes, or arrays of another shape: not a matter of rounding)."""
    largest = 0.0
    for mine, theirs in pairs:
        floats = all(np.issubdtype(x.dtype, np.floating) for x in (mine, theirs))
        if not floats or mine.shape != theirs.shape:
            return None
        gap = np.abs(mine.astype(np.float64) - theirs.astype(np.float64))
        largest = max(largest, float(np.nanmax(gap)) if gap.size else 0.0)
    return largest
