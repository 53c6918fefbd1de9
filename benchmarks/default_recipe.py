"""The recipe that made the shipped checkpoint, read back from the checkpoint's metadata.

Reading the recipe from `checkpoints/default.pt` instead of restating it here means the benchmark
always measures what ships: a new checkpoint brings its new recipe with it.
"""

from __future__ import annotations

import dataclasses

from charrnn.checkpoint import CheckpointError
from charrnn.data import Dataset, Split
from charrnn.model import ModelConfig
from charrnn.pipeline import finish_training, make_trainer
from charrnn.predict import Predictor
from charrnn.train import TrainConfig, predict_log_probs

from .scoring import Probe, RecipeRun, accuracy, gold_ids
from .timing import TrainingClock


def shipped_recipe(predictor: Predictor) -> tuple[ModelConfig, TrainConfig]:
    """Return fresh copies of the model and training configurations a loaded checkpoint stores."""
    train_config = predictor.metadata.get("train_config")
    if not train_config:
        raise CheckpointError(
            "the checkpoint stores no train_config in its metadata; "
            "save it with charrnn.pipeline.finish_training so the recipe is recorded"
        )
    return ModelConfig(**predictor.model.config.to_dict()), TrainConfig(**train_config)


def train_default(
    dataset: Dataset,
    split: Split,
    split_seed: int,
    model_config: ModelConfig,
    train_config: TrainConfig,
    probes_per_epoch: int = 8,
) -> RecipeRun:
    """Train the shipped recipe with the library's Trainer, probing test accuracy as it runs.

    Probes score the current raw weights on the test split between steps. A recipe with an
    exponential moving average keeps the averaged weights instead, but the raw ones are a usable
    model at that moment too. Probes change no weights and draw no random numbers, so the run trains
    exactly as it would unprobed. The probe time is left
    out of the training time. Calibration after training (under a second) is not counted.
    """
    model_config = dataclasses.replace(model_config)  # Trainer writes vocab_size and num_labels into it
    trainer = make_trainer(dataset, split, model_config, train_config)
    test_names = [example.name for example in split.test]
    test_gold = gold_ids(split.test, dataset.labels)
    steps_per_epoch = -(-len(split.train) // train_config.batch_size)
    probe_every = max(1, steps_per_epoch // probes_per_epoch)

    def current_weights(names: list[str]):
        return predict_log_probs(trainer.model, trainer.vocabulary, names)

    probes = []
    next_probe = probe_every
    clock = TrainingClock()
    for event in trainer.run():
        if event.kind == "step" and event.step >= next_probe:
            paused_at = clock.pause()
            probes.append(Probe(clock.elapsed(), accuracy(current_weights, test_names, test_gold)))
            next_probe = event.step + probe_every
            clock.resume(paused_at)
    seconds = clock.elapsed()

    predictor, evaluation = finish_training(trainer.result(), dataset, split, split_seed)
    probes.append(Probe(seconds, evaluation.metrics["accuracy"]))
    return RecipeRun(
        contender="default (shipped recipe)",
        split_seed=split_seed,
        train_seconds=seconds,
        metrics=evaluation.metrics,
        probes=probes,
        score_names=predictor.log_probs,
    )
