"""Self-training probe: the technique encoder also learns from unlabelled articles, labelled by a teacher.

For each chosen fold, the teacher is that fold's encoder fine-tuned with the shipped recipe (the weights a
`spinlens evaluate techniques-encoder --checkpoints TEACHERS` run kept, trained on the fold's fitting part
only). It reads the SemEval-2025 Task 10 English articles (same topics and sources as SemEval-2023; no
technique labels, no text shared with the SemEval-2023 articles) and its probabilities, per word piece and
per chunk, become soft targets. A student is then fine-tuned from MiniLM, shipped settings, on the fitting
part's gold chunks plus those soft-labelled chunks, and tuned on the fold's validation sixth as shipped.
The validation figures are printed (where a choice may be made); held-out figures go to OUT/VARIANT/report.json.

    SPINLENS_WORK=OUT TEACHERS=DIR python experiments/technique_pseudo_label_probe.py FOLDS [VARIANT...]
    VARIANT: soft (probabilities as targets), hard=T (1 where the teacher's probability >= T, else 0)
"""
import json, os, sys
from pathlib import Path

import numpy as np
import torch

import spinlens.train.technique_encoder as technique_encoder
from spinlens.core.settings import TECHNIQUES
from spinlens.evaluate.technique_encoder import cross_validate_encoder
from spinlens.train.technique_encoder import Example, build_tagger, read_unlabelled

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data"))
WORK = Path(os.environ.get("SPINLENS_WORK", "pseudo-label-probe"))
TEACHERS = Path(os.environ.get("TEACHERS", "/work/exp/cv8"))
UNLABELLED = read_unlabelled(DATA / "semeval2025-task10" / "EN" / "raw-documents")
_fine_tune = technique_encoder.fine_tune


def teacher_examples(fold: int, max_tokens: int, hard: float | None) -> list[Example]:
    # The package's own teacher step (what `fit(..., unlabelled=...)` runs), from the fold's kept weights.
    teacher = build_tagger(len(TECHNIQUES))
    teacher.load_state_dict(torch.load(str(TEACHERS / f"fold{fold + 1}-of5-seed13-epochs6.pt")))
    examples = technique_encoder.teacher_examples(teacher, UNLABELLED, max_tokens)
    if hard is not None:
        examples = [Example(e.article, e.chunk, (e.token_targets >= hard).astype(np.float32),
                            (e.paragraph_targets >= hard).astype(np.float32)) for e in examples]
    return examples


folds = [int(f) - 1 for f in sys.argv[1].split(",")]
for variant in sys.argv[2:] or ["soft"]:
    hard = float(variant.split("=")[1]) if variant.startswith("hard=") else None
    out = WORK / variant
    settings = technique_encoder.FineTuneSettings()
    for fold in folds:
        def with_pseudo(examples, n, settings, seed, progress=None, _fold=fold):
            extra = teacher_examples(_fold, settings.max_tokens, hard)
            print(f"{variant}: fold {_fold + 1}: {len(examples)} gold chunks + {len(extra)} teacher-labelled "
                  f"chunks from {len(UNLABELLED)} articles", flush=True)
            return _fine_tune([*examples, *extra], n, settings, seed, progress)

        technique_encoder.fine_tune = with_pseudo
        report = cross_validate_encoder(DATA / "semeval2023-task3" / "en", folds_to_run=[fold], settings=settings,
                                        checkpoints=out,
                                        progress=lambda m: None if "paragraph micro-F1" in m else print(f"{variant}: {m}", flush=True))
        (out / f"report-fold{fold + 1}.json").write_text(json.dumps(report.to_dict(), indent=1))
        print(f"{variant}: fold {fold + 1}: {report.validation_line()}", flush=True)
