"""Mini-batch training that reports progress as a stream of events.

`Trainer.run()` is a generator: the app turns its events into a live loss plot, the CLI into log
lines. A caller may stop it between steps by closing the generator or calling `stop()`. Then
`result()` still returns the best model seen so far, so a stopped run leaves a valid model behind.
"""

from __future__ import annotations

import copy
import logging
import math
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F

from .data import Example, Vocabulary, model_text
from .metrics import compute_metrics
from .model import ModelConfig, NameClassifier, count_parameters

log = logging.getLogger(__name__)

OPTIMIZERS = ("adamw", "sgd")
SCHEDULES = ("constant", "cosine", "onecycle")


@dataclass
class TrainConfig:
    epochs: int = 15  # planned epochs; the schedule spans them and early stopping may end sooner
    batch_size: int = 64
    learning_rate: float = 3e-3
    weight_decay: float = 0.01  # AdamW's decoupled weight decay (L2 for SGD)
    optimizer: str = "adamw"  # one of OPTIMIZERS
    clip_grad_norm: float = 1.0  # 0 disables clipping
    class_balanced: bool = False  # weight the loss by inverse label frequency
    label_smoothing: float = 0.0
    schedule: str = "cosine"  # learning-rate schedule over all planned steps, one of SCHEDULES
    ema_decay: float = 0.998  # >0 evaluates and keeps an exponential moving average (EMA) of the weights, updated every step
    patience: int = 0  # epochs without a better validation macro-F1 before stopping; 0 never stops early
    seed: int = 0
    evaluations_per_epoch: int = 1  # validation passes per epoch (more gives a denser live plot)
    log_every_steps: int = 10  # a "step" event every this many optimiser steps
    # torch intra-op threads; 0 keeps torch's default. Measured with `python -m charrnn train
    # --epochs 3` on a 2-core machine: when it was otherwise idle, 2 threads took 12.6 s and 1
    # thread 16.5 s. With another busy process, 2 threads stalled (no epoch in 90 s) while 1
    # thread kept 5.3 s per epoch. A demo server is rarely idle, so the default is 1.
    threads: int = 1

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}: choose one of {', '.join(OPTIMIZERS)}")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {self.schedule!r}: choose one of {', '.join(SCHEDULES)}")
        if not 0.0 <= self.ema_decay < 1.0:
            raise ValueError(f"ema_decay must be in [0, 1), got {self.ema_decay}")
        if self.epochs < 1 or self.batch_size < 1 or self.evaluations_per_epoch < 1:
            raise ValueError("epochs, batch_size and evaluations_per_epoch must be at least 1")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {self.learning_rate}")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainEvent:
    """One progress report. `kind` is "start", "step", "evaluation" or "end"."""

    kind: str
    step: int
    epoch: float  # fractional: 2.5 is half-way through the third epoch
    total_steps: int
    elapsed: float  # seconds since training started
    train_loss: float | None = None  # mean loss since the previous step event
    validation_loss: float | None = None
    validation_accuracy: float | None = None
    validation_macro_f1: float | None = None
    best_macro_f1: float | None = None
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TrainResult:
    model: NameClassifier  # best weights by validation macro-F1, in eval mode
    vocabulary: Vocabulary
    labels: list[str]
    model_config: ModelConfig
    train_config: TrainConfig
    best_epoch: float
    validation: dict  # metrics of the best model on the validation split
    history: list[dict] = field(default_factory=list)  # every evaluation event
    stopped_early: bool = False  # stopped by the caller before the planned epochs
    elapsed: float = 0.0


