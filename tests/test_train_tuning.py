"""Choosing thresholds and settings on a validation set: the best point, or the steadiest one."""

from __future__ import annotations

import numpy as np

from spinlens.train.semeval2023 import tune_thresholds
from spinlens.train.technique_encoder import best_setting, neighbourhood_means


def peak_beside_a_cliff() -> tuple[np.ndarray, np.ndarray]:
    """One label whose F1 is best at a threshold of 0.3, with forty negatives just under it (at 0.28).

    Ten positives sit at 0.3, thirty at 0.8, and two negatives at 0.5 between the groups.
    """
    scores = [0.3] * 10 + [0.8] * 30 + [0.28] * 40 + [0.5] * 2
    gold = [1] * 40 + [0] * 42
    return np.array(gold)[:, None], np.array(scores)[:, None]


def test_thresholds_take_the_peak_or_with_steady_step_back_from_the_cliff() -> None:
    Y, P = peak_beside_a_cliff()
    assert tune_thresholds(Y, P)[0] == 0.3
    # One grid step lower lets the forty negatives in; one step higher loses only ten positives.
    assert 0.3 < tune_thresholds(Y, P, steady=True)[0] < 0.5


def test_steady_thresholds_tune_every_label_and_silence_unseen_ones() -> None:
    rng = np.random.RandomState(0)
    Y = (rng.rand(400, 4) < 0.25).astype(int)
    Y[:, 3] = 0
    P = np.clip(0.35 * Y + 0.65 * rng.rand(400, 4), 0, 1)
    plain, steady = tune_thresholds(Y, P), tune_thresholds(Y, P, steady=True)
    assert plain[3] == steady[3] == 1.01
    assert all(0.05 <= t <= 0.95 for t in steady[:3])
    assert all(0.05 <= t <= 0.95 for t in plain[:3])


def test_neighbourhood_means_average_each_point_with_the_points_around_it() -> None:
    grids = ((0.0, 0.5, 1.0), (1, 2))
    scores = {(a, b): float(i) for i, (a, b) in enumerate((a, b) for a in grids[0] for b in grids[1])}
    means = neighbourhood_means(scores, grids)
    # Beyond an end the point itself stands in: (0.0, 1) counts itself four times.
    assert means[(0.0, 1)] == np.mean([0, 0, 0, 0, 1, 1, 2, 2, 3])
    assert means[(0.5, 2)] == np.mean([0, 1, 1, 2, 3, 3, 4, 5, 5])
    # Points missing from the grid (as span thresholds with high under low) are left out, not counted as zero.
    del scores[(1.0, 1)]
    assert neighbourhood_means(scores, grids)[(1.0, 2)] == np.mean([2, 3, 3, 5, 5, 5, 5])


def test_best_setting_is_the_peak_or_the_centre_of_the_plateau() -> None:
    grid = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    scores = dict(zip([(g,) for g in grid], (0.30, 0.50, 0.31, 0.30, 0.40, 0.48, 0.49, 0.48), strict=True))
    assert best_setting(scores, (grid,), steady=False) == (0.2,)
    assert best_setting(scores, (grid,), steady=True) == (0.7,)
    # Ties go to the first point, as the plain search always did.
    flat = {(g,): 0.5 for g in grid}
    assert best_setting(flat, (grid,), steady=False) == (0.1,)
