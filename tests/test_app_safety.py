"""Bad input, direct API calls and many sessions against `python app.py` started as a subprocess.

The app runs in its own process so that its stderr, where Gradio prints the traceback of every
unhandled exception, can be read back and checked to stay free of them.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.utils import Status

from tests.conftest import PROJECT_ROOT, free_port

HANGUL = re.compile("[\uac00-\ud7a3]")
KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9"}
GENERIC_ERROR = "has not enabled verbose error reporting"  # Gradio's reply to an unhandled exception
TINY_RUN = ["gru", 16, 1, False, 1, 32, 0.01, 0]  # cell, hidden, layers, bidirectional, epochs, batch, lr, seed
LONG_RUN = ["lstm", 128, 2, True, 10, 16, 0.003, 0]  # runs far longer than any test waits
SETTING_INDEX = {"cell": 0, "hidden": 1, "layers": 2, "epochs": 4, "batch": 5, "lr": 6, "seed": 7}


class AppProcess:
    """`python app.py` on 127.0.0.1 with stderr in a file the tests read."""

    def __init__(self, data: Path, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = folder / "app.log"
        self.checkpoint = PROJECT_ROOT / "checkpoints" / "default.pt"
        environment = {**os.environ, "GRADIO_TEMP_DIR": str(folder / "gradio")}
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "app.py", "--data", str(data), "--port", str(self.port), "--host", "127.0.0.1"],
            cwd=PROJECT_ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the app exited:\n{self.log()}"
            try:
                if httpx.get(self.url, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the app did not answer within {timeout} s:\n{self.log()}")

    def log(self, since: int = 0) -> str:
        return self.log_path.read_text(errors="replace")[since:]

    def log_size(self) -> int:
        return len(self.log_path.read_text(errors="replace"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def app(data_subset, tmp_path_factory):
    folder = tmp_path_factory.mktemp("safety-app")
    process = AppProcess(data_subset, folder)
    checkpoint_hash = sha256(process.checkpoint)
    checkpoint_files = sorted(process.checkpoint.parent.iterdir())
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()
    # Nothing a visitor did may change the shipped model or add files beside it (no --allow-save).
    assert sha256(process.checkpoint) == checkpoint_hash
    assert sorted(process.checkpoint.parent.iterdir()) == checkpoint_files


@pytest.fixture
def clean_log(app):
    """Fail the test when the app printed a traceback while it ran."""
    start = app.log_size()
    yield
    written = app.log(start)
    assert "Traceback" not in written, f"the app logged an unhandled exception:\n{written[-3000:]}"


def error_text(call) -> str:
    """Run `call`, which must fail, and return the error text the client received."""
    with pytest.raises(Exception) as caught:
        call()
    text = str(caught.value)
    assert GENERIC_ERROR not in text, "an unhandled exception reached the visitor"
    assert "Traceback" not in text
    return text


def check_language(text: str, korean: bool) -> None:
    if korean:
        assert HANGUL.search(text), f"expected a Korean message, got {text!r}"
    else:
        assert not HANGUL.search(text), f"expected an English message, got {text!r}"


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "", " " * 500, "\t\n\r", "x" * 10_000, "\x00\x01\x1b[31m", "\u202eKrap", "مرحبا", "שלום",
    "a\u0301\u0302\u0303" * 30, "\U0001F600\u200d\U0001F525", "<img src=x onerror=alert(1)>", "12345", "박상훈",
    "Park\x00Kim", "O'Brien", "\ufeffMüller",
]


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_predict_hostile_names(app, clean_log, korean):
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    for text in HOSTILE_NAMES:
        try:
            result = client.predict(text, "default", api_name="/predict")
        except Exception as error:  # noqa: BLE001 - the message is what is checked
            message = str(error)
            assert GENERIC_ERROR not in message, text
            check_language(message, korean)
        else:
            assert result[0]["data"], f"no bars for {text[:40]!r}"


def test_predict_too_long_states_maximum(app, clean_log):
    text = error_text(lambda: Client(app.url, verbose=False).predict("x" * 10_000, "default", api_name="/predict"))
    assert "64" in text


@pytest.mark.parametrize("choice", ["other", 42, None, ["default"]])
def test_predict_unknown_model_choice(app, clean_log, choice):
    korean = Client(app.url, verbose=False, headers=KOREAN)
    text = error_text(lambda: korean.predict("Park", choice, api_name="/predict"))
    check_language(text, korean=True)
    assert "default" in text


OUT_OF_RANGE = [
    ("cell", "transformer"), ("cell", None), ("hidden", 0), ("hidden", 100_000), ("hidden", "64"),
    ("layers", 50), ("epochs", 0), ("epochs", 1000), ("epochs", 2.5), ("epochs", "5"), ("epochs", None),
    ("batch", 1), ("batch", 10**9), ("lr", 0), ("lr", 10.0), ("lr", "fast"), ("seed", -1), ("seed", 2**40),
    ("seed", True),
]


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_train_rejects_out_of_range(app, clean_log, korean):
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    before = app.log_size()
    for setting, value in OUT_OF_RANGE:
        settings = list(TINY_RUN)
        settings[SETTING_INDEX[setting]] = value
        text = error_text(lambda: client.predict(*settings, api_name="/train"))
        check_language(text, korean)
        assert repr(value)[:20] in text.replace("&#x27;", "'"), (setting, value, text)
    assert "training gru started" not in app.log(before)
    assert "training lstm started" not in app.log(before)


def test_slider_bounds_hold_at_edges(app, clean_log):
    """One step past the largest slider value is rejected."""
    client = Client(app.url, verbose=False)
    settings = list(TINY_RUN)
    settings[SETTING_INDEX["epochs"]] = 11
    error_text(lambda: client.predict(*settings, api_name="/train"))
    settings[SETTING_INDEX["epochs"]] = 1
    settings[SETTING_INDEX["hidden"]] = 264
    error_text(lambda: client.predict(*settings, api_name="/train"))


def test_server_keeps_answering(app, clean_log):
    result = Client(app.url, verbose=False).predict("Schmidhuber", "default", api_name="/predict")
    assert len(result[0]["data"]) == 3


# ---------------------------------------------------------------------------------------------
# uploads
# ---------------------------------------------------------------------------------------------


def test_upload_over_max_file_size_rejected(app, tmp_path):
    from charrnn.data import MAX_FILE_BYTES

    path = tmp_path / "big.csv"
    path.write_bytes(b"name,label\n" + b"Park,Korean\n" * (MAX_FILE_BYTES // 12 + 1))
    with path.open("rb") as file:
        response = httpx.post(f"{app.url}gradio_api/upload", files={"files": ("big.csv", file)}, timeout=60.0)
    assert response.status_code == 413, response.text[:300]


def test_hostile_upload_gets_message(app, clean_log, tmp_path):
    client = Client(app.url, verbose=False)
    if "/check_data" not in str(client.view_api(print_info=False, return_format="dict")):
        pytest.skip("the app has no data upload endpoint yet")
    import zipfile

    archive = tmp_path / "escape.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../Korean.txt", "Park\nKim\nLee\n")
        handle.writestr("Japanese.txt", "Sato\nAbe\nIto\n")
    text = error_text(lambda: client.predict(handle_file(str(archive)), api_name="/check_data"))
    assert "absolute path or '..'" in text.replace("&#x27;", "'")
    bad = tmp_path / "names.csv"
    bad.write_bytes(b"name,label\nPark,Korean\nM\xfcller,German\n")
    text = error_text(lambda: client.predict(handle_file(str(bad)), api_name="/check_data"))
    assert "line 3" in text


class RunsCodeOnLoad:
    def __reduce__(self):
        return (os.system, ("touch ran-on-load",))


def hostile_checkpoints(folder: Path) -> dict[str, Path]:
    """Write one file per way a checkpoint upload can be bad; keys name the expected English reason."""
    import torch

    from charrnn.checkpoint import load_checkpoint, save_checkpoint
    from tests.support import small_checkpoint

    source = small_checkpoint()
    files = {}
    files["could run code"] = folder / "evil.pt"
    torch.save({"format": "charrnn-checkpoint", "version": 1, "state_dict": RunsCodeOnLoad()}, files["could run code"])
    files["damaged or cut short"] = folder / "truncated.pt"
    files["damaged or cut short"].write_bytes(source.read_bytes()[:5000])
    reshaped = load_checkpoint(source)
    reshaped["model_config"]["hidden_size"] = 1_000_000
    files["do not fit"] = save_checkpoint(reshaped, folder / "reshaped.pt")
    files["empty"] = folder / "empty.pt"
    files["empty"].write_bytes(b"")
    files["not a checkpoint file"] = folder / "notes.pt"
    files["not a checkpoint file"].write_text("Park\nKim\n", encoding="utf-8")
    files["a PyTorch file but not"] = folder / "foreign.pt"
    torch.save({"weight": torch.zeros(3)}, files["a PyTorch file but not"])
    files["expected a .pt"] = folder / "model.pkl"
    files["expected a .pt"].write_bytes(source.read_bytes())
    return files


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_hostile_checkpoint_uploads(app, clean_log, tmp_path, korean, monkeypatch):
    monkeypatch.chdir(tmp_path)
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    for reason, path in hostile_checkpoints(tmp_path).items():
        text = error_text(lambda: client.predict(handle_file(str(path)), api_name="/load_checkpoint"))
        check_language(text, korean)
        if not korean:
            assert reason in text, (path.name, text)
        assert path.name in text
    assert not (tmp_path / "ran-on-load").exists()
    assert not (PROJECT_ROOT / "ran-on-load").exists()
    # Every file was rejected, so the session still has no model of its own.
    text = error_text(lambda: client.predict("Park", "trained", api_name="/predict"))
    check_language(text, korean)


# ---------------------------------------------------------------------------------------------
# many visitors
# ---------------------------------------------------------------------------------------------


def wait_for_updates(job, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while len(job.outputs()) < count:
        assert time.monotonic() < deadline, "no training updates arrived"
        time.sleep(0.1)


def test_one_training_at_a_time(app, clean_log):
    first, second = Client(app.url, verbose=False), Client(app.url, verbose=False)
    first_job = first.submit(*LONG_RUN, api_name="/train")
    second_job = None
    try:
        wait_for_updates(first_job, 2)
        started = app.log_size()
        second_job = second.submit(*TINY_RUN, api_name="/train")
        time.sleep(2.0)
        assert second_job.status().code in (Status.JOINING_QUEUE, Status.IN_QUEUE, Status.STARTING), second_job.status()
        assert "training gru started" not in app.log(started)
    finally:
        first_job.cancel()
        if second_job is not None:
            second_job.cancel()


def test_stop_touches_only_own_session(app, clean_log):
    trainer, other = Client(app.url, verbose=False), Client(app.url, verbose=False)
    job = trainer.submit(*LONG_RUN, api_name="/train")
    try:
        wait_for_updates(job, 2)
        other.predict(api_name="/stop")  # the other session has nothing to stop
        seen = len(job.outputs())
        wait_for_updates(job, seen + 2, timeout=30.0)
        assert not job.done()
        assert "Stopped" not in str(job.outputs()[-1][1])
    finally:
        job.cancel()


def test_training_leaves_shipped_checkpoint(app, clean_log):
    before = sha256(app.checkpoint)
    updates = list(Client(app.url, verbose=False).submit(*TINY_RUN, api_name="/train"))
    assert "Finished" in str(updates[-1][1])
    assert sha256(app.checkpoint) == before


# ---------------------------------------------------------------------------------------------
# batch files
# ---------------------------------------------------------------------------------------------


def batch_files(folder: Path) -> list[tuple[Path, str]]:
    """Write one file per way a names file can be unusable; return (path, English message fragment)."""
    from charrnn.batch import MAX_BATCH_BYTES, MAX_BATCH_ROWS

    cases = [
        ("zero.csv", b"", "is empty"),
        ("blank.txt", b"\n  \n\r\n", "is empty"),
        ("latin1.txt", b"Park\nM\xfcller\n", "line 2 is not valid UTF-8"),
        ("columns.csv", b"surname,country\nPark,KR\n", "'name' column"),
        ("header-only.csv", b"name\n", "has no names"),
        ("rows.txt", b"Park\n" * (MAX_BATCH_ROWS + 1), f"{MAX_BATCH_ROWS + 1:,} names"),
        ("large.txt", b"Park\n" * (MAX_BATCH_BYTES // 5 + 1), f"maximum is {MAX_BATCH_BYTES // 2**20} MiB"),
        ("names.json", b'["Park"]', "expected a .csv"),
    ]
    written = []
    for file_name, content, fragment in cases:
        path = folder / file_name
        path.write_bytes(content)
        written.append((path, fragment))
    return written


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_batch_unusable_files(app, clean_log, tmp_path, korean):
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    for path, fragment in batch_files(tmp_path):
        text = error_text(lambda: client.predict(handle_file(str(path)), "default", api_name="/predict_batch"))
        check_language(text, korean)
        assert path.name in text, text
        if not korean:
            assert fragment in text.replace("&#x27;", "'"), (path.name, text)
    bars, *_ = client.predict("Park", "default", api_name="/predict")
    assert bars["data"]


def test_batch_reads_crlf_and_bom(app, clean_log, tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes("\ufeffname,note\r\nPark,a\r\nMüller,b\r\n".encode("utf-8"))
    table, _, summary = Client(app.url, verbose=False).predict(handle_file(str(path)), "default", api_name="/predict_batch")
    names = [row[1] for row in table["data"]]
    assert names == ["Park", "Müller"]
    assert "2 names answered, 0 rows with an error" in summary


BAD_ROWS = ["Park", "", "12345", "\U0001F600\U0001F525", "x" * 10_000, "Schmidt"]


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_batch_bad_rows_reported_per_row(app, clean_log, tmp_path, korean):
    path = tmp_path / "rows.csv"
    # A second column keeps the row with an empty name from being skipped as a blank line.
    path.write_text("name,note\n" + "".join(f"{name},n\n" for name in BAD_ROWS), encoding="utf-8")
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    table, _, summary = client.predict(handle_file(str(path)), "default", api_name="/predict_batch")
    rows = table["data"]
    error_at = len(table["headers"]) - 1  # the error column is last
    assert len(rows) == len(BAD_ROWS)
    assert [row[0] for row in rows] == list(range(1, len(BAD_ROWS) + 1))
    for row in (rows[0], rows[5]):
        assert row[error_at] == "", row[:3]
        assert row[2], "no top-1 language for a valid name"
    for row in rows[1:5]:
        assert row[error_at], f"row {row[0]} has no error"
        check_language(row[error_at], korean)
    assert "64" in rows[4][error_at]
    expected = "이름 2개에 답했고, 오류가 난 행은 4개입니다." if korean else "2 names answered, 4 rows with an error."
    assert summary == expected


# ---------------------------------------------------------------------------------------------
# uploaded data with too few names
# ---------------------------------------------------------------------------------------------


def upload_data(client: Client, path: Path, rows: list[tuple[str, str]]) -> str:
    """Write `rows` as a name,label CSV at `path`, send it to /check_data and return the report."""
    path.write_text("name,label\n" + "".join(f"{name},{label}\n" for name, label in rows), encoding="utf-8")
    return client.predict(handle_file(str(path)), api_name="/check_data")


KOREAN_NAMES = [("Park", "Korean"), ("Kim", "Korean"), ("Lee", "Korean"), ("Choi", "Korean")]


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_own_data_single_label_rejected(app, clean_log, tmp_path, korean):
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    text = error_text(lambda: upload_data(client, tmp_path / "korean.csv", KOREAN_NAMES))
    check_language(text, korean)
    if not korean:
        assert "found 1 label(s); a classifier needs at least 2" in text
    wrong = tmp_path / "names.xlsx"
    wrong.write_bytes(b"PK\x03\x04")
    text = error_text(lambda: client.predict(handle_file(str(wrong)), api_name="/check_data"))
    check_language(text, korean)
    assert "names.xlsx" in text
    # With no usable upload the session trains on the server's names data, which is not under test here.
    assert client.predict("Park", "default", api_name="/predict")[0]["data"]


@pytest.mark.parametrize("korean", [False, True], ids=["en", "ko"])
def test_own_data_one_name_label_not_trained(app, clean_log, tmp_path, korean):
    client = Client(app.url, verbose=False, headers=KOREAN if korean else None)
    before = app.log_size()
    report = upload_data(client, tmp_path / "one-japanese.csv", KOREAN_NAMES + [("Sato", "Japanese")])
    check_language(report, korean)
    assert "Japanese" in report.split("\n\n")[-1], "the report's last finding should name the small label"
    text = error_text(lambda: client.predict(*TINY_RUN, api_name="/train"))
    check_language(text, korean)
    assert "Japanese (1)" in text
    assert "one-japanese.csv" in text
    if not korean:
        assert "fewer than 3 names" in text

    # Every label with one name leaves the validation split empty.
    upload_data(client, tmp_path / "all-single.csv", [("Park", "Korean"), ("Sato", "Japanese")])
    text = error_text(lambda: client.predict(*TINY_RUN, api_name="/train"))
    check_language(text, korean)
    assert "Japanese (1), Korean (1)" in text
    assert "training gru started" not in app.log(before)
    assert client.predict("Park", "default", api_name="/predict")[0]["data"]


# ---------------------------------------------------------------------------------------------
# unusable uploaded data, in Korean
# ---------------------------------------------------------------------------------------------


def write_escape_zip(path: Path) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../Korean.txt", "Park\nKim\nLee\n")
        archive.writestr("Japanese.txt", "Sato\nAbe\nIto\n")
    return path


def write_file(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


# (case id, writer, code in the server log, text the Korean message must contain, English reason it must not)
OWN_DATA_ERRORS = [
    ("latin-1", lambda folder: write_file(folder / "latin.csv", b"name,label\nPark,Korean\nM\xfcller,German\n"),
     "not_utf8", "3번째 줄", "is not valid UTF-8"),
    ("single-label", lambda folder: write_file(folder / "korean.csv", b"name,label\nPark,Korean\nKim,Korean\n"),
     "too_few_labels", "레이블이 1개", "a classifier needs at least 2"),
    ("zip-escape", lambda folder: write_escape_zip(folder / "escape.zip"),
     "unsafe_member", "../Korean.txt", "has an absolute path"),
    ("no-label-column", lambda folder: write_file(folder / "surnames.csv", b"name,country\nPark,KR\n"),
     "bad_header", "머리글", "header must contain"),
]


@pytest.mark.parametrize(
    ("write", "code", "expected", "english"), [case[1:] for case in OWN_DATA_ERRORS], ids=[case[0] for case in OWN_DATA_ERRORS]
)
def test_own_data_error_in_korean(app, clean_log, tmp_path, write, code, expected, english):
    path = write(tmp_path)
    client = Client(app.url, verbose=False, headers=KOREAN)
    before = app.log_size()
    text = error_text(lambda: client.predict(handle_file(str(path)), api_name="/check_data"))
    check_language(text, korean=True)
    assert path.name in text, text
    assert expected in text, text
    assert english not in text, text
    assert f"rejected ({code})" in app.log(before)
