"""The shipped technique encoder's training recipe, in one place.

``FineTuneSettings``, ``rebuild_all`` and the CLI defaults all read these, so that
``spinlens train all`` with no options rebuilds exactly what ships. Kept free of
imports so the CLI can read it without loading the training code.
"""

from __future__ import annotations

# Fine-tuning epochs of the technique encoder. 6 against 4 (round 8): ahead on the folds'
# validation sixths (paragraph micro-F1 +0.013, technique-aware span F1 +0.019) and on the
# held-out folds (0.398 / 0.419 / 0.190 against 0.391 / 0.404 / 0.172); docs/quality.md.
ENCODER_EPOCHS = 6
# Refitting on every article after tuning (the recipe of rounds 6-7) is off: at 6 epochs it
# gave 0.394 / 0.425 / 0.190 against 0.398 / 0.419 / 0.190 (round 9), no clear gain for twice
# the training time. The shipped weights are the tuned model's.
ENCODER_REFIT = False
# Self-training on the SemEval-2025 English articles as unlabelled text (`--unlabelled`, round 11):
# ahead on all five folds' validation sixths (0.473 / 0.461 / 0.230 against 0.459 / 0.444 / 0.215)
# and on the held-out folds (mean of folds 0.410 / 0.429 / 0.197 against 0.397 / 0.418 / 0.190);
# docs/quality.md. `train all` reads them from <data>/semeval2025-task10/EN/raw-documents.
ENCODER_SELF_TRAINING = True
# The student of self-training starts from the teacher's weights and learns for one epoch
# (round 19), instead of starting from MiniLM for ENCODER_EPOCHS: about 740 steps instead of
# 4,446 on the full data, so `train all` took 51 min instead of 86 on 2 cores. On fold 1, with the
# same teacher, level with the 6-epoch student: validation sixth 0.475 / 0.439 / 0.232 against
# 0.484 / 0.446 / 0.234, held out 0.422 / 0.453 / 0.195 against 0.408 / 0.455 / 0.202
# (docs/quality.md, "Round 19"). Over the five held-out folds 0.406 / 0.427 / 0.192 against
# round 11's 0.410 / 0.429 / 0.197 ("Round 20").
ENCODER_STUDENT_FROM_TEACHER = True
ENCODER_STUDENT_EPOCHS = 1
# PyTorch threads while fine-tuning: the shipped weights were trained with 2. Another count
# sums in another order, so it may change the weights' last digits (`--threads`).
ENCODER_THREADS = 2
