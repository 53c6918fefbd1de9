"""Prediction sets with a stated coverage, by split conformal prediction on the validation split.

With the score 1 - p(true label) and its quantile q fitted on n validation pairs, the set
{label : p(label) >= 1 - q} contains the true label with probability at least 1 - alpha for a new
name drawn like the validation names. The test split checks that promise.
"""

from __future__ import annotations

import math

import torch


def conformal_threshold(probabilities: torch.Tensor, gold: list[int], alpha: float = 0.1) -> float:
    """Return the probability a label needs to enter the prediction set (1 - q)."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    scores = 1.0 - probabilities[torch.arange(len(gold)), torch.as_tensor(gold)]
    count = len(gold)
    rank = min(count, math.ceil((count + 1) * (1 - alpha)))
    quantile = float(torch.sort(scores).values[rank - 1])
    return 1.0 - quantile


def prediction_set(probabilities: list[float] | torch.Tensor, labels: list[str], threshold: float) -> list[str]:
    """Labels whose probability reaches `threshold`, most probable first; never empty."""
    ranked = sorted(zip(labels, [float(value) for value in probabilities]), key=lambda pair: -pair[1])
    chosen = [label for label, probability in ranked if probability >= threshold]
    return chosen or [ranked[0][0]]


def set_coverage(probabilities: torch.Tensor, gold: list[int], threshold: float) -> tuple[float, float]:
    """Return (fraction of pairs whose label is in its set, mean set size) on held-out pairs."""
    inside = probabilities >= threshold
    top = probabilities.argmax(dim=1)
    inside[torch.arange(len(gold)), top] = True  # a set is never empty
    covered = inside[torch.arange(len(gold)), torch.as_tensor(gold)].float().mean().item()
    return covered, inside.sum(dim=1).float().mean().item()
