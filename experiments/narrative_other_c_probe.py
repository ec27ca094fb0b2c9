"""Narratives: the "Other" head's, or the sub-narrative heads', own regularisation (round 31).

Every TF-IDF narrative head is fitted with C = 30, the "Other" head too, though it decides most of the score
(`narrative_error_budget.py`: with the "Other or not" decision right, coarse samples-F1 0.613 -> 0.756). Here
the TF-IDF "Other" head alone is fitted with another C; everything else fits and tunes as `spinlens train
semeval2025` does.

    python experiments/narrative_other_c_probe.py shipped C=3 C=10 C=100
    SEED=1 python experiments/narrative_other_c_probe.py shipped C=10        (another draw of folds)
    python experiments/narrative_other_c_probe.py sub:C=10 sub:C=100         (the sub-narrative heads instead)
"""

from __future__ import annotations

import sys

from narrative_label_closeness_probe import run_variants

import spinlens.models.semeval2025 as models

shipped_fit = models.fit_binary_heads
OTHER_C = {"C": None, "heads": "other"}


def is_subnarrative_heads(labels) -> bool:
    # "URW: Discrediting Ukraine: Ukraine is a puppet of the West"; narratives have one colon.
    return len(labels) > 1 and all(label.count(": ") >= 2 for label in labels)


def fit_with_other_c(X, Y, labels, *, C, seed, dual=True):
    chosen = list(labels) == [models.OTHER] if OTHER_C["heads"] == "other" else is_subnarrative_heads(labels)
    if dual and chosen and OTHER_C["C"] is not None:
        C = OTHER_C["C"]
    return shipped_fit(X, Y, labels, C=C, seed=seed, dual=dual)


models.fit_binary_heads = fit_with_other_c


def use_variant(variant: str) -> None:
    heads, _, setting = variant.rpartition(":")
    OTHER_C["heads"] = heads or "other"
    OTHER_C["C"] = None if variant == "shipped" else float(setting.removeprefix("C="))


def main() -> None:
    run_variants(sys.argv[1:], use_variant)


if __name__ == "__main__":
    main()
