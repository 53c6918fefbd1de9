"""Top-k prediction from a checkpoint, for one name or many."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from .checkpoint import CheckpointError, load_checkpoint
from .data import Vocabulary, model_text
from .model import ModelConfig, NameClassifier
from .normalize import InvalidNameError, NormalizerConfig, normalize_name


@dataclass(frozen=True)
class Prediction:
    label: str
    probability: float  # calibrated with the checkpoint's temperature
    log_probability: float

    def tutorial_line(self) -> str:
        """Format as the tutorial prints it, e.g. `(-0.62) Korean`.

        A log-probability is never positive, so a value that rounds to zero prints as -0.00 whether
        it is exactly 0 (a script rule with one candidate) or just below it.
        """
        return f"({-abs(self.log_probability):.2f}) {self.label}"


@dataclass(frozen=True)
class BatchItem:
    """One row of a batch: the input, its top-k, or the reason it could not be scored."""

    text: str
    name: str | None  # the normalised name, None when normalisation failed
    predictions: list[Prediction] = field(default_factory=list)
    error: str | None = None


def half_precision(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Return a copy with every floating-point tensor in float16; `load_state_dict` converts back."""
    return {key: value.half() if value.is_floating_point() else value for key, value in state_dict.items()}


def _check_shapes(config: ModelConfig, state_dict: Any) -> None:
    """Raise ValueError unless `state_dict` has exactly the tensors `config` builds.

    The model is first built on the meta device, which allocates nothing, so a config that asks for
    huge layers is rejected before any memory is used. The real model is then no larger than the
    tensors stored in the file.
    """
    if not isinstance(state_dict, dict) or not all(isinstance(value, torch.Tensor) for value in state_dict.values()):
        raise ValueError("state_dict is not a dict of tensors")
    with torch.device("meta"):
        expected = {key: tuple(value.shape) for key, value in NameClassifier(config).state_dict().items()}
    found = {key: tuple(value.shape) for key, value in state_dict.items()}
    if expected != found:
        differing = sorted(key for key in expected.keys() | found.keys() if expected.get(key) != found.get(key))
        raise ValueError(f"tensor shapes differ from the model config at {', '.join(differing[:3])}")


class Predictor:
    """A loaded model with its vocabulary, labels, normaliser and calibration temperature."""

    def __init__(
        self,
        model: NameClassifier,
        vocabulary: Vocabulary,
        labels: list[str],
        normalizer: NormalizerConfig = NormalizerConfig(),
        temperature: float = 1.0,
        metadata: dict[str, Any] | None = None,
    ):
        self.model = model.eval()
        self.vocabulary = vocabulary
        self.labels = list(labels)
        self.normalizer = normalizer
        self.temperature = float(temperature)
        self.metadata = dict(metadata or {})

    @classmethod
    def from_checkpoint(cls, path: str | Path) -> Predictor:
        payload = load_checkpoint(path)
        try:
            config = ModelConfig(**payload["model_config"])
            _check_shapes(config, payload["state_dict"])
            model = NameClassifier(config)
            model.load_state_dict(payload["state_dict"])
            vocabulary = Vocabulary(payload["vocabulary"])
            normalizer = NormalizerConfig(**payload["normalizer"])
        except (TypeError, ValueError, RuntimeError, KeyError) as error:
            raise CheckpointError(
                f"checkpoint {Path(path).name} does not match this model code: {str(error).splitlines()[0][:300]}",
                "incompatible",
            ) from None
        if len(vocabulary) != config.vocab_size or len(payload["labels"]) != config.num_labels:
            raise CheckpointError(
                f"checkpoint {Path(path).name} has a vocabulary or label list of the wrong size", "incompatible"
            )
        metadata = {key: value for key, value in payload.items() if key not in ("state_dict",)}
        return cls(model, vocabulary, payload["labels"], normalizer, payload.get("temperature", 1.0), metadata)

    def checkpoint_payload(self) -> dict[str, Any]:
        """Return everything `save_checkpoint` needs to rebuild this predictor."""
        reserved = ("format", "version", "state_dict")
        extra = {key: value for key, value in self.metadata.items() if key not in reserved}
        return {
            **extra,
            "model_config": self.model.config.to_dict(),
            # Half precision halves the file; `finish_training` rounds the weights the same way
            # before it measures them, so the stored model is the measured one.
            "state_dict": half_precision(self.model.state_dict()),
            "vocabulary": self.vocabulary.to_list(),
            "labels": self.labels,
            "normalizer": self.normalizer.to_dict(),
            "temperature": self.temperature,
        }

    # -- preparing input ---------------------------------------------------------------------

    def prepare(self, text: str) -> str:
        """Normalise a name and check that the vocabulary contains at least one of its characters.

        Raises ValueError with the reason, so an empty sequence never reaches the network.
        """
        name = normalize_name(text, self.normalizer)
        if self.vocabulary.known_count(model_text([name], self.model.config.lowercase)[0]) == 0:
            raise InvalidNameError(
                "unknown_characters",
                f"name {name!r} contains no character this model knows (it was trained on Latin letters)",
            )
        return name

    # -- scoring -----------------------------------------------------------------------------

    @torch.no_grad()
    def log_probs(self, names: list[str]) -> torch.Tensor:
        """Calibrated log-probabilities (N, labels) of already prepared names."""
        inputs = self.model.encode(self.vocabulary, names)
        return F.log_softmax(self.model(inputs) / self.temperature, dim=1)

    def top_k(self, row: torch.Tensor, k: int) -> list[Prediction]:
        """Turn one row of log-probabilities into the k most probable predictions."""
        values, indices = torch.topk(row, k=max(1, min(k, len(self.labels))))
        return [
            Prediction(self.labels[index], math.exp(value), value)
            for value, index in zip(values.tolist(), indices.tolist())
        ]

    def predict(self, text: str, k: int = 3) -> list[Prediction]:
        """Return the top-k labels of one name, most probable first."""
        return self.top_k(self.log_probs([self.prepare(text)])[0], k)

    def predict_batch(self, texts: list[str], k: int = 3, batch_size: int = 1024) -> list[BatchItem]:
        """Score many names; a name that cannot be scored gets an error in its row, not an exception."""
        items: list[BatchItem | None] = [None] * len(texts)
        valid: list[tuple[int, str]] = []
        for position, text in enumerate(texts):
            try:
                valid.append((position, self.prepare(text)))
            except ValueError as error:
                items[position] = BatchItem(str(text), None, error=str(error))
        for start in range(0, len(valid), batch_size):
            chunk = valid[start : start + batch_size]
            rows = self.log_probs([name for _, name in chunk])
            for (position, name), row in zip(chunk, rows):
                items[position] = BatchItem(str(texts[position]), name, self.top_k(row, k))
        return items  # type: ignore[return-value]
