"""The app through its real HTTP API, driven by gradio_client as a script user would."""

from __future__ import annotations

import time

import pytest
from gradio_client import Client

NAMES = ["Sanghoon", "Satoshi", "Nguyen", "Dostoevsky", "Schmidhuber", "O'Brien", "Hinton"]
TINY_RUN = ("gru", 16, 1, False, 2, 32, 0.01, 0)  # cell, hidden, layers, bidirectional, epochs, batch, lr, seed
LONG_RUN = ("lstm", 128, 2, True, 10, 16, 0.003, 0)  # runs far longer than any test waits


@pytest.fixture
def client(app_url):
    return Client(app_url, verbose=False)


def bar_rows(plot: dict) -> list[dict]:
    """Turn a plot value from the API ({"columns", "data", ...}) into a list of row dicts."""
    return [dict(zip(plot["columns"], row)) for row in plot["data"]]


def train_to_end(client: Client, settings=TINY_RUN, timeout: float = 90.0) -> list[tuple]:
    job = client.submit(*settings, api_name="/train")
    updates = []
    deadline = time.monotonic() + timeout
    for update in job:
        updates.append(update)
        assert time.monotonic() < deadline, "training took longer than the test allows"
    return updates


def test_predict_top3_descending(client):
    for name in NAMES:
        bars, lines, model_info, *_ = client.predict(name, "default", api_name="/predict")
        rows = bar_rows(bars)
        probabilities = [row["probability"] for row in rows]
        assert len(rows) == 3, name
        assert probabilities == sorted(probabilities, reverse=True), name
        assert all(0.0 <= value <= 1.0 for value in probabilities), name
        assert len({row["language"] for row in rows}) == 3, name
        assert len(lines.splitlines()) == 3, name
        assert lines.splitlines()[0].endswith(rows[0]["language"]), name
        assert lines.startswith("(-"), name
        assert "Shipped model" in model_info


@pytest.mark.parametrize("text", ["", "   ", "x" * 200, "12345", "---"])
def test_predict_invalid_name_errors(client, text):
    with pytest.raises(Exception) as caught:
        client.predict(text, "default", api_name="/predict")
    assert "Traceback" not in str(caught.value)
    assert "name" in str(caught.value).lower() or "character" in str(caught.value).lower()


def test_train_streams_loss_and_metrics(client):
    updates = train_to_end(client)
    assert len(updates) >= 3
    loss_plot, status, validation, summary = updates[-1][:4]
    points = bar_rows(loss_plot)
    series = {row["series"] for row in points}
    assert series == {"training loss", "validation loss"}
    assert sum(row["series"] == "training loss" for row in points) >= 20
    assert sum(row["series"] == "validation loss" for row in points) >= 4
    assert all(row["loss"] > 0 for row in points)
    epochs = [row["epoch"] for row in points if row["series"] == "training loss"]
    assert epochs == sorted(epochs)
    assert "Finished" in status
    assert "macro-F1" in validation
    assert "Test split" in summary
    assert "macro-F1" in summary


def test_train_plot_grows_while_running(client):
    job = client.submit(*LONG_RUN, api_name="/train")
    sizes = []
    try:
        for update in job:
            plot = update[0]  # None until the first loss point
            sizes.append(0 if plot is None else len(plot["data"]))
            if len(sizes) >= 6:
                break
    finally:
        job.cancel()
    assert len(sizes) == 6
    assert sizes[-1] > sizes[1]


def test_cancel_stops_server_training(client, server_log):
    started = time.monotonic()
    job = client.submit(*LONG_RUN, api_name="/train")
    for count, _ in enumerate(job, 1):
        if count >= 3:
            break
    job.cancel()
    assert server_log.wait_for("training cancelled", timeout=5.0, since=started)
    settled = time.monotonic()
    time.sleep(2.0)
    late = server_log.messages("charrnn.train", since=settled + 0.5)
    assert late == [], f"training kept logging after cancel: {late}"


def test_sessions_keep_own_models(app_url):
    trainer_client = Client(app_url, verbose=False)
    other_client = Client(app_url, verbose=False)
    before = other_client.predict("Schmidhuber", "default", api_name="/predict")

    train_to_end(trainer_client)

    _, own_lines, own_info, *_ = trainer_client.predict("Schmidhuber", "trained", api_name="/predict")
    assert "My model" in own_info
    assert len(own_lines.splitlines()) == 3
    with pytest.raises(Exception) as caught:
        other_client.predict("Schmidhuber", "trained", api_name="/predict")
    assert "no model of its own" in str(caught.value)
    after = other_client.predict("Schmidhuber", "default", api_name="/predict")
    assert after[1] == before[1]
    assert "Shipped model" in after[2]


def test_predict_answers_during_training(app_url):
    trainer_client = Client(app_url, verbose=False)
    visitor = Client(app_url, verbose=False)
    job = trainer_client.submit(*LONG_RUN, api_name="/train")
    try:
        for count, _ in enumerate(job, 1):
            if count >= 2:
                break
        timings = []
        for name in NAMES:
            started = time.monotonic()
            bars, *_ = visitor.predict(name, "default", api_name="/predict")
            timings.append(time.monotonic() - started)
            assert len(bar_rows(bars)) == 3
        assert not job.done(), "the training finished before predictions were tried"
    finally:
        job.cancel()
    # A prediction alone takes well under 0.1 s; allow a wide margin for a shared 2-core machine.
    assert max(timings) < 3.0, timings


def test_stop_keeps_best_model(client):
    job = client.submit(*LONG_RUN, api_name="/train")
    for count, _ in enumerate(job, 1):
        if count >= 3:
            break
    pressed = time.monotonic()
    client.predict(api_name="/stop")
    while not job.done():
        assert time.monotonic() - pressed < 15.0, "training did not stop"
        time.sleep(0.05)
    stopped_after = time.monotonic() - pressed
    status, summary = job.outputs()[-1][1], job.outputs()[-1][3]
    assert "Stopped" in status
    assert "Test split" in summary
    # Stopping, fitting the temperature and scoring the small test split take about a second.
    assert stopped_after < 5.0, stopped_after
    _, _, model_info, *_ = client.predict("Hinton", "trained", api_name="/predict")
    assert "My model" in model_info


def test_messages_follow_accept_language(app_url):
    korean = Client(app_url, verbose=False, headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"})
    _, _, model_info, *_ = korean.predict("Hinton", "default", api_name="/predict")
    assert "기본 제공 모델" in model_info
    with pytest.raises(Exception) as caught:
        korean.predict("", "default", api_name="/predict")
    assert "이름이 비어 있습니다" in str(caught.value)
