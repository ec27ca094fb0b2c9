"""The shipped technique encoder's training recipe, in one place.

``FineTuneSettings``, ``rebuild_all`` and the CLI defaults all read these, so that
``spinlens train all`` with no options rebuilds exactly what ships. Kept free of
imports so the CLI can read it without loading the training code.
"""

from __future__ import annotations

# Fine-tuning epochs of the technique encoder.
ENCODER_EPOCHS = 4
# After tuning on the validation sixth, fine-tune again on every article and ship that
# model with the tuned config (docs/quality.md, rounds 6-7).
ENCODER_REFIT = True
