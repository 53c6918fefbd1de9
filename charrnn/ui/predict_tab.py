"""The Predict tab: a name in any script, the top-3 languages, and how the network got there.

One click returns the top-3 as bars and tutorial lines, the full answer (script rule,
transliteration, certainty, prediction set), the belief after every prefix as a line chart and
the occlusion shading of each letter. Each letter view is one batched forward pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr
import pandas as pd

from ..answer import Answer, answer_name
from ..explain import letter_importance, prefix_probabilities
from ..normalize import InvalidNameError
from ..predict import Predictor
from .checks import UncheckedRadio, check_choice, visitor_error
from .session import AppContext, VisitorSession
from .text import I18N, label_name, message, request_language, script_name

log = logging.getLogger(__name__)

EXAMPLES = [
    "Sanghoon", "Satoshi", "Nguyen", "Dostoevsky", "Schmidhuber", "O'Brien", "Hinton", "Rossi", "Müller",
    "박", "やまだ", "王", "Достоевский", "Παπαδόπουλος",
]
MODEL_DEFAULT = "default"
MODEL_TRAINED = "trained"
TOP_K = 3

# Empties the answer views in the browser before each prediction. Gradio 6.31's plot builds its
# Vega-Lite spec, including the colour domain and the x order, only when it first gets a value or a
# plot setting changes, and it applies a changed setting (here `sort`) before the new value. A
# filled letter chart therefore redrew the previous name's data, and an empty one starts over from
# the new value, as on a fresh page. Emptying the bars, lines, answer and shading too means an
# error never leaves the previous name's answer on screen under the new name.
CLEAR_OUTPUTS_JS = "() => [null, '', '', null, null]"


@dataclass
class PredictTab:
    """The components other parts of the app read or update."""

    name: gr.Textbox
    model_choice: gr.Radio
    bars: gr.BarPlot
    lines: gr.Textbox
    model_info: gr.Markdown


def format_test_accuracy(predictor: Predictor) -> str:
    """Return the checkpoint's stored test accuracy as a percentage, or "?" when it has none."""
    accuracy = predictor.metadata.get("test_metrics", {}).get("accuracy")
    return "?" if accuracy is None else f"{accuracy:.1%}"


def describe_model(predictor: Predictor, trained: bool, language: str) -> str:
    """Return one line that names the model that answered and how well it did on its test split."""
    config = predictor.model.config
    return message(
        language,
        "model_trained_info" if trained else "model_default_info",
        cell=config.cell,
        hidden=config.hidden_size,
        accuracy=format_test_accuracy(predictor),
    )


# Message key for each `InvalidNameError.code`.
NAME_ERROR_KEYS = {
    "empty": "name_empty",
    "too_long": "name_too_long",
    "no_letters": "name_no_letters",
    "unknown_characters": "name_unknown_characters",
    "unreadable_script": "name_unreadable_script",
}


def name_error(error: ValueError, language: str, maximum: int) -> str:
    """Translate a ValueError from `answer_name` or `Predictor.prepare` into the visitor's language."""
    key = NAME_ERROR_KEYS.get(getattr(error, "code", ""))
    if key is None:
        return message(language, "name_invalid", reason=error)
    details = getattr(error, "details", {})
    return message(language, key, maximum=details.get("maximum", maximum))


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


# ---------------------------------------------------------------------------------------------
# the written answer
# ---------------------------------------------------------------------------------------------


def join_labels(labels: list[str], language: str) -> str:
    return message(language, "or_separator").join(label_name(label, language) for label in labels)


def describe_answer(answer: Answer, language: str) -> str:
    """Write the answer as Markdown: top label, script rule, transliteration, certainty, set."""
    top = answer.predictions[0]
    parts = [message(language, "answer_top", label=label_name(top.label, language), probability=top.probability)]
    if answer.source == "script":
        parts.append(
            message(
                language, "answer_script_rule", script=script_name(answer.script, language),
                candidates=join_labels(list(answer.prediction_set), language),
            )
        )
    if answer.model_input != answer.name:
        parts.append(message(language, "answer_transliteration", text=answer.model_input))
    if answer.uncertain:
        if answer.script == "Han":
            parts.append(message(language, "answer_uncertain_han"))
        elif answer.unknown_characters and answer.source == "model":
            parts.append(
                message(
                    language, "answer_uncertain_unknown", count=len(answer.unknown_characters),
                    characters=" ".join(sorted(set(answer.unknown_characters))),
                )
            )
        else:
            parts.append(message(language, "answer_uncertain", probability=top.probability))
    elif answer.unknown_characters:
        parts.append(
            message(language, "answer_unknown_characters", characters=" ".join(sorted(set(answer.unknown_characters))))
        )
    if answer.source == "model":
        if answer.coverage is None:
            parts.append(message(language, "answer_no_set"))
        else:
            parts.append(
                message(
                    language, "answer_set", labels=join_labels(answer.prediction_set, language),
                    coverage=answer.coverage,
                )
            )
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# letter views
# ---------------------------------------------------------------------------------------------


def letter_chart(predictor: Predictor, answer: Answer, language: str) -> gr.LinePlot:
    """Belief in the final top labels after each prefix of what the network read.

    The x axis is nominal, which Vega-Lite sorts alphabetically, so the update passes the
    position-prefixed letters ("1:S", "2:a", ...) as the explicit category order.
    """
    labels = [prediction.label for prediction in answer.predictions]
    frame = prefix_probabilities(predictor, answer.model_input, labels, within=answer.script_labels)
    frame["probability"] = frame["probability"].round(4)
    frame["label"] = [label_name(label, language) for label in frame["label"]]
    order = list(dict.fromkeys(frame["letter"]))
    return gr.LinePlot(value=frame, sort=order)


