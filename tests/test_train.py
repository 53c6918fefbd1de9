import pytest

from charrnn.data import load_dataset, split_dataset
from charrnn.model import ModelConfig
from charrnn.pipeline import finish_training, make_trainer
from charrnn.train import TrainConfig
from tests.support import names_path

SMALL_MODEL = dict(cell="gru", hidden_size=32, embedding_size=16, ngram_buckets=2000, ngram_size=16)


@pytest.fixture(scope="module")
def names():
    # A slice of the real split keeps each run to a few seconds on two cores.
    dataset = load_dataset(names_path())
    split = split_dataset(dataset, seed=0)
    split.train, split.validation = split.train[:3000], split.validation[:600]
    return dataset, split


def run_small(names, **train_options):
    dataset, split = names
    options = dict(epochs=3, batch_size=64, seed=7, log_every_steps=5, evaluations_per_epoch=2)
    options.update(train_options)
    trainer = make_trainer(dataset, split, ModelConfig(**SMALL_MODEL), TrainConfig(**options))
    return trainer, list(trainer.run())


def test_training_loss_falls_and_validation_learns(names):
    trainer, events = run_small(names)
    losses = [event.train_loss for event in events if event.kind == "step"]
    evaluations = [event for event in events if event.kind == "evaluation"]
    assert len(losses) >= 8
    assert sum(losses[-5:]) / 5 < 0.7 * sum(losses[:5]) / 5
    assert len(evaluations) == 6
    assert evaluations[-1].validation_accuracy > 0.5
    assert all(event.elapsed >= 0 for event in events)


def test_same_seed_gives_same_weights(names):
    first, _ = run_small(names, epochs=1)
    second, _ = run_small(names, epochs=1)
    for (name, left), (_, right) in zip(first.result().model.state_dict().items(),
                                        second.result().model.state_dict().items()):
        assert left.equal(right), name


def test_stop_between_steps_leaves_a_valid_model(names):
    dataset, split = names
    trainer = make_trainer(dataset, split, ModelConfig(**SMALL_MODEL),
                           TrainConfig(epochs=5, batch_size=128, evaluations_per_epoch=4, log_every_steps=5))
    run = trainer.run()
    for event in run:
        if event.kind == "evaluation":
            run.close()
            break
    result = trainer.result()
    assert result.stopped_early
    assert result.validation["accuracy"] > 0.3
    predictor, evaluation = finish_training(result, dataset, split, split_seed=0)
    assert predictor.predict("Nguyen")[0].label
    assert evaluation.metrics["n_test"] == len(split.test)


def test_stop_method_ends_run(names):
    dataset, split = names
    trainer = make_trainer(dataset, split, ModelConfig(**SMALL_MODEL), TrainConfig(epochs=5, log_every_steps=1))
    steps = 0
    for event in trainer.run():
        steps += event.kind == "step"
        if steps == 3:
            trainer.stop()
    assert steps == 3
    assert trainer.result().stopped_early


def test_finish_training_reports_test_metrics_and_temperature(names):
    dataset, split = names
    trainer, _ = run_small(names, epochs=1)
    predictor, evaluation = finish_training(trainer.result(), dataset, split, split_seed=0)
    metrics = evaluation.metrics
    assert set(metrics) >= {"accuracy", "any_label_accuracy", "macro_f1", "top3_accuracy", "ece", "n_test"}
    assert metrics["any_label_accuracy"] >= metrics["accuracy"]
    assert metrics["top3_accuracy"] >= metrics["accuracy"]
    assert 0.2 < predictor.temperature < 5
    assert list(evaluation.per_label["label"]) == dataset.labels
    assert evaluation.confusion.to_numpy().sum() == metrics["n_test"]


def test_invalid_train_config_is_rejected():
    with pytest.raises(ValueError, match="unknown optimizer"):
        TrainConfig(optimizer="adam2")
    with pytest.raises(ValueError, match="learning_rate"):
        TrainConfig(learning_rate=0)
