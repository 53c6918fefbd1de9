"""The Batch tab: a .csv or .txt of names in, a top-3 table and a CSV file out."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ..batch import MAX_BATCH_BYTES, BatchFileError, answer_rows, answers_table, read_names_file
from ..data import DataError
from .predict_tab import MODEL_DEFAULT, MODEL_TRAINED, TOP_K, choose_predictor, name_error
from .checks import UncheckedFile, visitor_error
from .session import AppContext, VisitorSession
from .text import I18N, data_error_message, message, request_language, translate_columns

log = logging.getLogger(__name__)

BATCH_SUFFIXES = (".csv", ".txt")
# Message keys for the `BatchFileError` codes the handler does not check itself.
FILE_ERROR_KEYS = {
    "empty": "batch_empty",
    "not_utf8": "batch_not_utf8",
    "no_name_column": "batch_no_name_column",
    "no_names": "batch_no_names",
    "too_many_rows": "batch_too_many_rows",
}


def file_error(error: BatchFileError, file_name: str, language: str) -> gr.Error:
    """Translate a `BatchFileError` into the visitor's language; an unknown code keeps the English text."""
    key = FILE_ERROR_KEYS.get(error.code)
    if key is None:
        return visitor_error(language, "batch_unreadable", reason=error)
    return visitor_error(language, key, **{**error.details, "file": file_name})


def make_batch_handler(context: AppContext):
    def predict_batch(file_path: str | None, model_choice: str, session: VisitorSession, request: gr.Request):
        language = request_language(request)
        predictor, _ = choose_predictor(context, session, model_choice, language)
        if not file_path:
            raise visitor_error(language, "batch_no_file")
        path = Path(file_path)
        # The file name Gradio keeps is the uploaded one, so the messages name what the visitor chose.
        if path.suffix.lower() not in BATCH_SUFFIXES:
            raise visitor_error(language, "batch_wrong_type", file=path.name)
        size = path.stat().st_size
        if size > MAX_BATCH_BYTES:
            raise visitor_error(
                language, "batch_too_large", file=path.name, size=size / 2**20, maximum=MAX_BATCH_BYTES // 2**20
            )
        try:
            texts = read_names_file(path)
        except BatchFileError as error:
            log.info("batch file rejected (%s): %s", error.code, error)
            raise file_error(error, path.name, language) from None
        except DataError as error:
            log.info("batch file rejected (%s): %s", error.code, error)
            raise visitor_error(language, "batch_unreadable", reason=data_error_message(error, language)) from None

        maximum = predictor.normalizer.max_length
        rows = answer_rows(predictor, texts, k=TOP_K)
        table = answers_table(rows, k=TOP_K, describe_error=lambda error: name_error(error, language, maximum))
        failed = sum(row.error is not None for row in rows)
        sources = {"model": message(language, "source_model"), "script": message(language, "source_script"), "": ""}
        table["source"] = table["source"].map(sources)
        table = translate_columns(table, language)
        output = session.checkpoint_folder() / f"{path.stem}-predictions.csv"
        # A byte order mark lets spreadsheet programs read the Korean headers as UTF-8.
        table.to_csv(output, index=False, encoding="utf-8-sig")
        log.info("batch of %d names: %d rows with an error", len(rows), failed)
        summary = message(language, "batch_summary", scored=len(rows) - failed, failed=failed)
        return table, gr.update(value=str(output), visible=True), summary

    return predict_batch


def hide_previous_result() -> tuple[dict, str]:
    # Runs before each request, so a failed request leaves no earlier table's CSV to download.
    return gr.update(visible=False), ""


def show_table() -> dict:
    # A separate step, so that /predict_batch still returns the table itself rather than an update.
    return gr.update(visible=True)


def build_batch_tab(context: AppContext, session: gr.State) -> None:
    """Lay out the Batch tab and wire its event; call inside a `gr.Tab`."""
    gr.Markdown(I18N("batch_intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            names_file = UncheckedFile(
                label=I18N("batch_file_label"), file_types=list(BATCH_SUFFIXES), elem_id="batch-file"
            )
            model_choice = gr.Radio(
                choices=[(I18N("model_default"), MODEL_DEFAULT), (I18N("model_trained"), MODEL_TRAINED)],
                value=MODEL_DEFAULT,
                label=I18N("model_choice_label"),
                elem_id="batch-model-choice",
            )
            run_button = gr.Button(I18N("batch_button"), variant="primary", elem_id="batch-button")
            summary = gr.Markdown(elem_id="batch-summary")
            download = gr.DownloadButton(I18N("batch_download_label"), visible=False, elem_id="batch-download")
        with gr.Column(scale=3):
            # Hidden until the first result: an empty Dataframe shows the headers "1 | 2 | 3".
            table = gr.Dataframe(
                label=I18N("batch_table_label"), interactive=False, max_height=520, visible=False, elem_id="batch-table"
            )

    run_button.click(
        hide_previous_result, None, [download, summary], queue=False, api_visibility="private"
    ).then(
        make_batch_handler(context),
        [names_file, model_choice, session],
        [table, download, summary],
        api_name="predict_batch",
        concurrency_limit=2,
        concurrency_id="batch",
    ).success(show_table, None, [table], queue=False, api_visibility="private")
