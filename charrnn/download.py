"""Fetch the tutorial's names data and check every file against its known SHA-256."""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

log = logging.getLogger(__name__)

DATA_URL = "https://download.pytorch.org/tutorial/data.zip"
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024  # data.zip is about 2.9 MB

# SHA-256 of data/names/*.txt as the tutorial ships them (20,074 lines in all).
NAMES_SHA256 = {
    "Arabic.txt": "6f424a8dbe51cbbbabab7a57d38b617210125e4e3991f3c657cb79b8f104bafc",
    "Chinese.txt": "49263ef55a8cb1740e841d65cad8214b2f9b5b869bc534c811746422496fa91e",
    "Czech.txt": "145bbbd6d0816578f03388e92c264d39ef1c60df920b081d371fa5c5cc055a8e",
    "Dutch.txt": "924f32b635170eae561f84538632138fc07d4c8bbd70ba3fb980de1ecc4d2af3",
    "English.txt": "9cca037066d3d5989e24bc01801416162de506b5e28e15b7c092a47905d29bf2",
    "French.txt": "81e65b36c60ed5b89a17422f6edcadbb89546f38ad69e960e64e7ba682012a95",
    "German.txt": "7449cd590b97a733e18d613a4155decd77ec35dc5f8aadd7a82204dce4f051db",
    "Greek.txt": "3555b5186de7f401e6d991b088e9e644ca3099116477818c25ab5793801389e6",
    "Irish.txt": "cf8c7013256252a88d2503127b87282a11f21b2ff6db1bded68834c19a1ec058",
    "Italian.txt": "f88414c27d0606a11a678b4859277828c2565d6cc4d9ee932deef6e94f3b35e4",
    "Japanese.txt": "e0e717e114fec3e7eade4d9dabe0067c475f43147e36a22b47902ee76ad9e67f",
    "Korean.txt": "cd54221ccb362a6cba4c78828838cf3268a0e59744767a37cf6ec4b74036b136",
    "Polish.txt": "45bab898af2f60ed3a728bbf6980e28821011a7caa53227553b5785903a40826",
    "Portuguese.txt": "50a8735f41f4f73757c8ce5b16cb0275cd86b2b214bcbc8c9805f508cb131c53",
    "Russian.txt": "43b3e64ce351f77f1ac9e0cdf7566012d127f4371875fd25208845b5c9d6f7c3",
    "Scottish.txt": "78d0252711d87d948ea86fe34826c51d2d794a8e52d15b5d6f7b6244d45d62dd",
    "Spanish.txt": "1bcb462ed3316756a85781d68232bddae04498fdddd5d9219c53fd1fbdeba7a7",
    "Vietnamese.txt": "f3f9e4164ab47601178a6e45b216464a64122f49d05541f24bf18a757253281d",
}


class DownloadError(RuntimeError):
    """The data could not be fetched or did not match the known checksums."""


def download_names(destination: str | Path = "data/names", url: str = DATA_URL, timeout: float = 60.0) -> Path:
    """Download data.zip, verify the 18 names files and place them in `destination`.

    The files are written to a temporary folder first and moved only after every checksum
    matched, so a failed download leaves `destination` as it was.
    """
    destination = Path(destination)
    log.info("downloading %s", url)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            raw = response.read(MAX_DOWNLOAD_BYTES + 1)
    except OSError as error:
        raise DownloadError(f"download of {url} failed: {error}; check the internet connection") from None
    if len(raw) > MAX_DOWNLOAD_BYTES:
        raise DownloadError(f"{url} is larger than {MAX_DOWNLOAD_BYTES // 2**20} MiB; expected the tutorial's data.zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise DownloadError(f"{url} did not return a zip file") from None

    found: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            member = PurePosixPath(info.filename)
            if member.parent.name == "names" and member.name in NAMES_SHA256 and info.file_size < MAX_DOWNLOAD_BYTES:
                found[member.name] = archive.read(info)
    missing = sorted(set(NAMES_SHA256) - set(found))
    if missing:
        raise DownloadError(f"the zip lacks {', '.join(missing)} under data/names/")
    for name, content in found.items():
        digest = hashlib.sha256(content).hexdigest()
        if digest != NAMES_SHA256[name]:
            raise DownloadError(f"{name}: SHA-256 {digest} does not match the tutorial's {NAMES_SHA256[name]}")

    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".names-", dir=destination.parent))
    try:
        for name, content in found.items():
            (staging / name).write_bytes(content)
        if destination.exists():
            shutil.rmtree(destination)
        staging.rename(destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("verified %d files into %s", len(found), destination)
    return destination
