"""The steps after training that the CLI and the app share: calibrate, package, evaluate on test."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd
import torch

from .calibration import conformal_threshold, set_coverage
from .data import Dataset, Example, Split, split_dataset
from .metrics import compute_metrics, confusion_matrix, expected_calibration_error, most_confused_pairs, per_label_table
from .model import ModelConfig
from .normalize import NormalizerConfig
from .predict import Predictor, half_precision
from .train import Trainer, TrainConfig, TrainResult, fit_temperature, predict_log_probs


CONFORMAL_ALPHA = 0.1  # prediction sets aim to hold the true label for 90% of names


@dataclass
class Evaluation:
    metrics: dict  # see metrics.Metrics
    per_label: pd.DataFrame  # label, precision, recall, f1, support
    confusion: pd.DataFrame  # gold rows x predicted columns, counts
    confused_pairs: list[tuple[str, str, int]]  # (gold, predicted, count), largest first
    misclassified: pd.DataFrame  # name, gold, predicted, top3 of every wrong test pair


def evaluate_predictor(predictor: Predictor, examples: list[Example], dataset: Dataset) -> Evaluation:
    """Score a predictor on held-out examples; labels unknown to the predictor count as errors."""
    index = {label: position for position, label in enumerate(predictor.labels)}
    kept = [example for example in examples if example.label in index]
    if not kept:
        raise ValueError("no test example has a label this model knows")
    label_sets = dataset.label_sets()
    names = [example.name for example in kept]
    log_probs = predictor.log_probs(names)
    gold = [index[example.label] for example in kept]
    sets = [frozenset(index[label] for label in label_sets[name.casefold()] if label in index) for name in names]
    metrics = compute_metrics(log_probs, gold, sets).to_dict()
    conformal = predictor.metadata.get("conformal")
    if conformal:
        coverage, size = set_coverage(log_probs.exp(), gold, conformal["threshold"])
        metrics.update(set_coverage=coverage, mean_set_size=size, set_target=1 - conformal["alpha"])

    predicted = log_probs.argmax(dim=1).tolist()
    top3 = torch.topk(log_probs, k=min(3, len(predictor.labels)), dim=1)
    wrong = []
    for row, example in enumerate(kept):
        if predicted[row] != gold[row]:
            answers = ", ".join(
                f"{predictor.labels[label]} {value:.2f}"
                for value, label in zip(top3.values[row].exp().tolist(), top3.indices[row].tolist())
            )
            also = sorted(label_sets[example.name.casefold()] - {example.label})
            wrong.append({"name": example.name, "gold": example.label, "also_listed_as": ", ".join(also),
                          "predicted": predictor.labels[predicted[row]], "top3": answers})
    confusion = confusion_matrix(gold, predicted, predictor.labels)
    return Evaluation(
        metrics=metrics,
        per_label=per_label_table(gold, predicted, predictor.labels),
        confusion=confusion,
        confused_pairs=most_confused_pairs(confusion),
        misclassified=pd.DataFrame(wrong, columns=["name", "gold", "also_listed_as", "predicted", "top3"]),
    )


def make_trainer(
    dataset: Dataset, split: Split, model_config: ModelConfig, train_config: TrainConfig
) -> Trainer:
    return Trainer(split.train, split.validation, dataset.labels, model_config, train_config)


def finish_training(
    result: TrainResult,
    dataset: Dataset,
    split: Split,
    split_seed: int,
    normalizer: NormalizerConfig = NormalizerConfig(),
    data_source: str = "",
) -> tuple[Predictor, Evaluation]:
    """Fit the temperature on validation, package a Predictor and evaluate it on the test split."""
    index = {label: position for position, label in enumerate(result.labels)}
    # Round the weights to what the checkpoint stores (float16) before anything is measured.
    result.model.load_state_dict(half_precision(result.model.state_dict()))
    validation_names = [example.name for example in split.validation]
    validation_gold = [index[example.label] for example in split.validation]
    raw = predict_log_probs(result.model, result.vocabulary, validation_names)
    temperature = fit_temperature(raw, validation_gold)
    calibrated = torch.log_softmax(raw / temperature, dim=1)
    gold_tensor = torch.as_tensor(validation_gold).numpy()
    metadata = {
        "split_seed": split_seed,
        "train_config": result.train_config.to_dict(),
        "best_epoch": result.best_epoch,
        "train_seconds": result.elapsed,
        "validation_metrics": result.validation,
        "validation_ece_before": expected_calibration_error(raw.exp().numpy(), gold_tensor),
        "validation_ece_after": expected_calibration_error(calibrated.exp().numpy(), gold_tensor),
        "data_source": data_source,
        "data_pairs": len(dataset.examples),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "torch_version": str(torch.__version__),
    }
    threshold = conformal_threshold(calibrated.exp(), validation_gold, CONFORMAL_ALPHA)
    metadata["conformal"] = {"alpha": CONFORMAL_ALPHA, "threshold": threshold, "validation_pairs": len(validation_gold)}
    predictor = Predictor(result.model, result.vocabulary, result.labels, normalizer, temperature, metadata)
    evaluation = evaluate_predictor(predictor, split.test, dataset)
    predictor.metadata["test_metrics"] = evaluation.metrics
    return predictor, evaluation


def evaluate_on_split(predictor: Predictor, dataset: Dataset, split_seed: int) -> Evaluation:
    """Evaluate on the test split that `split_seed` defines for `dataset`."""
    return evaluate_predictor(predictor, split_dataset(dataset, split_seed).test, dataset)
