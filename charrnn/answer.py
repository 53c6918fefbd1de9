"""The full answer the app shows for one typed name: script rule or model, certainty, a set."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from .calibration import prediction_set
from .normalize import InvalidNameError, normalize_name
from .predict import Prediction, Predictor
from .scripts import script_evidence

UNCERTAIN_BELOW = 0.5  # a top probability under this is shown as uncertain
MAX_UNKNOWN_SHARE = 0.5  # more than this share of unknown characters is shown as uncertain


@dataclass
class Answer:
    text: str  # as typed
    name: str  # after normalisation
    script: str  # see scripts.ScriptEvidence
    source: str  # "model", or "script" when the writing system decided the candidates
    model_input: str  # what the network read: the name, or its transliteration
    predictions: list[Prediction]
    prediction_set: list[str]  # labels that together reach the stated coverage
    coverage: float | None  # 0.9 for a 90% set; None when the checkpoint has no conformal fit
    uncertain: bool
    unknown_characters: list[str] = field(default_factory=list)
    script_labels: list[str] = field(default_factory=list)  # labels a script rule allowed; empty when the model decided


def answer_name(predictor: Predictor, text: str, k: int = 3) -> Answer:
    """Answer one typed name; raises ValueError with the reason when it cannot be scored."""
    name = normalize_name(text, predictor.normalizer)
    evidence = script_evidence(name, predictor.labels)
    if not evidence.transliteration.strip():
        raise InvalidNameError("unreadable_script", f"name {name!r} is written in a script this model cannot read")
    model_input = predictor.prepare(evidence.transliteration)
    log_probs = predictor.log_probs([model_input])[0]
    unknown = predictor.vocabulary.unknown_characters(model_input)
    conformal = predictor.metadata.get("conformal")

    if evidence.candidates:
        # Renormalise the model's belief over the labels the script allows.
        positions = [predictor.labels.index(label) for label in evidence.candidates]
        restricted = torch.log_softmax(log_probs[positions], dim=0)
        predictions = sorted(
            (Prediction(label, float(value.exp()), float(value)) for label, value in zip(evidence.candidates, restricted)),
            key=lambda prediction: -prediction.probability,
        )[:k]
        chosen = list(evidence.candidates)
        source = "script"
        # anyascii reads Han characters in Mandarin, so a Japanese name in kanji (山田, read
        # "ShanTian") looks Chinese to the network: its Chinese-or-Japanese ranking is never sure.
        uncertain = predictions[0].probability < UNCERTAIN_BELOW or evidence.script == "Han"
    else:
        predictions = predictor.top_k(log_probs, k)
        probabilities = log_probs.exp()
        chosen = prediction_set(probabilities, predictor.labels, conformal["threshold"]) if conformal else []
        source = "model"
        uncertain = (
            predictions[0].probability < UNCERTAIN_BELOW
            or len(unknown) > MAX_UNKNOWN_SHARE * len(model_input.replace(" ", ""))
        )
    return Answer(
        text=text,
        name=name,
        script=evidence.script,
        source=source,
        model_input=model_input,
        predictions=predictions,
        prediction_set=chosen,
        coverage=(1 - conformal["alpha"]) if conformal else None,
        uncertain=uncertain,
        unknown_characters=unknown,
        script_labels=list(evidence.candidates),
    )
