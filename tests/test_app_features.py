"""Predict answers, letter views, evaluation, batch files, own data and MCP, through the real server."""

from __future__ import annotations

import asyncio
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from gradio_client import Client, handle_file

from tests.conftest import mcp_available

TINY_RUN = ("gru", 16, 1, False, 2, 32, 0.01, 0)  # cell, hidden, layers, bidirectional, epochs, batch, lr, seed
KOREAN = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.8"}


@pytest.fixture
def client(app_url):
    return Client(app_url, verbose=False)


def rows(plot: dict) -> list[dict]:
    return [dict(zip(plot["columns"], row)) for row in plot["data"]]


def table_rows(table: dict) -> list[dict]:
    return [dict(zip(table["headers"], row)) for row in table["data"]]


# ---------------------------------------------------------------------------------------------
# Predict tab
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "script", "expected"),
    [("박", "Hangul", {"Korean"}), ("山田", "Han", {"Chinese", "Japanese"}), ("Достоевский", "Cyrillic", {"Russian"})],
)
def test_predict_script_rule(client, text, script, expected):
    bars, lines, _, answer, letters, shading = client.predict(text, "default", api_name="/predict")
    assert {row["language"] for row in rows(bars)} == expected
    assert f"{script} script" in answer
    assert "Transliteration" in answer
    assert letters["value"]["data"], "the letter chart is empty"
    assert len(shading) == len(rows(letters["value"])) // len(expected)


@pytest.mark.parametrize("text", ["박", "山田", "Παπαδόπουλος"])
def test_script_answer_views_agree_with_bars(client, text):
    bars, _, _, answer, letters, _ = client.predict(text, "default", api_name="/predict")
    points = rows(letters["value"])
    last_position = max(point["position"] for point in points)
    final = {point["label"]: point["probability"] for point in points if point["position"] == last_position}
    for bar in rows(bars):
        # Both views renormalise the network's belief over the labels the script allows.
        assert final[bar["language"]] == pytest.approx(bar["probability"], abs=2e-3), (text, final, bar)


def test_han_answer_is_uncertain(client):
    answer = client.predict("山田", "default", api_name="/predict")[3]
    assert "Uncertain" in answer
    assert "Mandarin" in answer


@pytest.mark.parametrize(("text", "top"), [("박", "Korean"), ("山田", "Chinese")])
def test_script_answer_explains_its_top_label(client, text, top):
    answer = client.predict(text, "default", api_name="/predict")[3]
    # The line is left out when no masked letter lowers the top label's probability.
    strongest = [line for line in answer.splitlines() if line.startswith("Masking letter")]
    assert len(strongest) <= 1, answer
    for line in strongest:
        assert f"probability of {top} " in line
    assert "the text the network read" in answer


def test_predict_uncertain_unknown_characters(client):
    _, _, _, answer, _, _ = client.predict("Xǯǯǯ", "default", api_name="/predict")
    assert "Uncertain" in answer
    assert "ǯ" in answer


def test_letter_chart_keeps_reading_order(client):
    _, _, _, answer, letters, shading = client.predict("Schmidhuber", "default", api_name="/predict")
    expected = [f"{position}:{char}" for position, char in enumerate("Schmidhuber", start=1)]
    assert letters["sort"] == expected
    points = rows(letters["value"])
    assert len(points) == 3 * len("Schmidhuber")
    assert all(0.0 <= point["probability"] <= 1.0 for point in points)
    assert "".join(token["token"] for token in shading) == "Schmidhuber"
    assert max(abs(token["class_or_confidence"]) for token in shading) == pytest.approx(1.0)
    assert "Masking letter" in answer


def test_predict_answer_in_korean(app_url):
    korean = Client(app_url, verbose=False, headers=KOREAN)
    _, _, _, answer, _, _ = korean.predict("박", "default", api_name="/predict")
    assert "문자 규칙" in answer


def test_classify_surname_endpoint(client):
    result = client.predict("박", api_name="/classify_surname")
    assert result["decided_by"] == "script"
    assert result["top"][0]["language"] == "Korean"
    assert result["transliteration"] == "Bag"


# ---------------------------------------------------------------------------------------------
# Batch tab
# ---------------------------------------------------------------------------------------------


