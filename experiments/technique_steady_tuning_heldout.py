"""Round 32: `spinlens evaluate techniques-encoder` with the encoder's config tuned steadily (`tune_config(...,
steady=True)`: every threshold and setting judged with its grid neighbours) instead of at the best point. Takes
the command's own arguments; with --checkpoints holding the folds' weights it only re-tunes and decodes.

    python experiments/technique_steady_tuning_heldout.py evaluate techniques-encoder \
        --data ../shared/data/semeval2023-task3/en --unlabelled ../shared/data/semeval2025-task10/EN/raw-documents \
        --checkpoints DIR --fold 1
"""
import functools
import os

import spinlens.train.technique_encoder as technique_encoder
from spinlens.cli import main

# STEADY_SPANS=1: the span thresholds and the span labeller's shares are chosen steadily too.
technique_encoder.tune_config = functools.partial(
    technique_encoder.tune_config, steady=True, steady_spans=os.environ.get("STEADY_SPANS") == "1"
)
main()
