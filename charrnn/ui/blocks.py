"""The whole page: a heading, the Predict, Train, Evaluation and Batch tabs, and the events that join them."""

from __future__ import annotations

import gradio as gr

from ..data import MAX_FILE_BYTES
from .batch_tab import build_batch_tab
from .evaluate_tab import build_evaluate_tab
from .own_model import load_own_model
from .predict_tab import MODEL_TRAINED, build_predict_tab, describe_model, make_classify_tool
from .checks import visitor_error
from .session import AppContext, VisitorSession, close_session
from .text import I18N, message, request_language
from .train_tab import CLEAR_TEXT_JS, build_train_tab

PAGE_TITLE = "charrnn: surname language classifier"  # a plain string: gr.I18n does not reach <title>

# Keyword arguments for `demo.launch` that every caller (app.py, the tests) passes.
LAUNCH_SETTINGS = dict(
    i18n=I18N,
    theme=gr.themes.Soft(),
    run_history=False,  # keep visitors' names out of the browser-side history
    footer_links=["api"],
    # Gradio rejects a larger upload with HTTP 413 before it reaches a handler. The largest
    # file the app reads is a data set (.csv, or .zip whose members are checked again).
    max_file_size=MAX_FILE_BYTES,
)
MAX_QUEUE_SIZE = 100  # queued events over all visitors; more get Gradio's "queue is full" error


def build_demo(context: AppContext) -> gr.Blocks:
    """Build the Blocks app over `context`; the caller launches it with `LAUNCH_SETTINGS`."""
    with gr.Blocks(title=PAGE_TITLE) as demo:
        # One VisitorSession per browser tab or API client, deleted when the tab closes.
        session = gr.State(VisitorSession, delete_callback=close_session)
        gr.Markdown(I18N("heading"))
        with gr.Tabs() as tabs:
            with gr.Tab(I18N("tab_predict"), id="predict", elem_id="tab-predict"):
                predict_tab = build_predict_tab(context, session)
            with gr.Tab(I18N("tab_train"), id="train", elem_id="tab-train"):
                train_tab = build_train_tab(context, session)
            with gr.Tab(I18N("tab_evaluate"), id="evaluate", elem_id="tab-evaluate"):
                build_evaluate_tab(context, session)
            with gr.Tab(I18N("tab_batch"), id="batch", elem_id="tab-batch"):
                build_batch_tab(context, session)
        # A stateless endpoint for scripts and, with `--mcp`, for MCP clients.
        gr.api(make_classify_tool(context), api_name="classify_surname", concurrency_id="predict")

        def use_trained_model(session_value: VisitorSession, request: gr.Request):
            language = request_language(request)
            if session_value.predictor is None:
                raise visitor_error(language, "no_model_to_use")
            info = describe_model(session_value.predictor, True, language)
            return gr.update(value=MODEL_TRAINED), gr.Tabs(selected="predict"), info

        train_tab.use_button.click(
            use_trained_model,
            [session],
            [predict_tab.model_choice, tabs, predict_tab.model_info],
            api_visibility="undocumented",
            concurrency_limit=None,
        )

        # The report is emptied first, so a rejected file never leaves an earlier file's report saying
        # it is the session's model.
        train_tab.model_file.upload(
            fn=None, inputs=None, outputs=[train_tab.model_report], js=CLEAR_TEXT_JS, queue=False
        ).then(
            load_own_model,
            [train_tab.model_file, session],
            [train_tab.model_report, predict_tab.model_choice, predict_tab.model_info, train_tab.download],
            api_name="load_checkpoint",
            concurrency_id="predict",  # reading a checkpoint is as cheap as a prediction
        )

        def show_default_model(request: gr.Request):
            language = request_language(request)
            if context.default_predictor is None:
                return message(language, "default_model_missing", reason=context.default_error)
            return describe_model(context.default_predictor, False, language)

        demo.load(show_default_model, None, predict_tab.model_info, api_visibility="private", queue=False)
    demo.queue(max_size=MAX_QUEUE_SIZE)
    return demo
