"""The Predict tab: a surname in, the top-3 languages out as a bar chart and as tutorial lines."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr
import pandas as pd

from ..predict import Predictor
from .checks import UncheckedRadio, check_choice, visitor_error
from .session import AppContext, VisitorSession
from .text import I18N, message, request_language

log = logging.getLogger(__name__)

EXAMPLES = ["Sanghoon", "Satoshi", "Nguyen", "Dostoevsky", "Schmidhuber", "O'Brien", "Hinton", "Rossi", "Müller"]
MODEL_DEFAULT = "default"
MODEL_TRAINED = "trained"
TOP_K = 3


@dataclass
class PredictTab:
    """The components other parts of the app read or update."""

    name: gr.Textbox
    model_choice: gr.Radio
    bars: gr.BarPlot
    lines: gr.Textbox
    model_info: gr.Markdown


def describe_model(predictor: Predictor, trained: bool, language: str) -> str:
    """Return one line that names the model that answered and how well it did on its test split."""
    config = predictor.model.config
    accuracy = predictor.metadata.get("test_metrics", {}).get("accuracy")
    return message(
        language,
        "model_trained_info" if trained else "model_default_info",
        cell=config.cell,
        hidden=config.hidden_size,
        accuracy="?" if accuracy is None else f"{accuracy:.1%}",
    )


def name_error(reason: str, language: str, maximum: int) -> str:
    """Translate a `Predictor.prepare` ValueError into the visitor's language."""
    if reason.startswith("name is empty"):
        return message(language, "name_empty")
    if reason.startswith("name is too long"):
        return message(language, "name_too_long", maximum=maximum)
    if "contains no letters" in reason:
        return message(language, "name_no_letters")
    if "contains no character this model knows" in reason:
        return message(language, "name_unknown_characters")
    return message(language, "name_invalid", reason=reason)


def choose_predictor(
    context: AppContext, session: VisitorSession, model_choice: str, language: str
) -> tuple[Predictor, bool]:
    """Return the predictor the visitor chose and whether it is their own trained model."""
    model_choice = check_choice(model_choice, [MODEL_DEFAULT, MODEL_TRAINED], "model_choice_label", language)
    if model_choice == MODEL_TRAINED:
        if session.predictor is None:
            raise visitor_error(language, "no_trained_model")
        return session.predictor, True
    if context.default_predictor is None:
        raise visitor_error(language, "default_model_missing", reason=context.default_error)
    return context.default_predictor, False


def make_predict_handler(context: AppContext):
    def predict(name: str, model_choice: str, session: VisitorSession, request: gr.Request):
        language = request_language(request)
        predictor, trained = choose_predictor(context, session, model_choice, language)
        try:
            predictions = predictor.predict(name or "", k=TOP_K)
        except ValueError as error:
            raise gr.Error(name_error(str(error), language, predictor.normalizer.max_length), print_exception=False) from None
        bars = pd.DataFrame(
            {
                "language": [prediction.label for prediction in predictions],
                "probability": [round(prediction.probability, 4) for prediction in predictions],
            }
        )
        lines = "\n".join(prediction.tutorial_line() for prediction in predictions)
        return bars, lines, describe_model(predictor, trained, language)

    return predict


def build_predict_tab(context: AppContext, session: gr.State) -> PredictTab:
    """Lay out the Predict tab and wire its events; call inside a `gr.Tab`."""
    with gr.Row():
        with gr.Column(scale=2):
            name = gr.Textbox(
                label=I18N("name_label"), placeholder=I18N("name_placeholder"), max_lines=1, elem_id="name-box"
            )
            model_choice = UncheckedRadio(
                choices=[(I18N("model_default"), MODEL_DEFAULT), (I18N("model_trained"), MODEL_TRAINED)],
                value=MODEL_DEFAULT,
                label=I18N("model_choice_label"),
                elem_id="model-choice",
            )
            predict_button = gr.Button(I18N("predict_button"), variant="primary", elem_id="predict-button")
            examples = gr.Examples(examples=[[example] for example in EXAMPLES], inputs=[name], label=I18N("examples_label"))
        with gr.Column(scale=3):
            bars = gr.BarPlot(
                value=None,
                x="language",
                y="probability",
                sort="-y",
                y_lim=[0, 1],
                title=I18N("bars_title"),
                x_title=I18N("bars_x"),
                y_title=I18N("bars_y"),
                height=280,
                elem_id="top3-bars",
            )
            lines = gr.Textbox(label=I18N("lines_label"), lines=3, interactive=False, elem_id="tutorial-lines")
            model_info = gr.Markdown(elem_id="model-info")

    predict = make_predict_handler(context)
    inputs = [name, model_choice, session]
    outputs = [bars, lines, model_info]
    # The shared default model is read-only, so several predictions may run at once.
    settings = dict(concurrency_limit=4, concurrency_id="predict", show_progress="minimal")
    predict_button.click(predict, inputs, outputs, api_name="predict", **settings)
    name.submit(predict, inputs, outputs, api_visibility="undocumented", **settings)
    examples.load_input_event.then(predict, inputs, outputs, api_visibility="undocumented", **settings)
    return PredictTab(name, model_choice, bars, lines, model_info)
