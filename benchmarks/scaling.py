"""Training time per epoch as the training split grows by repetition with perturbation."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from charrnn.data import Dataset, Example, Split
from charrnn.model import ModelConfig
from charrnn.pipeline import make_trainer
from charrnn.train import TrainConfig

from .timing import TrainingClock, median


@dataclass
class ScalingPoint:
    factor: int  # the training split repeated this many times
    train_pairs: int
    seconds_per_epoch: float  # median over repeats
    repeats: int


def perturb(name: str, rng: random.Random) -> str:
    """Swap two neighbouring letters or double one letter, leaving the first letter in place.

    The copies are then new strings of the same length, alphabet and language, so the network does
    the same work per name as on the originals.
    """
    if len(name) < 2:
        return name + name[-1:]
    position = rng.randrange(1, len(name))
    if len(name) >= 3 and position < len(name) - 1 and rng.random() < 0.5:
        return name[:position] + name[position + 1] + name[position] + name[position + 2 :]
    return name[: position + 1] + name[position:]


def grow(examples: list[Example], factor: int, seed: int = 0) -> list[Example]:
    """Return the examples followed by `factor - 1` perturbed copies of them."""
    rng = random.Random(seed)
    grown = list(examples)
    for _ in range(factor - 1):
        grown += [Example(perturb(example.name, rng), example.label) for example in examples]
    return grown


def seconds_per_epoch(
    dataset: Dataset, split: Split, model_config: ModelConfig, train_config: TrainConfig, factor: int
) -> float:
    """Train one epoch on the grown split and return the seconds up to its last optimiser step.

    The time stops before the end-of-epoch validation pass, whose size does not grow with the data.
    """
    grown = Split(grow(split.train, factor), split.validation, split.test)
    config = dataclasses.replace(train_config, epochs=1, patience=0, log_every_steps=1)
    trainer = make_trainer(dataset, grown, dataclasses.replace(model_config), config)
    clock = TrainingClock()
    last_step_seconds = 0.0
    for event in trainer.run():
        if event.kind == "step":
            last_step_seconds = clock.elapsed()
    return last_step_seconds


def measure_scaling(
    dataset: Dataset,
    split: Split,
    model_config: ModelConfig,
    train_config: TrainConfig,
    factors: tuple[int, ...],
    repeats: int,
) -> list[ScalingPoint]:
    points = []
    for factor in factors:
        times = [seconds_per_epoch(dataset, split, model_config, train_config, factor) for _ in range(repeats)]
        points.append(ScalingPoint(factor, len(split.train) * factor, median(times), repeats))
    return points
