"""What every contender returns, and test-split scoring shared by all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from charrnn.data import Dataset, Example
from charrnn.metrics import compute_metrics

# Scores already prepared names: (N,) names in, (N, labels) log-probabilities out.
ScoreNames = Callable[[list[str]], torch.Tensor]


@dataclass
class Probe:
    seconds: float  # training seconds so far, time spent probing left out
    test_accuracy: float


@dataclass
class RecipeRun:
    """One training run of a contender on one split."""

    contender: str
    split_seed: int
    train_seconds: float  # wall time of training, probes left out
    metrics: dict  # charrnn.metrics.Metrics on the test split, as a dict
    probes: list[Probe] = field(default_factory=list)  # test accuracy during training, last one final
    score_names: ScoreNames | None = None  # the trained model, for inference timing
    details: dict = field(default_factory=dict)  # choices the recipe made, such as a tuned C


def gold_ids(examples: list[Example], labels: list[str]) -> list[int]:
    index = {label: position for position, label in enumerate(labels)}
    return [index[example.label] for example in examples]


def score_examples(score_names: ScoreNames, examples: list[Example], dataset: Dataset, labels: list[str]) -> dict:
    """Return test metrics, with any-label accuracy taken from every label a name has in `dataset`."""
    index = {label: position for position, label in enumerate(labels)}
    label_sets = dataset.label_sets()
    names = [example.name for example in examples]
    sets = [frozenset(index[label] for label in label_sets[name.casefold()]) for name in names]
    return compute_metrics(score_names(names), gold_ids(examples, labels), sets).to_dict()


def accuracy(score_names: ScoreNames, names: list[str], gold: list[int]) -> float:
    predicted = score_names(names).argmax(dim=1)
    return float((predicted == torch.as_tensor(gold)).float().mean())


def first_time_reaching(probes: list[Probe], target: float) -> float | None:
    """Return the training seconds of the first probe at or above `target`, or None when none is."""
    for probe in probes:
        if probe.test_accuracy >= target:
            return probe.seconds
    return None
