"""Small helpers for timing figures: percentiles, medians and a clock that can be paused."""

from __future__ import annotations

import statistics
import time

import numpy as np


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) with linear interpolation, as numpy computes it."""
    if not values:
        raise ValueError("percentile of an empty list: time at least one run")
    return float(np.percentile(np.asarray(values, dtype=float), q))


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("median of an empty list: time at least one run")
    return float(statistics.median(values))


class TrainingClock:
    """Wall clock of a training run that leaves out the time spent measuring it.

    Probing test accuracy during training costs time the recipe itself never spends, so each
    probe runs inside `paused()` and its duration is subtracted.
    """

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._paused = 0.0

    def elapsed(self) -> float:
        """Seconds of training so far, probes excluded."""
        return time.perf_counter() - self._start - self._paused

    def pause(self) -> float:
        return time.perf_counter()

    def resume(self, paused_at: float) -> None:
        self._paused += time.perf_counter() - paused_at
