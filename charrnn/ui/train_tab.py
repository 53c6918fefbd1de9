"""The Train tab: choose a recipe, watch the loss fall live, keep the model in the session."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import pandas as pd

from ..checkpoint import save_checkpoint
from ..data import MIN_NAMES_PER_LABEL, DataError, small_labels, split_dataset
from ..download import DownloadError, download_names
from ..model import CELLS, ModelConfig
from ..pipeline import finish_training, make_trainer
from ..train import TrainConfig
from .own_data import build_own_data_section
from .own_model import build_own_model_section
from .checks import (
    NumberRange, UncheckedDropdown, UncheckedNumber, UncheckedSlider, check_choice, check_number, visitor_error,
)
from .session import AppContext, VisitorSession
from .text import I18N, data_error_message, message, request_language

log = logging.getLogger(__name__)

SPLIT_SEED = 0  # the split the CLI uses by default, so test figures compare with the shipped model
CLEAR_TEXT_JS = "() => ''"  # empties a Markdown component in the browser, without a server round trip
YIELD_SECONDS = 0.4  # seconds between plot updates; one step longer than this delays the next update
MAX_TRAIN_SECONDS = 600  # a run that reaches this stops as if Stop was pressed, freeing the queue
TRAIN_POINTS_PER_EPOCH = 20  # training-loss points per epoch; each averages the steps in between
EVALUATIONS_PER_EPOCH = 4  # validation-loss points per epoch

# Bounds for a public CPU demo. NOTE: the largest settings on the full data still take longer than
# MAX_TRAIN_SECONDS, so such a run ends at the time limit with the best model so far.
HIDDEN_SIZE = dict(minimum=8, maximum=256, step=8, value=64)
LAYERS = dict(minimum=1, maximum=3, step=1, value=1)
EPOCHS = dict(minimum=1, maximum=10, step=1, value=2)
BATCH_SIZE = dict(minimum=16, maximum=512, step=16, value=128)
LEARNING_RATE = dict(minimum=1e-4, maximum=0.1, value=3e-3)
SEED = dict(minimum=0, maximum=2**31 - 1, value=0)
MAX_TRAIN_PAIRS = 60_000  # (name, label) pairs; the tutorial data has about 20,000

# The handler checks every setting against these, because an API call can send any value.
HIDDEN_RANGE = NumberRange("hidden_label", HIDDEN_SIZE["minimum"], HIDDEN_SIZE["maximum"], integer=True)
LAYERS_RANGE = NumberRange("layers_label", LAYERS["minimum"], LAYERS["maximum"], integer=True)
EPOCHS_RANGE = NumberRange("epochs_label", EPOCHS["minimum"], EPOCHS["maximum"], integer=True)
BATCH_RANGE = NumberRange("batch_label", BATCH_SIZE["minimum"], BATCH_SIZE["maximum"], integer=True)
LEARNING_RATE_RANGE = NumberRange("lr_label", LEARNING_RATE["minimum"], LEARNING_RATE["maximum"])
SEED_RANGE = NumberRange("seed_label", SEED["minimum"], SEED["maximum"], integer=True)


@dataclass
class TrainTab:
    """The components other parts of the app read or update."""

    status: gr.Textbox
    loss_plot: gr.LinePlot
    summary: gr.Markdown
    download: gr.DownloadButton
    use_button: gr.Button
    save_button: gr.Button
    model_file: gr.File  # a checkpoint upload, wired in blocks.py because it also updates the Predict tab
    model_report: gr.Markdown


# ---------------------------------------------------------------------------------------------
# the loss series
# ---------------------------------------------------------------------------------------------


class LossHistory:
    """Averaged training loss and validation loss as one long DataFrame for `gr.LinePlot`."""

    def __init__(self, train_series: str, validation_series: str, steps_per_point: int):
        self.train_series = train_series
        self.validation_series = validation_series
        self.steps_per_point = max(1, steps_per_point)
        self.rows: list[tuple[float, float, str]] = []  # (epoch, loss, series)
        self._sum, self._count = 0.0, 0

    def add_step(self, epoch: float, loss: float) -> bool:
        """Add one step's loss; return True when this completed a new training-loss point."""
        self._sum += loss
        self._count += 1
        if self._count < self.steps_per_point:
            return False
        self.rows.append((round(epoch, 4), self._sum / self._count, self.train_series))
        self._sum, self._count = 0.0, 0
        return True

    def add_validation(self, epoch: float, loss: float) -> None:
        self.rows.append((round(epoch, 4), loss, self.validation_series))

    def frame(self, complete: bool = False) -> pd.DataFrame | None:
        """Return the points so far, or None while the plot should stay empty.

        Gradio 6.31's plot fixes its colour domain from the first value it draws and afterwards only
        swaps the data, so a series missing from that first value is never drawn nor listed in the
        legend. While training runs, this therefore returns None until both series have a point.
        With `complete` it returns any points, for the frames after training ends.

        An empty DataFrame must not reach the plot: Gradio 6.31 types its columns as nominal and the
        browser then draws categorical axes for the whole run, while None just clears the plot.
        """
        if not self.rows:
            return None
        series = {row[2] for row in self.rows}
        if not complete and series != {self.train_series, self.validation_series}:
            return None
        return pd.DataFrame(self.rows, columns=["epoch", "loss", "series"]).astype({"epoch": float, "loss": float})