def test_batch_reports_bad_rows(client, tmp_path):
    source = tmp_path / "names.csv"
    source.write_text("id,name\n1,Schmidhuber\n2, \n3,12345\n4,박\n5," + "x" * 80 + "\n6,Rossi\n", encoding="utf-8")
    table, download, summary = client.predict(handle_file(str(source)), "default", api_name="/predict_batch")
    answered = table_rows(table)
    assert [row["row"] for row in answered] == [1, 2, 3, 4, 5, 6]
    assert answered[0]["1st"] and answered[0]["error"] == ""
    assert "empty" in answered[1]["error"]
    assert "no letters" in answered[2]["error"]
    assert answered[3]["1st"] == "Korean"
    assert "too long" in answered[4]["error"]
    assert answered[5]["error"] == ""
    assert "3 names answered, 3 rows with an error" in summary
    written = pd.read_csv(download["value"] if isinstance(download, dict) else download)
    assert len(written) == 6


def test_batch_txt_in_korean(app_url, tmp_path):
    source = tmp_path / "names.txt"
    source.write_text("Hinton\n\nNguyen\n", encoding="utf-8")
    korean = Client(app_url, verbose=False, headers=KOREAN)
    table, _, summary = korean.predict(handle_file(str(source)), "default", api_name="/predict_batch")
    assert len(table["data"]) == 2
    assert "1위" in table["headers"]
    assert "이름 2개에 답했고" in summary


def test_batch_rejects_large_and_wrong_files(client, tmp_path):
    large = tmp_path / "large.txt"
    large.write_text("Smith\n" * 400_000, encoding="utf-8")  # about 2.3 MiB
    with pytest.raises(Exception) as caught:
        client.predict(handle_file(str(large)), "default", api_name="/predict_batch")
    assert "maximum is 2 MiB" in str(caught.value)
    wrong = tmp_path / "names.json"
    wrong.write_text('["Smith"]', encoding="utf-8")
    with pytest.raises(Exception) as caught:
        client.predict(handle_file(str(wrong)), "default", api_name="/predict_batch")
    assert ".csv" in str(caught.value)


def test_error_text_keeps_quotes_escapes_tags(client, tmp_path):
    wrong = tmp_path / "O'Brien.json"
    wrong.write_text('["Smith"]', encoding="utf-8")
    with pytest.raises(Exception) as caught:
        client.predict(handle_file(str(wrong)), "default", api_name="/predict_batch")
    text = str(caught.value)
    assert "O'Brien.json" in text
    assert "&#x27;" not in text

    with pytest.raises(Exception) as caught:
        client.predict("Park", "<script>alert(1)</script>", api_name="/predict")
    text = str(caught.value)
    assert "'&lt;script&gt;alert(1)&lt;/script&gt;'" in text
    assert "<script>" not in text


# ---------------------------------------------------------------------------------------------
# Evaluation tab
# ---------------------------------------------------------------------------------------------


def test_evaluate_shipped_model(client):
    metrics, picture, per_label, pairs, misclassified = client.predict("default", api_name="/evaluate")
    assert "Test split" in metrics
    assert "macro-F1" in metrics
    assert "several languages" in metrics
    # The test server runs on a subset of the names data, and the evaluation warns about it.
    assert "not the data the model was trained with" in metrics
    assert Path(picture).stat().st_size > 10_000
    assert len(per_label["data"]) == 18
    assert pairs["headers"] == ["true language", "predicted", "count"]
    assert "top 3" in misclassified["headers"]


def test_evaluate_without_trained_model(client):
    with pytest.raises(Exception) as caught:
        client.predict("trained", api_name="/evaluate")
    assert "no model of its own" in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Own data in the Train tab
# ---------------------------------------------------------------------------------------------


def write_own_zip(data_subset: Path, path: Path) -> Path:
    """Zip three label files in the tutorial's data/names/ layout, with one duplicate and one bad line."""
    with zipfile.ZipFile(path, "w") as archive:
        for label in ("Korean", "Japanese", "Russian"):
            text = (data_subset / f"{label}.txt").read_text(encoding="utf-8")
            if label == "Korean":
                text += "Park\nPark\nKim9\n"
            archive.writestr(f"data/names/{label}.txt", text)
        archive.writestr("data/eng-fra.txt", "not names\n")
    return path


