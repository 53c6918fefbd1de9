"""Helpers shared by the core tests: where the names data is, and small data sets made on the fly."""

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

import pytest


def names_path() -> Path:
    """Return the names folder from CHARRNN_DATA; skip locally, fail in CI, when it is not set."""
    value = os.environ.get("CHARRNN_DATA")
    if not value or not Path(value).is_dir():
        message = "set CHARRNN_DATA to the folder of the 18 <Language>.txt files"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return Path(value)


def write_names(folder: Path, files: dict[str, str]) -> Path:
    """Write `<Label>.txt` files with the given text into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for label, text in files.items():
        (folder / f"{label}.txt").write_text(text, encoding="utf-8")
    return folder


def train_small_checkpoint(path: Path, epochs: int = 2) -> Path:
    """Train a small GRU on a slice of the real split and save it as a checkpoint at `path`."""
    from charrnn.checkpoint import save_checkpoint
    from charrnn.data import load_dataset, split_dataset
    from charrnn.model import ModelConfig
    from charrnn.pipeline import finish_training, make_trainer
    from charrnn.train import TrainConfig

    dataset = load_dataset(names_path())
    split = split_dataset(dataset, seed=0)
    split.train, split.validation = split.train[:4000], split.validation[:600]
    model_config = ModelConfig(cell="gru", hidden_size=32, embedding_size=16, ngram_buckets=2000, ngram_size=16)
    trainer = make_trainer(dataset, split, model_config, TrainConfig(epochs=epochs, seed=1))
    for _ in trainer.run():
        pass
    predictor, _ = finish_training(trainer.result(), dataset, split, split_seed=0)
    return save_checkpoint(predictor.checkpoint_payload(), path)


@functools.cache
def small_checkpoint() -> Path:
    """Train the small test model once per test process; every test module shares the file."""
    folder = Path(tempfile.mkdtemp(prefix="charrnn-test-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return train_small_checkpoint(folder / "small.pt")
