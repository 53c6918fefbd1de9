"""The Train tab's own-data section: upload a .zip or .csv, read its validation report."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ..data import DataError, load_dataset
from ..datacheck import DataCheck, check_dataset
from .checks import UncheckedFile, visitor_error
from .session import AppContext, VisitorSession
from .text import I18N, data_error_message, message, request_language

log = logging.getLogger(__name__)

OWN_DATA_SUFFIXES = (".zip", ".csv")


def report_markdown(check: DataCheck, file_name: str, language: str) -> str:
    """Write a validation report: counts per label, then each finding with a few examples."""
    parts = [
        message(
            language, "data_check", file=file_name, lines=check.lines_read, pairs=check.pairs_kept,
            labels=len(check.names_per_label),
        ),
        message(
            language, "data_check_counts",
            rows="\n".join(f"| {label} | {count} |" for label, count in check.names_per_label.items()),
        ),
        message(language, "data_check_duplicates", count=check.duplicates_dropped),
    ]
    if check.invalid_lines:
        lines = "\n".join(f"- `{line}`" for line in check.invalid_examples)
        parts.append(message(language, "data_check_invalid", count=check.invalid_lines, lines=lines))
    if check.multi_label_names:
        examples = "; ".join(f"{name} ({', '.join(labels)})" for name, labels in check.multi_label_examples)
        parts.append(message(language, "data_check_multi", count=check.multi_label_names, examples=examples))
    if check.unknown_characters:
        characters = " ".join(f"`{char}`×{count}" for char, count in list(check.unknown_characters.items())[:40])
        parts.append(message(language, "data_check_unknown", characters=characters))
    if check.small_labels:
        parts.append(message(language, "data_check_small", labels=", ".join(check.small_labels)))
    return "\n\n".join(parts)


def make_check_handler(context: AppContext):
    def check_data(file_path: str | None, session: VisitorSession, request: gr.Request) -> str:
        language = request_language(request)
        session.own_dataset, session.own_data_name = None, ""
        if not file_path:
            return ""
        path = Path(file_path)
        if path.suffix.lower() not in OWN_DATA_SUFFIXES:
            raise visitor_error(language, "data_wrong_type", file=path.name)
        try:
            dataset = load_dataset(path)
        except DataError as error:
            log.info("session %s: uploaded data %s rejected (%s): %s", request.session_hash, path.name, error.code, error)
            reason = data_error_message(error, language)
            raise visitor_error(language, "data_check_failed", reason=reason) from None
        shipped = context.default_predictor
        check = check_dataset(dataset, shipped.vocabulary if shipped is not None else None)
        session.own_dataset, session.own_data_name = dataset, path.name
        log.info("session %s: uploaded data %s, %s", request.session_hash, path.name, dataset.report.summary())
        return report_markdown(check, path.name, language)

    return check_data


def forget_own_data(session: VisitorSession) -> str:
    session.own_dataset, session.own_data_name = None, ""
    return ""


def build_own_data_section(context: AppContext, session: gr.State) -> None:
    """Lay out the upload and its report, and wire their events; call inside the Train tab."""
    with gr.Accordion(I18N("own_data_label"), open=False, elem_id="own-data"):
        gr.Markdown(I18N("own_data_title"))
        with gr.Row():
            own_file = UncheckedFile(
                label=I18N("own_data_file_label"), file_types=list(OWN_DATA_SUFFIXES), elem_id="own-data-file", scale=1
            )
            report = gr.Markdown(elem_id="own-data-report")
    own_file.upload(make_check_handler(context), [own_file, session], [report], api_name="check_data")
    own_file.clear(forget_own_data, [session], [report], api_visibility="undocumented")