def test_own_data_report_and_training(client, data_subset, tmp_path):
    archive = write_own_zip(data_subset, tmp_path / "mine.zip")
    report = client.predict(handle_file(str(archive)), api_name="/check_data")
    assert "Validation report: mine.zip" in report
    assert "| Korean |" in report
    assert "Duplicates dropped:" in report
    assert "Invalid lines dropped: 1" in report
    assert "mine.zip/data/names/Korean.txt" in report

    updates = list(client.submit(*TINY_RUN, api_name="/train"))
    summary = updates[-1][3]
    assert "Test split" in summary
    metrics, _, per_label, _, _ = client.predict("trained", api_name="/evaluate")
    assert "Test split" in metrics
    assert sorted(row[0] for row in per_label["data"]) == ["Japanese", "Korean", "Russian"]
    bars, *_ = client.predict("Tanaka", "trained", api_name="/predict")
    assert {row["language"] for row in rows(bars)} <= {"Japanese", "Korean", "Russian"}


def test_own_data_rejects_bad_file(client, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(Exception) as caught:
        client.predict(handle_file(str(broken)), api_name="/check_data")
    assert "not a valid zip" in str(caught.value)


# ---------------------------------------------------------------------------------------------
# MCP
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Checkpoint upload in the Train tab
# ---------------------------------------------------------------------------------------------


def test_loaded_checkpoint_becomes_my_model(app_url):
    from tests.support import small_checkpoint

    client = Client(app_url, verbose=False)
    report, choice, info, _ = client.predict(handle_file(str(small_checkpoint())), api_name="/load_checkpoint")
    assert "Loaded" in report
    assert "hidden size 32" in report
    assert choice == "trained"
    assert "My model from this session: gru, hidden size 32" in info

    bars, _, model_info, *_ = client.predict("Nguyen", "trained", api_name="/predict")
    assert len(bars["data"]) == 3
    assert "hidden size 32" in model_info
    metrics, _, per_label, _, _ = client.predict("trained", api_name="/evaluate")
    assert "Test split" in metrics
    assert len(per_label["data"]) == 18

    # Another visitor still has no model of their own, and the shipped model is unchanged.
    other = Client(app_url, verbose=False)
    with pytest.raises(Exception, match="no model of its own"):
        other.predict("Nguyen", "trained", api_name="/predict")
    _, _, shipped_info, *_ = other.predict("Nguyen", "default", api_name="/predict")
    assert "hidden size 128" in shipped_info


def test_loaded_checkpoint_with_other_labels_not_evaluated(app_url, tmp_path):
    from charrnn.checkpoint import load_checkpoint, save_checkpoint
    from tests.support import small_checkpoint

    payload = load_checkpoint(small_checkpoint())
    payload["labels"] = [f"Label{index:02d}" for index in range(len(payload["labels"]))]
    path = save_checkpoint(payload, tmp_path / "other-labels.pt")
    client = Client(app_url, verbose=False)
    client.predict(handle_file(str(path)), api_name="/load_checkpoint")
    metrics, picture, per_label, _, _ = client.predict("trained", api_name="/evaluate")
    assert "cannot be evaluated here" in metrics
    assert picture["value"] is None


def test_loaded_checkpoint_report_in_korean(app_url):
    from tests.support import small_checkpoint

    korean = Client(app_url, verbose=False, headers=KOREAN)
    report, _, info, _ = korean.predict(handle_file(str(small_checkpoint())), api_name="/load_checkpoint")
    assert "불러왔습니다" in report
    assert "내 모델" in info


@pytest.mark.skipif(not mcp_available(), reason="the gradio[mcp] extra is not installed")
def test_mcp_lists_and_calls_tool(app_url):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async def list_and_call():
        async with streamablehttp_client(app_url.rstrip("/") + "/gradio_api/mcp/") as (reader, writer, _):
            async with ClientSession(reader, writer) as session:
                await session.initialize()
                tools = await session.list_tools()
                result = await session.call_tool("classify_surname", {"name": "Достоевский"})
                return [tool.name for tool in tools.tools], result.content[0].text

    names, text = asyncio.run(list_and_call())
    assert "classify_surname" in names
    assert "predict" in names
    assert "Russian" in text