def batches(examples: list[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffle, then group names of similar length so that batches carry little padding."""
    shuffled = examples[:]
    rng.shuffle(shuffled)
    pool = batch_size * 32
    result = []
    for start in range(0, len(shuffled), pool):
        chunk = sorted(shuffled[start : start + pool], key=lambda example: len(example.name))
        result += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(result)
    return result


@torch.no_grad()
def predict_log_probs(
    model: NameClassifier, vocabulary: Vocabulary, names: list[str], batch_size: int = 1024
) -> torch.Tensor:
    """Return log-probabilities (N, labels) of the model's raw logits, in eval mode."""
    was_training = model.training
    model.eval()
    parts = []
    for start in range(0, len(names), batch_size):
        inputs = model.encode(vocabulary, names[start : start + batch_size])
        parts.append(F.log_softmax(model(inputs), dim=1))
    model.train(was_training)
    return torch.cat(parts) if parts else torch.empty(0, model.config.num_labels)


class Trainer:
    def __init__(
        self,
        train: list[Example],
        validation: list[Example],
        labels: list[str],
        model_config: ModelConfig,
        train_config: TrainConfig,
    ):
        if not train or not validation:
            raise ValueError("training needs non-empty train and validation splits")
        self.train_examples = train
        self.validation_examples = validation
        self.labels = list(labels)
        self.label_index = {label: index for index, label in enumerate(self.labels)}
        self.vocabulary = Vocabulary.from_names(
            model_text([example.name for example in train], model_config.lowercase)
        )
        model_config.vocab_size = len(self.vocabulary)
        model_config.num_labels = len(self.labels)
        self.model_config = model_config
        self.config = train_config
        torch.manual_seed(train_config.seed)
        self.model = NameClassifier(model_config)
        # Evaluation and the best checkpoint use these weights, which are the EMA copy when ema_decay > 0.
        self._kept_model = copy.deepcopy(self.model) if train_config.ema_decay else self.model
        self._average_updates = 0
        self._stop = threading.Event()
        self._best_state = copy.deepcopy(self.model.state_dict())
        self._best = {"macro_f1": -1.0, "epoch": 0.0, "metrics": {}}
        self.history: list[dict] = []
        self._elapsed = 0.0
        self._finished_planned = False

    def stop(self) -> None:
        """Ask a running `run()` to end after the current step; safe to call from another thread."""
        self._stop.set()

    def _evaluate(self, model: NameClassifier | None = None) -> dict:
        """Score `model` on the validation split, by default the weights in `_kept_model`."""
        names = [example.name for example in self.validation_examples]
        gold = [self.label_index[example.label] for example in self.validation_examples]
        model = self._kept_model if model is None else model
        metrics = compute_metrics(predict_log_probs(model, self.vocabulary, names), gold)
        return metrics.to_dict()

    def _loss_weights(self) -> torch.Tensor | None:
        if not self.config.class_balanced:
            return None
        counts = torch.zeros(len(self.labels))
        for example in self.train_examples:
            counts[self.label_index[example.label]] += 1
        weights = counts.sum() / (len(self.labels) * counts.clamp(min=1))
        return weights

    def _optimizer(self) -> torch.optim.Optimizer:
        parameters = self.model.parameters()
        if self.config.optimizer == "sgd":
            return torch.optim.SGD(
                parameters, lr=self.config.learning_rate, weight_decay=self.config.weight_decay
            )
        return torch.optim.AdamW(parameters, lr=self.config.learning_rate, weight_decay=self.config.weight_decay)

    def _scheduler(self, optimizer: torch.optim.Optimizer, total_steps: int):
        """Return a per-step learning-rate scheduler, or None for a constant rate."""
        if self.config.schedule == "cosine":
            return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
        if self.config.schedule == "onecycle":
            return torch.optim.lr_scheduler.OneCycleLR(
                optimizer, max_lr=self.config.learning_rate, total_steps=total_steps
            )
        return None

    @torch.no_grad()
    def _update_average(self) -> None:
        if self._kept_model is self.model:
            return
        # Warm-up: early on the average follows the weights closely, so a short run (a few hundred
        # steps in the app) is not dominated by the random initial weights.
        self._average_updates += 1
        decay = min(self.config.ema_decay, (1 + self._average_updates) / (10 + self._average_updates))
        for averaged, current in zip(self._kept_model.parameters(), self.model.parameters()):
            averaged.lerp_(current, 1.0 - decay)

    def run(self) -> Iterator[TrainEvent]:
        config = self.config
        if config.threads:
            torch.set_num_threads(config.threads)
        rng = random.Random(config.seed)
        torch.manual_seed(config.seed)
        optimizer = self._optimizer()
        weights = self._loss_weights()
        steps_per_epoch = math.ceil(len(self.train_examples) / config.batch_size)
        total_steps = steps_per_epoch * config.epochs
        scheduler = self._scheduler(optimizer, total_steps)
        evaluate_at = {
            round(steps_per_epoch * (part + 1) / config.evaluations_per_epoch)
            for part in range(config.evaluations_per_epoch)
        }
        start = time.perf_counter()
        step, running_loss, running_count = 0, 0.0, 0
        self._loss_since_evaluation = [0.0, 0]  # sum, count
        evaluations_without_gain = 0
        patience = config.patience * config.evaluations_per_epoch

        log.info(
            "training %s: %d train / %d validation pairs, %d labels, %d characters, %d parameters",
            self.model_config.cell, len(self.train_examples), len(self.validation_examples),
            len(self.labels), len(self.vocabulary), count_parameters(self.model),
        )
        yield TrainEvent("start", 0, 0.0, total_steps, 0.0)
        try:
            for epoch in range(config.epochs):
                self.model.train()
                for batch_number, batch in enumerate(batches(self.train_examples, config.batch_size, rng), 1):
                    if self._stop.is_set():
                        return
                    inputs = self.model.encode(self.vocabulary, [example.name for example in batch])
                    targets = torch.tensor([self.label_index[example.label] for example in batch])
                    loss = F.cross_entropy(
                        self.model(inputs), targets, weight=weights, label_smoothing=config.label_smoothing
                    )
                    optimizer.zero_grad()
                    loss.backward()
                    if config.clip_grad_norm:
                        torch.nn.utils.clip_grad_norm_(self.model.parameters(), config.clip_grad_norm)
                    optimizer.step()
                    if scheduler is not None:
                        scheduler.step()
                    self._update_average()
                    step += 1
                    loss_value = loss.item()
                    running_loss += loss_value
                    running_count += 1
                    self._loss_since_evaluation[0] += loss_value
                    self._loss_since_evaluation[1] += 1
                    self._elapsed = time.perf_counter() - start
                    fraction = epoch + batch_number / steps_per_epoch
                    if step % config.log_every_steps == 0:
                        yield TrainEvent(
                            "step", step, fraction, total_steps, self._elapsed,
                            train_loss=running_loss / running_count,
                        )
                        running_loss, running_count = 0.0, 0
                    if batch_number in evaluate_at:
                        event = self._evaluation_event(step, fraction, total_steps, start)
                        yield event
                        if event.message == "improved":
                            evaluations_without_gain = 0
                        else:
                            evaluations_without_gain += 1
                        if patience and evaluations_without_gain >= patience:
                            log.info("early stop: no better validation macro-F1 for %d epochs", config.patience)
                            self._finished_planned = True
                            return
            self._finished_planned = True
        finally:
            self._elapsed = time.perf_counter() - start
            self.model.load_state_dict(self._best_state)
            self.model.eval()

    def _evaluation_event(self, step: int, epoch: float, total_steps: int, start: float) -> TrainEvent:
        metrics = self._evaluate()
        improved = metrics["macro_f1"] > self._best["macro_f1"]
        if improved:
            self._best = {"macro_f1": metrics["macro_f1"], "epoch": epoch, "metrics": metrics}
            self._best_state = copy.deepcopy(self._kept_model.state_dict())
        elapsed = time.perf_counter() - start
        loss_sum, loss_count = self._loss_since_evaluation
        self._loss_since_evaluation = [0.0, 0]
        event = TrainEvent(
            "evaluation", step, epoch, total_steps, elapsed,
            train_loss=loss_sum / max(loss_count, 1),
            validation_loss=metrics["nll"],
            validation_accuracy=metrics["accuracy"],
            validation_macro_f1=metrics["macro_f1"],
            best_macro_f1=self._best["macro_f1"],
            message="improved" if improved else "",
        )
        self.history.append(event.to_dict())
        log.info(
            "epoch %5.2f | %6.1f s | train loss %.4f | validation loss %.4f | accuracy %.3f | macro-F1 %.3f%s",
            epoch, elapsed, event.train_loss, metrics["nll"], metrics["accuracy"], metrics["macro_f1"],
            " *" if improved else "",
        )
        return event

    def result(self) -> TrainResult:
        """Return the best model so far; call after `run()` ended, was closed or was stopped."""
        self.model.load_state_dict(self._best_state)
        self.model.eval()
        if self._best["macro_f1"] < 0:  # stopped before the first evaluation
            metrics = self._evaluate(self.model)
            self._best = {"macro_f1": metrics["macro_f1"], "epoch": 0.0, "metrics": metrics}
        return TrainResult(
            model=self.model,
            vocabulary=self.vocabulary,
            labels=self.labels,
            model_config=self.model_config,
            train_config=self.config,
            best_epoch=self._best["epoch"],
            validation=self._best["metrics"],
            history=list(self.history),
            stopped_early=not self._finished_planned,
            elapsed=self._elapsed,
        )


def fit_temperature(log_probs: torch.Tensor, gold: list[int]) -> float:
    """Return the temperature T that minimises validation NLL of softmax(logits / T).

    A one-dimensional search over log T is enough and needs no gradients.
    """
    targets = torch.as_tensor(gold)
    best_temperature, best_nll = 1.0, math.inf
    for log_t in torch.linspace(-1.5, 1.5, 301):
        temperature = float(log_t.exp())
        nll = F.cross_entropy(log_probs / temperature, targets).item()
        if nll < best_nll:
            best_temperature, best_nll = temperature, nll
    return best_temperature
