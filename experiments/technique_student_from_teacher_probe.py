"""Cheaper self-training probe: the student starts from the teacher's weights and trains fewer epochs.

The shipped recipe (round 11) fine-tunes the student from MiniLM for 6 epochs on the gold chunks plus the
teacher-labelled chunks of the SemEval-2025 articles: 4,446 steps, the larger half of `train all`. Here the
student starts from the teacher and trains STUDENT_EPOCHS epochs (learning rate STUDENT_LR), everything else
as `spinlens evaluate techniques-encoder --unlabelled ...` runs it (same teacher step, tuning on the fold's
validation sixth, held-out scoring). TEACHERS holds the folds' teachers (fold{K}-of5-seed13-epochs6.pt, kept by
`--checkpoints`); they are copied into OUT so only the student is trained.

    SPINLENS_WORK=OUT TEACHERS=DIR STUDENT_EPOCHS=1 STUDENT_LR=8e-5 python experiments/technique_student_from_teacher_probe.py FOLDS

STUDENT_START=minilm starts the student from MiniLM as shipped, so only the epochs differ from the recipe.
"""
import dataclasses, json, os, shutil, sys
from pathlib import Path

import torch

import spinlens.train.technique_encoder as technique_encoder
from spinlens.evaluate.technique_encoder import cross_validate_encoder
from spinlens.train.technique_encoder import read_unlabelled

DATA = Path(os.environ.get("SPINLENS_DATA", "../shared/data"))
WORK = Path(os.environ.get("SPINLENS_WORK", "student-from-teacher-probe"))
TEACHERS = Path(os.environ.get("TEACHERS", "/work/exp/cv12"))
EPOCHS = int(os.environ.get("STUDENT_EPOCHS", "1"))
LR = float(os.environ.get("STUDENT_LR", "8e-5"))
FROM_TEACHER = os.environ.get("STUDENT_START", "teacher") == "teacher"
UNLABELLED = read_unlabelled(DATA / "semeval2025-task10" / "EN" / "raw-documents")
_fine_tune, _build_tagger = technique_encoder.fine_tune, technique_encoder.build_tagger

for fold in [int(f) - 1 for f in sys.argv[1].split(",")]:
    name = f"fold{fold + 1}-of5-seed13-epochs6.pt"
    WORK.mkdir(parents=True, exist_ok=True)
    if not (WORK / name).exists():
        shutil.copy(TEACHERS / name, WORK / name)
    teacher_state = torch.load(str(WORK / name))

    def student(examples, n, settings, seed, progress=None):
        def from_teacher(n_labels, layers=6):
            model = _build_tagger(n_labels, layers)
            model.load_minilm = lambda weights: model.load_state_dict(teacher_state)
            return model

        if FROM_TEACHER:
            technique_encoder.build_tagger = from_teacher
        try:
            start = "the teacher" if FROM_TEACHER else "MiniLM"
            print(f"student from {start}: {len(examples)} chunks, {EPOCHS} epochs, lr {LR}", flush=True)
            return _fine_tune(examples, n, dataclasses.replace(settings, epochs=EPOCHS, learning_rate=LR), seed,
                              progress)
        finally:
            technique_encoder.build_tagger = _build_tagger

    technique_encoder.fine_tune = student
    report = cross_validate_encoder(DATA / "semeval2023-task3" / "en", folds_to_run=[fold], checkpoints=WORK,
                                    unlabelled=UNLABELLED, progress=lambda m: print(m, flush=True))
    (WORK / f"report-fold{fold + 1}.json").write_text(json.dumps(report.to_dict(), indent=1))
    print(f"fold {fold + 1}: {report.validation_line()}", flush=True)
