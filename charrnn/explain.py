"""Views into one prediction: belief after every prefix, and which letters mattered."""

from __future__ import annotations

import pandas as pd
import torch

from .predict import Predictor

MASK = "\ufffd"  # a character no vocabulary contains, so a masked letter becomes the unknown token


def _probabilities(predictor: Predictor, names: list[str], within: list[str] | None) -> torch.Tensor:
    """Return label probabilities for `names`, renormalised over the labels `within` when given.

    A script rule reports the network's belief restricted to the labels the script allows, so
    the letter views restrict it the same way. The other labels get probability 0.
    """
    log_probs = predictor.log_probs(names)  # (N, labels)
    if not within:
        return log_probs.exp()
    positions = [predictor.labels.index(label) for label in within]
    restricted = torch.zeros_like(log_probs)
    restricted[:, positions] = torch.softmax(log_probs[:, positions], dim=1)
    return restricted


def prefix_probabilities(
    predictor: Predictor, name: str, labels: list[str], within: list[str] | None = None
) -> pd.DataFrame:
    """Probability of each of `labels` after reading every prefix of a prepared name.

    All prefixes go through the network as one batch. A unidirectional model could read them
    in a single pass over the full name, but the bidirectional default and the n-gram bag look
    at the whole input, so each prefix is scored as a name of its own. `within` restricts the
    belief to those labels, as a script rule does. Returns one row per (position, label) with
    columns position, prefix, letter, label, probability.
    """
    prefixes = [name[: end] for end in range(1, len(name) + 1)]
    probabilities = _probabilities(predictor, prefixes, within)  # (T, labels)
    rows = []
    for position, prefix in enumerate(prefixes):
        for label in labels:
            rows.append({
                "position": position + 1,
                "prefix": prefix,
                "letter": f"{position + 1}:{prefix[-1]}",
                "label": label,
                "probability": float(probabilities[position, predictor.labels.index(label)]),
            })
    return pd.DataFrame(rows)


def letter_importance(
    predictor: Predictor, name: str, label: str | None = None, within: list[str] | None = None
) -> list[tuple[str, float]]:
    """Occlusion: mask one letter at a time and measure the drop of one label's probability.

    The label is `label` when given (for example the answer's top label after a script rule),
    otherwise the network's own top label for `name`. `within` restricts the probabilities to
    those labels, as a script rule does. Returns (letter, drop) pairs in reading order; a negative
    drop means the letter argued against the label. Spaces get 0 and are not masked. Raises
    ValueError for a label the predictor does not know.
    """
    variants = [name] + [name[:index] + MASK + name[index + 1 :] for index in range(len(name))]
    probabilities = _probabilities(predictor, variants, within)  # (1 + T, labels)
    top = int(probabilities[0].argmax()) if label is None else predictor.labels.index(label)
    full = float(probabilities[0, top])
    return [
        (char, 0.0 if char == " " else full - float(probabilities[index + 1, top]))
        for index, char in enumerate(name)
    ]
