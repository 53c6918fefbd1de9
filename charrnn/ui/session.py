"""The app's state: the shared read-only context and each visitor's own session."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..checkpoint import CheckpointError
from ..data import Dataset, load_dataset
from ..pipeline import Evaluation
from ..predict import Predictor

log = logging.getLogger(__name__)


def running_on_spaces() -> bool:
    """Return True on Hugging Face Spaces, which sets SYSTEM=spaces and SPACE_ID."""
    return os.environ.get("SYSTEM") == "spaces" or bool(os.environ.get("SPACE_ID"))


@dataclass
class AppContext:
    """Settings and the shipped model, shared by every visitor and never changed by a visitor."""

    checkpoint_path: Path
    data_path: Path
    checkpoint_dir: Path  # where --allow-save writes trained models
    allow_save: bool = False
    default_predictor: Predictor | None = None
    default_error: str = ""  # why the shipped model could not be loaded
    _dataset: Dataset | None = field(default=None, repr=False)
    _dataset_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def create(
        cls, checkpoint_path: str | Path, data_path: str | Path, allow_save: bool = False
    ) -> AppContext:
        checkpoint_path = Path(checkpoint_path)
        context = cls(
            checkpoint_path=checkpoint_path,
            data_path=Path(data_path),
            checkpoint_dir=checkpoint_path.parent,
            allow_save=allow_save and not running_on_spaces(),
        )
        try:
            context.default_predictor = Predictor.from_checkpoint(checkpoint_path)
            log.info("loaded the shipped model from %s", checkpoint_path)
        except CheckpointError as error:
            context.default_error = str(error)
            log.error("could not load the shipped model: %s", error)
        return context

    def data_available(self) -> bool:
        """Return True when the data path exists; whether it parses is checked on first use."""
        path = self.data_path
        return path.is_file() or (path.is_dir() and any(path.glob("*.txt")))

    def dataset(self) -> Dataset:
        """Load the names data once and share it read-only; raise `DataError` when it is unusable."""
        with self._dataset_lock:
            if self._dataset is None:
                self._dataset = load_dataset(self.data_path)
            return self._dataset

    def forget_dataset(self) -> None:
        """Drop the cached data set, so that a fresh download is read on next use."""
        with self._dataset_lock:
            self._dataset = None


class VisitorSession:
    """One browser session's training run and trained model, kept in `gr.State`.

    Gradio passes the same object to every handler of the session, so the Stop handler can reach
    the trainer that the Train handler runs.
    """

    def __init__(self) -> None:
        self.trainer = None  # the running Trainer, None when idle
        self.predictor: Predictor | None = None  # the last model trained or loaded in this session
        self.checkpoint_file: Path | None = None  # that model as a file for the download button
        self.evaluation: Evaluation | None = None  # that model's test-split evaluation
        self.trained_dataset: Dataset | None = None  # the data that model was trained and tested on
        self.own_dataset: Dataset | None = None  # an uploaded data set the next training uses
        self.own_data_name = ""  # the uploaded file's name, for status lines
        self.stop_requested = False  # a plain flag: gr.State deep-copies the initial value, and locks cannot be copied
        self._folder: Path | None = None

    @property
    def training(self) -> bool:
        return self.trainer is not None

    def request_stop(self) -> bool:
        """Ask the running training to end after its current step; return False when none runs."""
        trainer = self.trainer
        if trainer is None:
            return False
        self.stop_requested = True
        trainer.stop()
        return True

    def checkpoint_folder(self) -> Path:
        """Return a private folder for this session's checkpoint files, created on first use."""
        if self._folder is None:
            root = os.environ.get("GRADIO_TEMP_DIR") or None
            if root:
                Path(root).mkdir(parents=True, exist_ok=True)
            self._folder = Path(tempfile.mkdtemp(prefix="charrnn-session-", dir=root))
        return self._folder

    def close(self) -> None:
        """Stop training and delete this session's files; Gradio calls it when the tab closes."""
        self.request_stop()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def close_session(session: VisitorSession | None) -> None:
    """Delete callback for the session's `gr.State`."""
    if session is not None:
        session.close()
