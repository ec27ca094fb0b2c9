"""Where a trainer may write: never over another task's models.

The three model folders share file names (``weights.npz``, ``model_card.json``,
``config.json``), so training one task into a folder that holds another's would
silently replace part of it and leave a folder no loader can read.
"""

from __future__ import annotations

import json
from pathlib import Path

from spinlens.core.errors import DataError
from spinlens.models import MODEL_TASKS, semeval2023, semeval2025, technique_encoder


def models_in(folder: Path) -> str | None:
    """Which task's models ``folder`` holds, ``"root"`` for a folder of task folders, or None."""
    if not folder.is_dir():
        return None
    if any((folder / task).is_dir() for task in MODEL_TASKS):
        return "root"
    if (folder / technique_encoder.MODEL_FILE).is_file():
        return "techniques_encoder"
    if (folder / semeval2023.CONFIG_FILE).is_file() and (folder / semeval2023.WEIGHTS_FILE).is_file():
        return "semeval2023"
    card = folder / semeval2025.CARD_FILE
    if card.is_file():
        try:
            data = json.loads(card.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        if isinstance(data, dict) and "meta" in data:
            return "semeval2025"
    return None


def check_output_folder(out_dir: Path, task: str) -> None:
    """Refuse ``out_dir`` when it is a file, a models root or another task's model folder."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise DataError(f"--out {out_dir} is a file, not a folder")
    held = models_in(out_dir)
    if held == "root":
        raise DataError(
            f"--out {out_dir} holds one folder per task; write this task's models to {out_dir / task}"
        )
    if held is not None and held != task:
        raise DataError(
            f"--out {out_dir} holds the {held} models, which training {task} would overwrite; "
            f"give another folder (e.g. {out_dir.parent / task})"
        )
