from __future__ import annotations

import numpy as np

from spinlens.features.cues import _CUE_PATTERNS, CUE_NAMES, cue_vector, find_cues

TEXT = "Experts say this disgraceful plan will never work. Everyone knows it, and everyone always has."


def test_cues_are_found_with_their_offsets_shifted() -> None:
    found = find_cues(TEXT)
    assert [(c.cue, TEXT[c.start : c.end]) for c in found][:3] == [
        ("authority", "Experts"),
        ("intensifier", "disgraceful"),
        ("absolute", "never"),
    ]
    shifted = find_cues(TEXT, 100)
    assert [(c.cue, c.start - 100, c.end - 100, c.text) for c in shifted] == [
        (c.cue, c.start, c.end, c.text) for c in found
    ]
    # Each call's list is the caller's own: changing one leaves the next call's alone.
    found.clear()
    assert len(find_cues(TEXT)) == len(shifted)


def test_cue_counts_are_each_patterns_matches() -> None:
    counts = np.expm1(cue_vector(TEXT)[: len(CUE_NAMES)])
    expected = [len(_CUE_PATTERNS[name].findall(TEXT)) for name in CUE_NAMES]
    np.testing.assert_allclose(counts, expected, atol=1e-9)
    assert round(counts[CUE_NAMES.index("absolute")]) == 4  # never, Everyone, everyone, always
