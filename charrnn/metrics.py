"""Test-split figures: accuracy, any-label accuracy, macro-F1, top-3, per-language table, confusion.

Names listed under several languages (99 of the 100 Scottish names are also English) cap the plain
pair accuracy: whatever the model predicts for such a name, one of its pairs is wrong. The
any-label accuracy counts a prediction as correct when it is any of the name's labels, so the two
figures side by side show how much of the error is the data's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import torch


@dataclass
class Metrics:
    accuracy: float  # plain pair accuracy: top-1 equals the pair's label
    any_label_accuracy: float  # top-1 is any label of the name in the whole data set
    macro_f1: float  # unweighted mean F1 over labels, on pairs
    top3_accuracy: float  # the pair's label is among the top 3
    nll: float  # mean negative log-likelihood of the pair's label
    ece: float  # expected calibration error of the top-1 probability, 15 equal-width bins
    n_test: int

    def to_dict(self) -> dict:
        return asdict(self)


def macro_f1(gold: np.ndarray, predicted: np.ndarray, num_labels: int) -> float:
    """Unweighted mean of per-label F1; labels absent from both gold and prediction are skipped."""
    scores = []
    for label in range(num_labels):
        true_positive = np.sum((predicted == label) & (gold == label))
        predicted_count = np.sum(predicted == label)
        gold_count = np.sum(gold == label)
        if predicted_count == 0 and gold_count == 0:
            continue
        scores.append(2 * true_positive / (predicted_count + gold_count))
    return float(np.mean(scores)) if scores else 0.0


def expected_calibration_error(probabilities: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    """Weighted mean gap between confidence and accuracy of the top-1 prediction over confidence bins."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    error = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            error += in_bin.mean() * abs(confidence[in_bin].mean() - correct[in_bin].mean())
    return float(error)


def compute_metrics(
    log_probs: torch.Tensor,
    gold: Sequence[int],
    label_sets: Sequence[frozenset[int]] | None = None,
) -> Metrics:
    """Score log-probabilities (N, labels) against gold label ids; `label_sets` for any-label accuracy."""
    log_probs = log_probs.detach().float()
    gold_array = np.asarray(gold)
    probabilities = log_probs.exp().numpy()
    predicted = probabilities.argmax(axis=1)
    top3 = torch.topk(log_probs, k=min(3, log_probs.shape[1]), dim=1).indices.numpy()
    if label_sets is None:
        any_label = predicted == gold_array
    else:
        any_label = np.array([label in labels for label, labels in zip(predicted, label_sets)])
    nll = -log_probs[torch.arange(len(gold_array)), torch.as_tensor(gold_array)].mean().item()
    return Metrics(
        accuracy=float(np.mean(predicted == gold_array)),
        any_label_accuracy=float(np.mean(any_label)),
        macro_f1=macro_f1(gold_array, predicted, log_probs.shape[1]),
        top3_accuracy=float(np.mean((top3 == gold_array[:, None]).any(axis=1))),
        nll=float(nll) if math.isfinite(nll) else float("inf"),
        ece=expected_calibration_error(probabilities, gold_array),
        n_test=len(gold_array),
    )


def per_label_table(gold: Sequence[int], predicted: Sequence[int], labels: Sequence[str]) -> pd.DataFrame:
    """Precision, recall, F1 and support for every label, one row per label."""
    gold_array, predicted_array = np.asarray(gold), np.asarray(predicted)
    rows = []
    for index, label in enumerate(labels):
        true_positive = int(np.sum((predicted_array == index) & (gold_array == index)))
        predicted_count = int(np.sum(predicted_array == index))
        support = int(np.sum(gold_array == index))
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"label": label, "precision": precision, "recall": recall, "f1": f1, "support": support})
    return pd.DataFrame(rows)


def confusion_matrix(gold: Sequence[int], predicted: Sequence[int], labels: Sequence[str]) -> pd.DataFrame:
    """Counts with gold labels as rows and predicted labels as columns."""
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for true_label, predicted_label in zip(gold, predicted):
        matrix[true_label, predicted_label] += 1
    return pd.DataFrame(matrix, index=list(labels), columns=list(labels))


def most_confused_pairs(confusion: pd.DataFrame, k: int = 10) -> list[tuple[str, str, int]]:
    """Return the k largest off-diagonal cells as (gold, predicted, count), largest first."""
    cells = [
        (gold, predicted, int(confusion.loc[gold, predicted]))
        for gold in confusion.index
        for predicted in confusion.columns
        if gold != predicted and confusion.loc[gold, predicted] > 0
    ]
    return sorted(cells, key=lambda cell: (-cell[2], cell[0], cell[1]))[:k]


def summarize(metrics: Mapping[str, float]) -> str:
    return (
        f"accuracy {metrics['accuracy']:.3f}, any-label accuracy {metrics['any_label_accuracy']:.3f}, "
        f"macro-F1 {metrics['macro_f1']:.3f}, top-3 accuracy {metrics['top3_accuracy']:.3f}, "
        f"ECE {metrics['ece']:.3f}"
    )