def letter_shading(drops: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Scale occlusion drops so the strongest letter is ±1, for `gr.HighlightedText`.

    HighlightedText colours a number in [-1, 1]; raw drops are often below 0.1 and would be
    invisible, so the answer text states the largest raw drop next to the shading.
    """
    largest = max((abs(drop) for _, drop in drops), default=0.0)
    if largest == 0.0:
        return [(char, 0.0) for char, _ in drops]
    return [(char, round(drop / largest, 3)) for char, drop in drops]


def strongest_letter(drops: list[tuple[str, float]], label: str, language: str) -> str:
    """Name the letter whose masking lowered the top label's probability most, if any did."""
    if not drops:
        return ""
    position, (char, drop) = max(enumerate(drops), key=lambda item: item[1][1])
    if drop <= 0:
        return ""
    return message(language, "answer_strongest_letter", letter=char, position=position + 1, drop=drop, label=label)


# ---------------------------------------------------------------------------------------------
# handler and layout
# ---------------------------------------------------------------------------------------------


def make_predict_handler(context: AppContext):
    def predict(name: str, model_choice: str, session: VisitorSession, request: gr.Request):
        language = request_language(request)
        predictor, trained = choose_predictor(context, session, model_choice, language)
        try:
            answer = answer_name(predictor, name or "", k=TOP_K)
        except InvalidNameError as error:
            raise gr.Error(name_error(error, language, predictor.normalizer.max_length), print_exception=False) from None
        except ValueError as error:
            raise visitor_error(language, "name_invalid", reason=error) from None
        predictions = answer.predictions
        bars = pd.DataFrame(
            {
                "language": [label_name(prediction.label, language) for prediction in predictions],
                "probability": [round(prediction.probability, 4) for prediction in predictions],
            }
        )
        lines = "\n".join(prediction.tutorial_line() for prediction in predictions)
        # Occlusion follows the answer's top label, which after a script rule can differ from the
        # network's own top label on the transliteration.
        top_label = predictions[0].label
        drops = letter_importance(predictor, answer.model_input, label=top_label, within=answer.script_labels)
        text = describe_answer(answer, language)
        strongest = strongest_letter(drops, label_name(top_label, language), language)
        if strongest:
            text += "\n\n" + strongest
        return (
            bars, lines, describe_model(predictor, trained, language), text,
            letter_chart(predictor, answer, language), letter_shading(drops),
        )

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
            answer = gr.Markdown(elem_id="answer")
            gr.Markdown(I18N("responsible_use"), elem_id="responsible-use")
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
                height=240,
                elem_id="top3-bars",
            )
            lines = gr.Textbox(label=I18N("lines_label"), lines=3, interactive=False, elem_id="tutorial-lines")
            model_info = gr.Markdown(elem_id="model-info")
    with gr.Row():
        with gr.Column(scale=3):
            letters = gr.LinePlot(
                value=None,
                x="letter",
                y="probability",
                color="label",
                title=I18N("letters_title"),
                x_title=I18N("letters_x"),
                y_title=I18N("bars_y"),
                color_title=I18N("bars_x"),
                y_lim=[0, 1],
                tooltip=["prefix", "label", "probability"],
                height=280,
                elem_id="letter-chart",
            )
        with gr.Column(scale=2):
            shading = gr.HighlightedText(
                label=I18N("shading_label"), show_legend=True, elem_id="letter-shading", combine_adjacent=False,
            )
            gr.Markdown(I18N("shading_help"))

    predict = make_predict_handler(context)
    inputs = [name, model_choice, session]
    outputs = [bars, lines, model_info, answer, letters, shading]
    # The shared default model is read-only, so several predictions may run at once.
    settings = dict(concurrency_limit=4, concurrency_id="predict", show_progress="minimal")
    clear_views = dict(
        fn=None, inputs=None, outputs=[bars, lines, answer, letters, shading], js=CLEAR_OUTPUTS_JS, queue=False
    )
    predict_button.click(**clear_views).then(predict, inputs, outputs, api_name="predict", **settings)
    name.submit(**clear_views).then(predict, inputs, outputs, api_visibility="undocumented", **settings)
    examples.load_input_event.then(**clear_views).then(
        predict, inputs, outputs, api_visibility="undocumented", **settings
    )
    return PredictTab(name, model_choice, bars, lines, model_info)


# ---------------------------------------------------------------------------------------------
# a plain function for API and MCP clients
# ---------------------------------------------------------------------------------------------


def make_classify_tool(context: AppContext):
    def classify_surname(name: str) -> dict:
        """Guess which of 18 languages a surname comes from, with the shipped character-level RNN.

        Names in Hangul, kana, Greek, Cyrillic or Arabic script are decided by their script; Han
        characters leave Chinese or Japanese for the network to rank. The guess is statistical
        and says nothing certain about a person.

        Args:
            name: one surname in any script, for example "Schmidhuber", "박" or "山田".

        Returns:
            The top 3 languages with calibrated probabilities, the script and the rule used,
            the transliteration the network read, a prediction set with its coverage, and
            whether the answer is uncertain.
        """
        predictor = context.default_predictor
        if predictor is None:
            raise visitor_error("en", "default_model_missing", reason=context.default_error)
        try:
            answer = answer_name(predictor, name or "", k=TOP_K)
        except InvalidNameError as error:
            raise gr.Error(name_error(error, "en", predictor.normalizer.max_length), print_exception=False) from None
        return {
            "name": answer.name,
            "script": answer.script,
            "decided_by": answer.source,
            "transliteration": answer.model_input,
            "top": [{"language": item.label, "probability": round(item.probability, 4)} for item in answer.predictions],
            "prediction_set": answer.prediction_set,
            "coverage": answer.coverage,
            "uncertain": answer.uncertain,
        }

    return classify_surname
