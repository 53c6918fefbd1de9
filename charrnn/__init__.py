"""charrnn: tell which language a surname comes from with a character-level recurrent network."""

from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .data import DataError, Dataset, load_dataset, split_dataset
from .model import CELLS, ModelConfig, NameClassifier
from .normalize import InvalidNameError, NormalizerConfig, normalize_name
from .predict import BatchItem, Prediction, Predictor
from .train import TrainConfig, TrainEvent, Trainer

__all__ = [
    "CELLS", "BatchItem", "CheckpointError", "DataError", "Dataset", "InvalidNameError", "ModelConfig", "NameClassifier",
    "NormalizerConfig", "Prediction", "Predictor", "TrainConfig", "TrainEvent", "Trainer",
    "load_checkpoint", "load_dataset", "normalize_name", "save_checkpoint", "split_dataset",
]
