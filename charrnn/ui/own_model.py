"""The Train tab's checkpoint upload: a `.pt` file becomes this session's own model."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ..checkpoint import MAX_CHECKPOINT_BYTES, CheckpointError
from ..predict import Predictor
from .checks import UncheckedFile, visitor_error
from .predict_tab import MODEL_TRAINED, describe_model, format_test_accuracy
from .session import VisitorSession
from .text import I18N, MESSAGES, message, request_language

log = logging.getLogger(__name__)

CHECKPOINT_SUFFIX = ".pt"


def checkpoint_reason(error: CheckpointError, language: str) -> str:
    """Return the translated reason for `error.code`, or the English message when the code has none."""
    key = f"checkpoint_reason_{error.code}"
    if error.code and key in MESSAGES["en"]:
        return message(language, key, maximum=MAX_CHECKPOINT_BYTES // 2**20)
    return str(error)


def load_own_model(file_path: str | None, session: VisitorSession, request: gr.Request):
    """Load an uploaded checkpoint as the session's model and select it in the Predict tab.

    The upload replaces a model trained earlier in the session, but never the shipped model,
    which belongs to every visitor. A rejected file leaves the session's model as it was.
    """
    language = request_language(request)
    if not file_path:
        return "", gr.skip(), gr.skip(), gr.skip()
    path = Path(file_path)
    if path.suffix.lower() != CHECKPOINT_SUFFIX:
        raise visitor_error(language, "checkpoint_wrong_type", file=path.name)
    if session.training:
        raise visitor_error(language, "checkpoint_busy")
    try:
        predictor = Predictor.from_checkpoint(path)
    except CheckpointError as error:
        log.info("session %s: checkpoint %s rejected (%s): %s", request.session_hash, path.name, error.code, error)
        raise visitor_error(
            language, "checkpoint_rejected", file=path.name, reason=checkpoint_reason(error, language)
        ) from None

    session.predictor = predictor
    # The evaluation tab scores a loaded model on first use, since its data is not known here.
    session.evaluation, session.trained_dataset = None, None
    session.checkpoint_file = None
    config = predictor.model.config
    log.info("session %s: loaded checkpoint %s (%s, %d labels)", request.session_hash, path.name, config.cell,
             len(predictor.labels))
    report = message(
        language, "checkpoint_loaded", file=path.name, cell=config.cell, hidden=config.hidden_size,
        labels=len(predictor.labels), accuracy=format_test_accuracy(predictor),
    )
    # The download button offered the trained model's file, which is no longer the session's model.
    hide_download = gr.update(visible=False)
    return report, MODEL_TRAINED, describe_model(predictor, True, language), hide_download


def build_own_model_section() -> tuple[gr.File, gr.Markdown]:
    """Lay out the upload and its report; blocks.py wires the event, which also updates the Predict tab."""
    with gr.Accordion(I18N("own_model_label"), open=False, elem_id="own-model"):
        gr.Markdown(I18N("own_model_title"))
        with gr.Row():
            model_file = UncheckedFile(
                label=I18N("own_model_file_label"), file_types=[CHECKPOINT_SUFFIX], elem_id="own-model-file", scale=1
            )
            report = gr.Markdown(elem_id="own-model-report")
    return model_file, report
