"""Shared fixtures: one real app server per test session, on loopback, over a small data subset."""

from __future__ import annotations

import importlib.util
import logging
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.support import names_path

# Quiet, local runs: set before anything imports gradio or huggingface_hub.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="charrnn-gradio-"))

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NAMES_PER_LABEL = 60  # keeps a test training run to a few seconds on two CPU cores


def names_data() -> Path:
    """Return the names folder named by CHARRNN_DATA; skip locally, fail in CI, when it is missing."""
    return names_path()


def mcp_available() -> bool:
    """Return True when the `gradio[mcp]` extra is installed, so the app can serve MCP tools."""
    return importlib.util.find_spec("mcp") is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LogRecorder(logging.Handler):
    """Keep (time, logger name, message) of every record, so tests can see server-side work."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock:
            self.records.append((time.monotonic(), record.name, record.getMessage()))

    def messages(self, logger: str = "", since: float = 0.0) -> list[str]:
        with self._lock:
            return [text for at, name, text in self.records if name.startswith(logger) and at >= since]

    def wait_for(self, fragment: str, timeout: float, since: float = 0.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(fragment in text for text in self.messages(since=since)):
                return True
            time.sleep(0.05)
        return False


@pytest.fixture(scope="session")
def data_subset(tmp_path_factory) -> Path:
    """Write the first NAMES_PER_LABEL lines of every label file into a fresh folder."""
    source = names_data()
    folder = tmp_path_factory.mktemp("names")
    for path in sorted(source.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()[:NAMES_PER_LABEL]
        (folder / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def server_log() -> LogRecorder:
    recorder = LogRecorder()
    logger = logging.getLogger("charrnn")
    logger.setLevel(logging.INFO)
    logger.addHandler(recorder)
    yield recorder
    logger.removeHandler(recorder)


@pytest.fixture(scope="session")
def app_url(data_subset, server_log) -> str:
    """Launch the real app once on 127.0.0.1 at a free port and return its address."""
    from charrnn.cli import DEFAULT_CHECKPOINT
    from charrnn.ui import LAUNCH_SETTINGS, AppContext, build_demo

    context = AppContext.create(DEFAULT_CHECKPOINT, data_subset, allow_save=False)
    demo = build_demo(context)
    _, url, _ = demo.launch(
        prevent_thread_lock=True, quiet=True, server_name="127.0.0.1", server_port=free_port(),
        mcp_server=mcp_available(), **LAUNCH_SETTINGS,
    )
    yield url
    demo.close()