# ---------------------------------------------------------------------------------------------
# handlers
# ---------------------------------------------------------------------------------------------


def seconds_left(elapsed: float, fraction: float) -> int:
    """Estimate the remaining seconds from the time spent on the finished fraction."""
    if fraction <= 0:
        return 0
    return round(elapsed / fraction * (1.0 - fraction))


def make_train_handler(context: AppContext):
    def train(
        cell: str,
        hidden_size: float,
        layers: float,
        bidirectional: bool,
        epochs: float,
        batch_size: float,
        learning_rate: float,
        seed: float,
        session: VisitorSession,
        request: gr.Request,
        progress=gr.Progress(),
    ):
        language = request_language(request)
        cell = check_choice(cell, list(CELLS), "cell_label", language)
        hidden_size = check_number(hidden_size, HIDDEN_RANGE, language)
        layers = check_number(layers, LAYERS_RANGE, language)
        epochs = check_number(epochs, EPOCHS_RANGE, language)
        batch_size = check_number(batch_size, BATCH_RANGE, language)
        learning_rate = check_number(learning_rate, LEARNING_RATE_RANGE, language)
        seed = check_number(seed, SEED_RANGE, language)
        bidirectional = bool(bidirectional)
        if session.training:
            raise visitor_error(language, "already_training")
        if session.own_dataset is not None:
            dataset, data_source = session.own_dataset, session.own_data_name
            # A label under MIN_NAMES_PER_LABEL names gets no validation or test names, and with
            # every label that small the validation split is empty and the trainer cannot start.
            too_small = small_labels(dataset)
            if too_small:
                listed = ", ".join(f"{label} ({count})" for label, count in list(too_small.items())[:10])
                log.info(
                    "session %s: training rejected, labels with too few names in %s: %s",
                    request.session_hash if request is not None else "?", data_source, listed,
                )
                raise visitor_error(
                    language, "data_small_labels", file=data_source, count=len(too_small),
                    minimum=MIN_NAMES_PER_LABEL, labels=listed,
                )
        else:
            if not context.data_available():
                raise visitor_error(language, "data_missing", path=context.data_path)
            try:
                dataset = context.dataset()
            except DataError as error:
                reason = data_error_message(error, language)
                raise visitor_error(language, "data_invalid", path=context.data_path, reason=reason) from None
            data_source = str(context.data_path)
        if len(dataset.examples) > MAX_TRAIN_PAIRS:
            raise visitor_error(language, "data_too_large", count=len(dataset.examples), maximum=MAX_TRAIN_PAIRS)
        try:
            model_config = ModelConfig(
                cell=cell, hidden_size=int(hidden_size), num_layers=int(layers), bidirectional=bool(bidirectional)
            )
            split = split_dataset(dataset, SPLIT_SEED)
            steps_per_epoch = max(1, -(-len(split.train) // int(batch_size)))
            train_config = TrainConfig(
                epochs=int(epochs),
                batch_size=int(batch_size),
                learning_rate=float(learning_rate),
                seed=int(seed),
                patience=0,  # the visitor chose the epochs and can press Stop
                log_every_steps=1,
                evaluations_per_epoch=min(EVALUATIONS_PER_EPOCH, steps_per_epoch),
            )
            trainer = make_trainer(dataset, split, model_config, train_config)
        except (TypeError, ValueError) as error:
            raise visitor_error(language, "invalid_setting", reason=error) from None

        session.stop_requested = False
        session.trainer = trainer
        history = LossHistory(
            message(language, "train_series"),
            message(language, "validation_series"),
            steps_per_epoch // TRAIN_POINTS_PER_EPOCH,
        )
        session_id = request.session_hash if request is not None else "?"
        log.info("session %s: training %s started", session_id, model_config.cell)
        events = trainer.run()
        finished = False
        time_limited = False
        try:
            hidden = gr.update(visible=False)
            # None clears the plot of an earlier run (see LossHistory.frame for why not an empty frame).
            yield None, message(language, "preparing"), "", "", hidden, hidden, hidden
            validation_text = ""
            last_yield = time.monotonic()
            for event in events:
                if event.kind == "step" and event.train_loss is not None:
                    history.add_step(event.epoch, event.train_loss)
                if event.kind == "evaluation":
                    history.add_validation(event.epoch, event.validation_loss)
                    validation_text = message(
                        language, "validation", epoch=event.epoch, accuracy=event.validation_accuracy,
                        macro_f1=event.validation_macro_f1, best=event.best_macro_f1,
                    )
                if event.elapsed > MAX_TRAIN_SECONDS and not session.stop_requested:
                    log.info("session %s: training reached the %d s limit", session_id, MAX_TRAIN_SECONDS)
                    time_limited = True
                    trainer.stop()
                if event.kind != "evaluation" and time.monotonic() - last_yield < YIELD_SECONDS:
                    continue
                fraction = event.step / max(event.total_steps, 1)
                remaining = seconds_left(event.elapsed, fraction)
                progress(fraction, desc=message(language, "progress", epoch=event.epoch, epochs=int(epochs), remaining=remaining))
                status = message(
                    language, "running", epoch=event.epoch, epochs=int(epochs), elapsed=event.elapsed, remaining=remaining
                )
                yield history.frame(), status, validation_text, gr.skip(), gr.skip(), gr.skip(), gr.skip()
                last_yield = time.monotonic()

            result = trainer.result()
            yield history.frame(complete=True), message(language, "evaluating"), validation_text, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            predictor, evaluation = finish_training(
                result, dataset, split, SPLIT_SEED, data_source=data_source
            )
            session.predictor = predictor
            session.evaluation, session.trained_dataset = evaluation, dataset
            checkpoint = session.checkpoint_folder() / f"charrnn-{model_config.cell}-{time.strftime('%Y%m%d-%H%M%S')}.pt"
            save_checkpoint(predictor.checkpoint_payload(), checkpoint)
            session.checkpoint_file = checkpoint
            stopped = session.stop_requested or time_limited
            if time_limited:
                status = message(language, "time_limit", elapsed=result.elapsed)
            else:
                status = message(language, "stopped" if stopped else "finished", elapsed=result.elapsed)
            summary = message(language, "summary", best_epoch=result.best_epoch, **evaluation.metrics)
            finished = True
            log.info(
                "session %s: training %s after %.1f s, test accuracy %.3f",
                session_id, "stopped" if stopped else "finished", result.elapsed, evaluation.metrics["accuracy"],
            )
            yield (
                history.frame(complete=True), status, validation_text, summary,
                gr.update(value=str(checkpoint), visible=True),
                gr.update(visible=True),
                gr.update(visible=context.allow_save),
            )
        finally:
            # Reached without `finished` when the client cancelled (gradio_client's cancel, a closed
            # tab): Gradio closes this generator at its next yield, so the trainer must stop here.
            trainer.stop()
            events.close()
            if session.trainer is trainer:
                session.trainer = None
            if not finished:
                log.info("session %s: training cancelled", session_id)

    return train


def stop_training(session: VisitorSession, request: gr.Request) -> None:
    """Ask this session's training to stop; the Train handler then keeps the best model."""
    if not session.request_stop():
        gr.Info(message(request_language(request), "nothing_to_stop"))


def make_save_handler(context: AppContext):
    def save(session: VisitorSession, request: gr.Request) -> None:
        language = request_language(request)
        if not context.allow_save:
            raise visitor_error(language, "save_disabled")
        if session.predictor is None:
            raise visitor_error(language, "no_model_to_use")
        # A fresh name every time, so the shipped checkpoint is never overwritten.
        path = context.checkpoint_dir / f"trained-{time.strftime('%Y%m%d-%H%M%S')}.pt"
        save_checkpoint(session.predictor.checkpoint_payload(), path)
        gr.Info(message(language, "saved", path=path))

    return save


def make_download_data_handler(context: AppContext):
    def download_data(request: gr.Request):
        language = request_language(request)
        try:
            path = download_names(context.data_path)
        except (DownloadError, OSError) as error:
            raise visitor_error(language, "download_failed", reason=error) from None
        context.forget_dataset()
        gr.Info(message(language, "downloaded", path=path))
        hidden = gr.update(visible=False)
        return hidden, hidden

    return download_data


# ---------------------------------------------------------------------------------------------
# layout
# ---------------------------------------------------------------------------------------------


def build_train_tab(context: AppContext, session: gr.State) -> TrainTab:
    """Lay out the Train tab and wire its own events; call inside a `gr.Tab`."""
    data_missing = not context.data_available()
    gr.Markdown(I18N("train_intro"))
    build_own_data_section(context, session)
    model_file, model_report = build_own_model_section()
    with gr.Group(visible=data_missing) as data_notice:
        gr.Markdown(I18N("data_missing"), elem_id="data-missing")
        download_data_button = gr.Button(I18N("data_download_button"), elem_id="download-data")

    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            cell = UncheckedDropdown(list(CELLS), value="gru", label=I18N("cell_label"), info=I18N("cell_info"), elem_id="cell")
            hidden_size = UncheckedSlider(label=I18N("hidden_label"), info=I18N("hidden_info"), elem_id="hidden-size", **HIDDEN_SIZE)
            layers = UncheckedSlider(label=I18N("layers_label"), info=I18N("layers_info"), elem_id="layers", **LAYERS)
            bidirectional = gr.Checkbox(True, label=I18N("bidirectional_label"), info=I18N("bidirectional_info"))
            epochs = UncheckedSlider(label=I18N("epochs_label"), elem_id="epochs", **EPOCHS)
            batch_size = UncheckedSlider(label=I18N("batch_label"), elem_id="batch-size", **BATCH_SIZE)
            learning_rate = UncheckedNumber(label=I18N("lr_label"), step=1e-3, elem_id="learning-rate", **LEARNING_RATE)
            seed = UncheckedNumber(label=I18N("seed_label"), info=I18N("seed_info"), precision=0, **SEED)
            with gr.Row():
                train_button = gr.Button(I18N("train_button"), variant="primary", elem_id="train-button")
                stop_button = gr.Button(I18N("stop_button"), variant="stop", elem_id="stop-button")
        with gr.Column(scale=2):
            status = gr.Textbox(label=I18N("status_label"), interactive=False, elem_id="train-status")
            loss_plot = gr.LinePlot(
                value=None,
                x="epoch",
                y="loss",
                color="series",
                title=I18N("loss_title"),
                x_title=I18N("loss_x"),
                y_title=I18N("loss_y"),
                color_title=I18N("loss_series"),
                y_lim=[0, None],
                height=320,
                elem_id="loss-plot",
            )
            validation = gr.Markdown(elem_id="validation")
            summary = gr.Markdown(elem_id="train-summary")
            with gr.Row():
                download = gr.DownloadButton(I18N("download_button"), visible=False, elem_id="download-checkpoint")
                use_button = gr.Button(I18N("use_button"), visible=False, elem_id="use-model")
                save_button = gr.Button(I18N("save_button"), visible=False, elem_id="save-model")

    train = make_train_handler(context)
    train_button.click(
        train,
        [cell, hidden_size, layers, bidirectional, epochs, batch_size, learning_rate, seed, session],
        [loss_plot, status, validation, summary, download, use_button, save_button],
        api_name="train",
        # One training at a time on the whole server: later visitors wait in the queue and their
        # status box shows their place and the estimated wait.
        concurrency_limit=1,
        concurrency_id="train",
        show_progress_on=[status],
    ).success(
        # The trained model replaced any loaded checkpoint, so that file's report no longer holds.
        fn=None, inputs=None, outputs=[model_report], js=CLEAR_TEXT_JS, queue=False
    )
    stop_button.click(stop_training, [session], None, api_name="stop", concurrency_limit=None)
    save_button.click(make_save_handler(context), [session], None, api_visibility="undocumented", concurrency_limit=None)
    download_data_button.click(
        make_download_data_handler(context), None, [data_notice, download_data_button],
        api_visibility="undocumented", concurrency_id="train",
    )
    return TrainTab(status, loss_plot, summary, download, use_button, save_button, model_file, model_report)
