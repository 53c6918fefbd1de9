"""One checkpoint file: everything prediction needs, written atomically, loaded without pickle code.

The file is a `torch.save` dict of tensors and plain values, so `torch.load(weights_only=True)`
reads it and a file that would run code on load is rejected instead.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import torch

log = logging.getLogger(__name__)

# Phrases in torch 2.13's weights-only unpickler errors when a file names a class or function to call.
CODE_MARKERS = ("GLOBAL", "allowlisted", "add_safe_globals")

FORMAT = "charrnn-checkpoint"
VERSION = 1
MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"  # the first bytes of a zip archive's first member
REQUIRED_KEYS = ("format", "version", "model_config", "state_dict", "vocabulary", "labels", "normalizer")


class CheckpointError(ValueError):
    """A checkpoint file is missing, corrupt, foreign or incompatible with this version.

    `code` names the reason, so that the app can show the message in the visitor's language.
    The codes are not_found, empty, too_large, not_torch (not a file torch.save wrote), unsafe and
    corrupt. A file torch can read may still be foreign (not a charrnn checkpoint), incomplete
    (required entries missing), of another version, or incompatible (its weights do not fit the
    model code). An empty code has no translation.
    """

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


def save_checkpoint(payload: dict[str, Any], path: str | Path) -> Path:
    """Write `payload` to `path` through a temporary file and `os.replace`.

    A crash or kill during the write leaves the previous file at `path` untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "version": VERSION, **payload}
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual mode
        with os.fdopen(descriptor, "wb") as file:
            torch.save(payload, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    log.info("saved checkpoint %s (%.1f kB)", path, path.stat().st_size / 1024)
    return path


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """Read and check a checkpoint; raise `CheckpointError` with the reason on any problem."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} not found", "not_found")
    size = path.stat().st_size
    if size == 0:
        raise CheckpointError(f"checkpoint {path.name} is empty", "empty")
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(
            f"checkpoint {path.name} is larger than {MAX_CHECKPOINT_BYTES // 2**20} MiB", "too_large"
        )

    # torch.save writes a zip archive by default (since torch 1.6), and save_checkpoint uses that default.
    with path.open("rb") as file:
        if file.read(4) != ZIP_MAGIC:
            raise CheckpointError(f"{path.name} is not a charrnn checkpoint (not a PyTorch zip archive)", "not_torch")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if not any(marker in str(error) for marker in CODE_MARKERS):
            raise CheckpointError(
                f"checkpoint {path.name} is corrupt or truncated (unreadable pickle data); "
                "train a new model or restore the file",
                "corrupt",
            ) from None
        detail = next((line.strip() for line in str(error).splitlines() if "GLOBAL" in line), "")
        raise CheckpointError(
            f"checkpoint {path.name} was rejected: it contains objects that are not plain data "
            f"and could run code on load. {detail[:200]}".rstrip(),
            "unsafe",
        ) from None
    except Exception as error:  # noqa: BLE001 - arbitrary bytes can break the unpickler in any way
        raise CheckpointError(
            f"checkpoint {path.name} is corrupt or truncated ({type(error).__name__}); "
            "train a new model or restore the file",
            "corrupt",
        ) from None

    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path.name} is not a charrnn checkpoint", "foreign")
    missing = [key for key in REQUIRED_KEYS if key not in payload]
    if missing:
        raise CheckpointError(f"checkpoint {path.name} lacks {', '.join(missing)}", "incomplete")
    if payload["version"] != VERSION:
        raise CheckpointError(
            f"checkpoint {path.name} has format version {payload['version']}; this charrnn reads version {VERSION}",
            "version",
        )
    return payload
