"""Narratives: the embedding heads also read closeness to descriptions of the opposite stance (round 30).

The taxonomy's narratives are one side's: the war as the Kremlin tells it, climate change as its doubters do.
An on-topic article without any of them ("Other") would tell the story the other way, or plainly report it;
the label descriptions (round 25) give the heads closeness to the narratives, nothing for their opposite. Here
twelve one-line descriptions of the mainstream side and of plain reporting (written for the purpose, before any
run) are embedded as further anchors, and the embedding heads ("Other" and narratives) read the article's
closeness to them too (best paragraph and mean, as for the label descriptions); everything else fits and is
tuned on inner folds as `spinlens train semeval2025` does.

    python experiments/narrative_counter_anchors_probe.py shipped counter      (about 3 min per variant)
    SEED=1 python experiments/narrative_counter_anchors_probe.py shipped counter
"""

from __future__ import annotations

import sys

import numpy as np
from narrative_label_closeness_probe import run_variants

import spinlens.train.semeval2025 as training
from spinlens.nlp.embed import article_encoder

COUNTER = [
    "Russia's full-scale invasion of Ukraine is an unprovoked war of aggression.",
    "Ukrainian forces defend their country against Russian attacks.",
    "Western allies send weapons and aid to help Ukraine resist the invasion.",
    "Russian missile strikes kill civilians in Ukrainian cities.",
    "Investigators document war crimes committed by Russian troops.",
    "Governments impose sanctions on Russia over the war.",
    "Scientists warn that global warming caused by human emissions is accelerating.",
    "Climate change makes heatwaves, floods and droughts more frequent and severe.",
    "Countries agree on targets to cut greenhouse gas emissions.",
    "Solar and wind power are growing fast and getting cheaper.",
    "Officials said in a statement on Tuesday that the talks would continue next week.",
    "According to the report, figures released by the agency showed a rise last year.",
]

shipped_anchors = training.label_anchors


def with_counter(model):
    return np.vstack([shipped_anchors(model), article_encoder().encode(COUNTER)])


def use_variant(variant: str) -> None:
    training.label_anchors = with_counter if variant == "counter" else shipped_anchors


if __name__ == "__main__":
    run_variants(sys.argv[1:], use_variant)
