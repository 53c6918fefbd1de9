"""The app in headless Chromium with a Korean locale, as a Korean-speaking visitor sees it.

Uses the system Chromium at /usr/bin/chromium (Debian package `chromium`, with `fonts-noto-cjk` for
Hangul glyphs). Screenshots land in artifacts/screenshots/, which git ignores.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Nothing but loopback resolves, so the page cannot reach the internet.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        message = "no system Chromium at /usr/bin/chromium: apt-get install -y chromium fonts-noto-cjk"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def korean_page(browser, app_url):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url, wait_until="domcontentloaded")
    page.get_by_role("tab", name="예측", exact=True).wait_for()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def loss_line_length(page) -> int:
    """Return the total length of the loss plot's SVG path data (it grows as points arrive)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#loss-plot g.mark-line path'))
                 .reduce((total, path) => total + (path.getAttribute('d') || '').length, 0)"""
    )


def svg_texts(page, selector: str) -> list[str]:
    """Return the text of every SVG node that `selector` matches, in document order."""
    return page.evaluate(
        "selector => Array.from(document.querySelectorAll(selector)).map(node => node.textContent)", selector
    )


def line_colours(page, elem_id: str) -> set[str]:
    """Return the stroke colours of the drawn lines in one plot; a line outside the colour domain has none."""
    strokes = page.evaluate(
        """elemId => Array.from(document.querySelectorAll(`#${elemId} g.mark-line path`))
                 .filter(path => (path.getAttribute('d') || '').length > 0)
                 .map(path => path.getAttribute('stroke') || '')""",
        elem_id,
    )
    return {stroke for stroke in strokes if stroke and stroke != "none"}


def check_loss_series(page) -> None:
    legend = svg_texts(page, "#loss-plot g.role-legend-label text")
    assert sorted(legend) == ["검증 손실", "학습 손실"], legend
    assert page.locator("#loss-plot g.mark-line path").count() >= 2
    assert len(line_colours(page, "loss-plot")) == 2


def test_korean_tab_names(korean_page):
    assert korean_page.get_by_role("tab", name="예측", exact=True).is_visible()
    assert korean_page.get_by_role("tab", name="학습", exact=True).is_visible()
    korean_page.locator("#predict-button").wait_for()
    screenshot(korean_page, "start-ko.png")
    assert korean_page.locator("#predict-button").inner_text().strip() == "예측하기"
    visible_text = korean_page.locator("body").inner_text()
    assert "__i18n__" not in visible_text
    assert "object Object" not in visible_text


def test_typed_name_draws_three_bars(korean_page):
    page = korean_page
    box = page.locator("#name-box input, #name-box textarea").first
    box.fill("Schmidhuber")
    box.press("Enter")
    page.wait_for_function("document.querySelectorAll('#top3-bars g.mark-rect path').length === 3")
    lines = page.locator("#tutorial-lines textarea").input_value()
    assert len(lines.splitlines()) == 3
    assert lines.startswith("(-")
    page.wait_for_timeout(500)  # let the bars finish their transition before the screenshot
    screenshot(page, "predict-tab-ko.png")


def test_example_click_predicts(korean_page):
    page = korean_page
    page.locator("#tutorial-lines textarea").wait_for()
    page.get_by_text("Satoshi", exact=True).first.click()
    page.wait_for_function("document.querySelectorAll('#top3-bars g.mark-rect path').length === 3")
    assert page.locator("#name-box input, #name-box textarea").first.input_value() == "Satoshi"


def test_bad_name_toast_in_korean(korean_page):
    page = korean_page
    page.get_by_role("tab", name="예측", exact=True).click()
    box = page.locator("#name-box input, #name-box textarea").first
    box.fill("Hinton")
    box.press("Enter")
    page.wait_for_function("document.querySelectorAll('#top3-bars g.mark-rect path').length === 3")
    box.fill("12345")
    box.press("Enter")
    toast = page.locator(".toast-body").first
    toast.wait_for()
    text = toast.inner_text()
    screenshot(page, "error-toast-ko.png")
    # Gradio 6.31 titles every error toast "Error" from the message type and ignores `gr.Error(title=...)`.
    assert "글자가 없습니다" in text
    # The previous name's answer is gone, so nothing on screen belongs to another name.
    assert page.locator("#top3-bars g.mark-rect path").count() == 0
    assert page.locator("#answer").inner_text().strip() in ("", "오류")  # at most Gradio's error badge
    page.locator(".toast-close").first.click()


def test_train_grows_loss_line(korean_page):
    page = korean_page
    page.get_by_role("tab", name="학습", exact=True).click()
    page.bring_to_front()
    train_button = page.locator("#train-button")
    train_button.wait_for()
    page.wait_for_timeout(300)
    epochs = page.locator("#epochs input[type=number]")
    epochs.fill("10")
    epochs.press("Enter")
    batch_size = page.locator("#batch-size input[type=number]")
    batch_size.fill("16")
    batch_size.press("Enter")
    # A large network makes the steps before the first validation pass take longer than one plot
    # update, so the first frames the browser draws hold training loss only.
    hidden_size = page.locator("#hidden-size input[type=number]")
    hidden_size.fill("256")
    hidden_size.press("Enter")
    layers = page.locator("#layers input[type=number]")
    layers.fill("3")
    layers.press("Enter")
    train_button.click()

    page.wait_for_function("document.querySelectorAll('#loss-plot g.mark-line path').length >= 1")
    first_length = loss_line_length(page)
    deadline = time.monotonic() + 20
    while loss_line_length(page) <= first_length and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert loss_line_length(page) > first_length
    assert page.locator("#train-status textarea").input_value().startswith(("학습 중", "데이터"))
    page.wait_for_function("document.querySelectorAll('#loss-plot g.mark-line path').length === 2")
    page.wait_for_timeout(300)
    assert page.locator("#train-status textarea").input_value().startswith("학습 중")
    check_loss_series(page)
    screenshot(page, "train-tab-running-ko.png")

    page.locator("#stop-button").click()
    page.locator("#train-summary").get_by_text("테스트 세트").wait_for(timeout=60_000)
    assert "중지했습니다" in page.locator("#train-status textarea").input_value()
    assert page.locator("#use-model").is_visible()
    page.wait_for_timeout(500)
    check_loss_series(page)
    screenshot(page, "train-tab-ko.png")

    page.locator("#use-model").click()
    page.get_by_text("이 세션의 내 모델", exact=False).first.wait_for()


# ---------------------------------------------------------------------------------------------
# letter views, evaluation, batch and own data
# ---------------------------------------------------------------------------------------------


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    page.bring_to_front()
    page.wait_for_timeout(300)


def test_letter_chart_in_reading_order(korean_page):
    page = korean_page
    box = page.locator("#name-box input, #name-box textarea").first
    box.fill("Schmidhuber")
    box.press("Enter")
    page.wait_for_function("document.querySelectorAll('#letter-chart g.mark-line path').length === 3")
    page.locator("#letter-shading").get_by_text("S", exact=True).first.wait_for()
    axis_labels = page.evaluate(
        """() => Array.from(document.querySelectorAll('#letter-chart g.role-axis-label text'))
                 .map(node => node.textContent)"""
    )
    letters = [label for label in axis_labels if ":" in label]
    assert letters[:3] == ["1:S", "2:c", "3:h"], axis_labels
    assert letters.index("10:e") > letters.index("9:b")
    assert "주의해서 쓰세요" in page.locator("#responsible-use").inner_text()
    page.wait_for_timeout(500)
    screenshot(page, "predict-letters-ko.png")


def test_letter_chart_follows_second_name(korean_page):
    page = korean_page
    box = page.locator("#name-box input, #name-box textarea").first
    box.fill("Satoshi")
    box.press("Enter")
    page.locator("#letter-shading").get_by_text("S", exact=True).first.wait_for()
    page.wait_for_function("document.querySelectorAll('#letter-chart g.mark-line path').length >= 1")

    box.fill("Nguyen")
    box.press("Enter")
    page.locator("#letter-shading").get_by_text("N", exact=True).first.wait_for()
    page.wait_for_timeout(1000)  # the stale chart used to stay, so wait past the redraw before reading it
    axis_labels = svg_texts(page, "#letter-chart g.role-axis-label text")
    letters = [label for label in axis_labels if ":" in label]
    assert letters == ["1:N", "2:g", "3:u", "4:y", "5:e", "6:n"], axis_labels
    legend = svg_texts(page, "#letter-chart g.role-legend-label text")
    assert "베트남어" in legend, legend
    assert "일본어" not in legend, legend
    screenshot(page, "predict-letters-second-name-ko.png")


def test_script_answer_in_korean(korean_page):
    page = korean_page
    box = page.locator("#name-box input, #name-box textarea").first
    box.fill("山田")
    box.press("Enter")
    page.locator("#answer").get_by_text("문자 규칙", exact=False).wait_for()
    answer = page.locator("#answer").inner_text()
    assert "한자로 썼으므로" in answer, answer
    assert "중국어 또는 일본어" in answer, answer
    page.wait_for_timeout(500)
    screenshot(page, "predict-script-ko.png")


def test_evaluation_picture_renders(korean_page):
    page = korean_page
    open_tab(page, "평가")
    page.locator("#evaluate-button").click()
    page.wait_for_function(
        "(() => { const image = document.querySelector('#confusion-image img');"
        " return image !== null && image.complete && image.naturalWidth > 800; })()",
        timeout=60_000,
    )
    assert "테스트 세트" in page.locator("#eval-metrics").inner_text()
    page.wait_for_timeout(500)
    screenshot(page, "evaluate-tab-ko.png")


def test_batch_table_renders(korean_page, tmp_path):
    page = korean_page
    source = tmp_path / "names.txt"
    source.write_text("Hinton\n12345\n박\nRossi\n", encoding="utf-8")
    open_tab(page, "일괄 예측")
    page.locator("#batch-file").wait_for()
    assert not page.locator("#batch-table").is_visible(), "the empty table shows placeholder headers"
    page.locator("#batch-file input[type=file]").set_input_files(str(source))
    page.wait_for_timeout(500)
    page.locator("#batch-button").click()
    page.locator("#batch-summary").get_by_text("이름 3개에 답했고", exact=False).wait_for()
    page.locator("#batch-download").wait_for(state="visible")
    page.locator("#batch-table").wait_for(state="visible")
    headers = page.locator("#batch-table th").all_inner_texts()
    assert any("1위" in header for header in headers), headers
    page.wait_for_timeout(300)
    screenshot(page, "batch-tab-ko.png")


def test_own_data_report_renders(korean_page, data_subset, tmp_path):
    from tests.test_app_features import write_own_zip

    page = korean_page
    archive = write_own_zip(data_subset, tmp_path / "mine.zip")
    open_tab(page, "학습")
    page.locator("#own-data").get_by_text("내 데이터로 학습하기").click()
    page.locator("#own-data-file input[type=file]").set_input_files(str(archive))
    page.locator("#own-data-report").get_by_text("검증 보고서", exact=False).wait_for()
    page.wait_for_timeout(300)
    screenshot(page, "train-own-data-ko.png")


def test_checkpoint_upload_selects_my_model(korean_page, tmp_path):
    from tests.support import small_checkpoint

    page = korean_page
    open_tab(page, "학습")
    page.locator("#own-model").get_by_text("체크포인트 파일 불러오기").click()
    page.locator("#own-model-file input[type=file]").set_input_files(str(small_checkpoint()))
    page.locator("#own-model-report").get_by_text("불러왔습니다", exact=False).wait_for()
    screenshot(page, "train-own-model-ko.png")
    open_tab(page, "예측")
    page.locator("#model-info").get_by_text("이 세션의 내 모델", exact=False).wait_for()
    checked = page.locator("#model-choice input[type=radio]:checked")
    assert checked.get_attribute("value") == "trained"

    # A rejected file empties the report instead of leaving the earlier file's report on screen.
    notes = tmp_path / "notes.pt"
    notes.write_text("Park\nKim\n", encoding="utf-8")
    open_tab(page, "학습")
    # The File component shows no file input while it holds a file, so clear it first.
    page.locator("#own-model-file button[aria-label='지우기']").click()
    page.locator("#own-model-file input[type=file]").set_input_files(str(notes))
    page.locator(".toast-body").get_by_text("체크포인트 파일이 아닙니다", exact=False).wait_for()
    assert "불러왔습니다" not in page.locator("#own-model-report").inner_text()
