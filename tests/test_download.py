import hashlib
import http.server
import io
import threading
import zipfile
from pathlib import Path

import pytest

from charrnn.download import NAMES_SHA256, DownloadError, download_names
from tests.support import names_path


def make_zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"data/names/{name}", content)
        archive.writestr("data/eng-fra.txt", b"go.\tva !\n")
    return buffer.getvalue()


@pytest.fixture
def serve():
    """Serve given bytes at http://127.0.0.1:PORT/data.zip; yield a function that sets them."""
    content = {"body": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(content["body"])))
            self.end_headers()
            self.wfile.write(content["body"])

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def set_body(body: bytes) -> str:
        content["body"] = body
        return f"http://127.0.0.1:{server.server_port}/data.zip"

    yield set_body
    server.shutdown()
    server.server_close()


def real_files() -> dict[str, bytes]:
    return {name: (names_path() / name).read_bytes() for name in NAMES_SHA256}


def test_download_verifies_and_writes_files(serve, tmp_path):
    destination = download_names(tmp_path / "data" / "names", serve(make_zip(real_files())))
    written = sorted(path.name for path in destination.iterdir())
    assert written == sorted(NAMES_SHA256)
    for name, digest in NAMES_SHA256.items():
        assert hashlib.sha256((destination / name).read_bytes()).hexdigest() == digest


def test_tampered_file_is_rejected_and_nothing_changes(serve, tmp_path):
    destination = tmp_path / "names"
    destination.mkdir()
    (destination / "keep.txt").write_text("old\n")
    files = real_files()
    files["Korean.txt"] += b"Evil\n"
    with pytest.raises(DownloadError, match="Korean.txt: SHA-256"):
        download_names(destination, serve(make_zip(files)))
    assert [path.name for path in destination.iterdir()] == ["keep.txt"]


def test_not_a_zip_is_rejected(serve, tmp_path):
    with pytest.raises(DownloadError, match="did not return a zip"):
        download_names(tmp_path / "names", serve(b"<html>not found</html>"))


def test_unreachable_address_is_a_clear_error(tmp_path):
    with pytest.raises(DownloadError, match="failed"):
        download_names(tmp_path / "names", "http://127.0.0.1:9/data.zip", timeout=5)
    assert not Path(tmp_path / "names").exists()
