"""The Evaluation tab: test-split figures, a confusion picture and the errors of the model in use."""

from __future__ import annotations

import logging
import threading

import gradio as gr
import pandas as pd

from ..data import DataError, Dataset
from ..pipeline import Evaluation, evaluate_on_split
from ..plots import confusion_picture
from ..predict import Predictor
from .predict_tab import MODEL_DEFAULT, MODEL_TRAINED, choose_predictor
from .checks import visitor_error
from .session import AppContext, VisitorSession
from .text import I18N, data_error_message, message, request_language, translate_columns

log = logging.getLogger(__name__)

MAX_MISCLASSIFIED_ROWS = 300  # the table shows the first ones; the figures count all of them


class ShippedEvaluation:
    """The shipped model's evaluation, computed once per loaded data set and shared read-only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._dataset: Dataset | None = None
        self._evaluation: Evaluation | None = None

    def get(self, predictor: Predictor, dataset: Dataset) -> Evaluation:
        with self._lock:
            if self._dataset is not dataset:
                split_seed = predictor.metadata.get("split_seed", 0)
                self._evaluation = evaluate_on_split(predictor, dataset, split_seed)
                self._dataset = dataset
            return self._evaluation


def metrics_markdown(predictor: Predictor, evaluation: Evaluation, dataset: Dataset, language: str) -> str:
    """Write the figures table, the calibration and set rows, and why accuracy has a ceiling."""
    metrics = evaluation.metrics
    table = message(language, "eval_metrics", **metrics)
    metadata = predictor.metadata
    if "validation_ece_before" in metadata and "validation_ece_after" in metadata:
        table += "\n" + message(
            language, "eval_calibration", before=metadata["validation_ece_before"], after=metadata["validation_ece_after"]
        )
    if "set_coverage" in metrics:
        table += "\n" + message(
            language, "eval_sets", target=metrics["set_target"], coverage=metrics["set_coverage"],
            size=metrics["mean_set_size"],
        )
    wrong = evaluation.misclassified
    listed = sum(
        predicted in also.split(", ") for predicted, also in zip(wrong["predicted"], wrong["also_listed_as"])
    )
    cap = message(
        language, "eval_cap", multi=dataset.report.multi_label_names, wrong=len(wrong), wrong_listed=listed,
    )
    parts = [table, cap]
    trained_pairs = metadata.get("data_pairs")
    if trained_pairs is not None and trained_pairs != len(dataset.examples):
        parts.insert(0, message(language, "eval_data_differs", pairs=len(dataset.examples), trained_pairs=trained_pairs))
    return "\n\n".join(parts)


def pairs_frame(evaluation: Evaluation) -> pd.DataFrame:
    return pd.DataFrame(evaluation.confused_pairs, columns=["gold", "predicted", "count"])


def make_evaluate_handler(context: AppContext):
    shipped = ShippedEvaluation()

    def evaluate(model_choice: str, session: VisitorSession, request: gr.Request):
        language = request_language(request)
        predictor, trained = choose_predictor(context, session, model_choice, language)
        if trained and session.evaluation is not None:
            evaluation, dataset = session.evaluation, session.trained_dataset
        else:
            if not context.data_available():
                empty = gr.update(value=None)
                return message(language, "eval_data_missing", path=context.data_path), empty, empty, empty, empty
            try:
                dataset = context.dataset()
            except DataError as error:
                reason = data_error_message(error, language)
                raise visitor_error(language, "data_invalid", path=context.data_path, reason=reason) from None
            if not trained:
                evaluation = shipped.get(predictor, dataset)
            elif list(predictor.labels) != dataset.labels:
                empty = gr.update(value=None)
                return message(language, "eval_labels_differ", path=context.data_path), empty, empty, empty, empty
            else:
                # A loaded checkpoint: score it once on the names data and keep that in the session.
                evaluation = evaluate_on_split(predictor, dataset, predictor.metadata.get("split_seed", 0))
                session.evaluation, session.trained_dataset = evaluation, dataset

        picture = confusion_picture(
            evaluation.confusion,
            message(language, "confusion_title"),
            message(language, "confusion_gold"),
            message(language, "confusion_predicted"),
        )
        per_label = evaluation.per_label.round({"precision": 3, "recall": 3, "f1": 3})
        misclassified = evaluation.misclassified.head(MAX_MISCLASSIFIED_ROWS).rename(columns={"top3": "top3_answers"})
        return (
            metrics_markdown(predictor, evaluation, dataset, language),
            picture,
            translate_columns(per_label, language),
            translate_columns(pairs_frame(evaluation), language),
            translate_columns(misclassified, language),
        )

    return evaluate


def build_evaluate_tab(context: AppContext, session: gr.State) -> None:
    """Lay out the Evaluation tab and wire its event; call inside a `gr.Tab`."""
    gr.Markdown(I18N("evaluate_intro"))
    with gr.Row():
        model_choice = gr.Radio(
            choices=[(I18N("model_default"), MODEL_DEFAULT), (I18N("model_trained"), MODEL_TRAINED)],
            value=MODEL_DEFAULT,
            label=I18N("model_choice_label"),
            elem_id="eval-model-choice",
            scale=3,
        )
        evaluate_button = gr.Button(I18N("evaluate_button"), variant="primary", elem_id="evaluate-button", scale=1)
    with gr.Row():
        with gr.Column(scale=2):
            metrics = gr.Markdown(elem_id="eval-metrics")
            pairs = gr.Dataframe(label=I18N("pairs_label"), interactive=False, elem_id="eval-pairs")
        with gr.Column(scale=3):
            per_label = gr.Dataframe(
                label=I18N("per_label_label"), interactive=False, max_height=720, elem_id="eval-per-label"
            )
    # Full width and tall, so that 18 x 18 cells with their percentages stay readable.
    picture = gr.Image(
        label=I18N("confusion_label"), type="pil", interactive=False, height=860, elem_id="confusion-image",
        buttons=["download", "fullscreen"],
    )
    misclassified = gr.Dataframe(
        label=I18N("misclassified_label"), interactive=False, max_height=400, elem_id="eval-misclassified"
    )
    evaluate_button.click(
        make_evaluate_handler(context),
        [model_choice, session],
        [metrics, picture, per_label, pairs, misclassified],
        api_name="evaluate",
        concurrency_limit=2,
        concurrency_id="evaluate",
    )
