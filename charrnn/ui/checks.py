"""Server-side checks of what a visitor sends, answered in the visitor's language.

A public demo's API can be called directly with any JSON value. Gradio 6.31's own checks on
sliders, numbers, radios and dropdowns reply in English only, and a value of the wrong type
(a string for a slider) fails inside Gradio as an unhandled exception with a traceback in the
server log. The input components here pass the raw value to the handler, and the handler checks it
with `check_number` and `check_choice`, or checks an uploaded file's suffix itself.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import gradio as gr
from gradio.data_classes import ListFiles

from .text import UI_TEXT, message

MAX_SHOWN_VALUE = 40  # characters of a rejected value repeated back in an error message


def visitor_error(language: str, key: str, **values) -> gr.Error:
    """Return a `gr.Error` with the message `key`, for a request the app rejects on purpose.

    Gradio renders error text as HTML, so `<`, `>` and `&` in values are escaped. Quotes are
    left alone because they are harmless in text content and API clients get the text as is.
    No traceback is printed because a rejected request is not a server fault.
    """
    escaped = {
        name: value if isinstance(value, (int, float)) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return gr.Error(message(language, key, **escaped), print_exception=False)


def shown(value: object) -> str:
    """Return `repr(value)` cut to MAX_SHOWN_VALUE characters, for repeating it in a message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 3] + "..."


# ---------------------------------------------------------------------------------------------
# input components that leave checking to the handler
# ---------------------------------------------------------------------------------------------


class UncheckedSlider(gr.Slider):
    """`gr.Slider` whose value reaches the handler as sent; the handler must call `check_number`."""

    is_template = True  # the browser draws Gradio's own slider

    def preprocess(self, payload):
        return payload


class UncheckedNumber(gr.Number):
    """`gr.Number` whose value reaches the handler as sent; the handler must call `check_number`."""

    is_template = True

    def preprocess(self, payload):
        return payload


class UncheckedRadio(gr.Radio):
    """`gr.Radio` whose value reaches the handler as sent; the handler must call `check_choice`."""

    is_template = True

    def preprocess(self, payload):
        return payload


class UncheckedDropdown(gr.Dropdown):
    """`gr.Dropdown` whose value reaches the handler as sent; the handler must call `check_choice`."""

    is_template = True

    def preprocess(self, payload):
        return payload


class UncheckedFile(gr.File):
    """A single-file `gr.File` that passes the upload's path to the handler whatever its suffix.

    `file_types` still filters the browser's file picker, but Gradio 6.31 also rejects another
    suffix on the server, in English and with a traceback in the server log. The handler must
    check the suffix itself. Gradio has already moved the upload into its cache at this point.
    """

    is_template = True

    def preprocess(self, payload):
        if payload is None:
            return None
        if isinstance(payload, ListFiles):
            payload = payload[0]
        return str(payload.path)


# ---------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberRange:
    """The values a numeric setting accepts, and the UI label key that names it in messages."""

    label_key: str
    minimum: float
    maximum: float
    integer: bool = False


def check_number(value: object, allowed: NumberRange, language: str) -> float | int:
    """Return `value` as an int or float inside `allowed`, or raise a translated `gr.Error`."""
    setting = UI_TEXT.get(language, UI_TEXT["en"])[allowed.label_key]
    key = "setting_whole_range" if allowed.integer else "setting_range"
    details = dict(setting=setting, minimum=allowed.minimum, maximum=allowed.maximum, value=shown(value))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise visitor_error(language, key, **details)
    if allowed.integer and value != int(value):
        raise visitor_error(language, key, **details)
    if not allowed.minimum <= value <= allowed.maximum:
        raise visitor_error(language, key, **details)
    return int(value) if allowed.integer else float(value)


def check_choice(value: object, choices: list[str], label_key: str, language: str) -> str:
    """Return `value` when it is one of `choices`, or raise a translated `gr.Error`."""
    if isinstance(value, str) and value in choices:
        return value
    setting = UI_TEXT.get(language, UI_TEXT["en"])[label_key]
    raise visitor_error(language, "setting_choice", setting=setting, choices=", ".join(choices), value=shown(value))
