"""Every text the app shows, in English and Korean.

Two tables: `I18N` contains what the browser translates (labels, buttons, Markdown, plot titles),
`MESSAGES` contains what the server writes at run time (status lines, errors, summaries). Gradio's
`gr.I18n` does not translate handler output, so the server picks the table from the request's
Accept-Language header.
"""

from __future__ import annotations

import gradio as gr

LANGUAGES = ("en", "ko")

UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "heading": "# charrnn: which language is this surname from?\n"
        "A character-level recurrent network reads a surname letter by letter and guesses "
        "which of 18 languages it comes from, as in the PyTorch tutorial "
        "*Classifying Names with a Character-Level RNN*.",
        "tab_predict": "Predict",
        "tab_train": "Train",
        "name_label": "Surname",
        "name_placeholder": "Type a surname in Latin letters, e.g. Sanghoon, then press Enter",
        "predict_button": "Predict",
        "model_choice_label": "Model",
        "model_default": "Shipped model",
        "model_trained": "My model (trained in this session)",
        "examples_label": "Examples: click one",
        "bars_title": "Top 3 languages",
        "bars_x": "Language",
        "bars_y": "Probability",
        "lines_label": "Log-probabilities, as the tutorial prints them",
        "model_info_label": "Model that answered",
        "train_intro": "Train your own model on the names data and watch the loss fall. "
        "Your model belongs to this browser session only: it never replaces the shipped model "
        "and disappears when you close the tab, unless you download it.",
        "cell_label": "Cell",
        "cell_info": "classic is the tutorial's hand-written RNN; rnn, gru and lstm are PyTorch's layers",
        "hidden_label": "Hidden size",
        "hidden_info": "hidden units per direction",
        "layers_label": "Layers",
        "layers_info": "stacked recurrent layers (classic always uses 1)",
        "bidirectional_label": "Bidirectional",
        "bidirectional_info": "also read the name from right to left (not for classic)",
        "epochs_label": "Epochs",
        "batch_label": "Batch size",
        "lr_label": "Learning rate",
        "seed_label": "Seed",
        "seed_info": "seed for the initial weights and batch order",
        "train_button": "Train",
        "stop_button": "Stop",
        "status_label": "Status",
        "loss_title": "Loss while training",
        "loss_x": "Epoch",
        "loss_y": "Cross-entropy loss",
        "loss_series": "Series",
        "validation_label": "Validation",
        "summary_label": "Result",
        "download_button": "Download checkpoint",
        "use_button": "Use in the Predict tab",
        "save_button": "Save into checkpoints/",
        "saved_label": "Saved",
        "data_missing": "The names data was not found, so training is not possible yet. "
        "The button below downloads the PyTorch tutorial's data (about 3 MB, needs internet) "
        "and checks every file against its known checksum.",
        "data_download_button": "Download the names data",
    },
    "ko": {
        "heading": "# charrnn: 이 성은 어느 언어에서 왔을까요?\n"
        "문자 단위 순환 신경망(RNN)이 성을 한 글자씩 읽고 18개 언어 가운데 어디에서 왔는지 "
        "추측합니다. PyTorch 튜토리얼 *Classifying Names with a Character-Level RNN*과 같은 과제입니다.",
        "tab_predict": "예측",
        "tab_train": "학습",
        "name_label": "성 (로마자)",
        "name_placeholder": "로마자로 성을 입력하고 Enter를 누르세요. 예: Sanghoon",
        "predict_button": "예측하기",
        "model_choice_label": "모델",
        "model_default": "기본 제공 모델",
        "model_trained": "내 모델 (이 세션에서 학습)",
        "examples_label": "예시: 눌러서 넣기",
        "bars_title": "상위 3개 언어",
        "bars_x": "언어",
        "bars_y": "확률",
        "lines_label": "로그 확률 (튜토리얼 출력 형식)",
        "model_info_label": "답한 모델",
        "train_intro": "이름 데이터로 직접 모델을 학습하고 손실이 줄어드는 모습을 지켜보세요. "
        "학습한 모델은 이 브라우저 세션에만 속합니다. 기본 제공 모델을 바꾸지 않으며, "
        "내려받지 않으면 탭을 닫을 때 사라집니다.",
        "cell_label": "셀",
        "cell_info": "classic은 튜토리얼에서 직접 만든 RNN이고, rnn·gru·lstm은 PyTorch 레이어입니다",
        "hidden_label": "은닉 크기",
        "hidden_info": "방향마다의 은닉 유닛 수",
        "layers_label": "층 수",
        "layers_info": "쌓는 순환 층의 수 (classic은 항상 1)",
        "bidirectional_label": "양방향",
        "bidirectional_info": "이름을 오른쪽에서 왼쪽으로도 읽습니다 (classic 제외)",
        "epochs_label": "에폭",
        "batch_label": "배치 크기",
        "lr_label": "학습률",
        "seed_label": "시드",
        "seed_info": "초기 가중치와 배치 순서를 정하는 시드",
        "train_button": "학습 시작",
        "stop_button": "중지",
        "status_label": "상태",
        "loss_title": "학습 중 손실",
        "loss_x": "에폭",
        "loss_y": "교차 엔트로피 손실",
        "loss_series": "계열",
        "validation_label": "검증",
        "summary_label": "결과",
        "download_button": "체크포인트 내려받기",
        "use_button": "예측 탭에서 사용",
        "save_button": "checkpoints/에 저장",
        "saved_label": "저장됨",
        "data_missing": "이름 데이터를 찾지 못해 아직 학습할 수 없습니다. "
        "아래 버튼은 PyTorch 튜토리얼 데이터(약 3 MB, 인터넷 연결 필요)를 내려받고 "
        "모든 파일을 알려진 체크섬과 대조합니다.",
        "data_download_button": "이름 데이터 내려받기",
    },
}

I18N = gr.I18n(**UI_TEXT)

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "train_series": "training loss",
        "validation_series": "validation loss",
        "model_default_info": "Shipped model: {cell}, hidden size {hidden}, test accuracy {accuracy}",
        "model_trained_info": "Your model from this session: {cell}, hidden size {hidden}, test accuracy {accuracy}",
        "no_trained_model": "This session has no trained model yet: train one in the Train tab, "
        "or choose the shipped model.",
        "default_model_missing": "The shipped model could not be loaded ({reason}). "
        "Train a model in the Train tab and choose it.",
        "name_empty": "The name is empty: type a surname such as 'Park'.",
        "name_too_long": "The name is too long: at most {maximum} characters.",
        "name_no_letters": "The name contains no letters: type a surname such as 'Park'.",
        "name_unknown_characters": "The model knows none of these characters. It was trained on "
        "surnames in Latin letters: type the name in Latin letters, e.g. 'Park' for 박.",
        "name_invalid": "The name could not be read: {reason}",
        "data_missing": "The names data was not found at {path}. Download it on the Train tab.",
        "data_invalid": "The names data at {path} cannot be used: {reason}",
        "invalid_setting": "Invalid training setting: {reason}",
        "preparing": "Loading the data and building the model...",
        "progress": "epoch {epoch:.2f} of {epochs}, about {remaining} s left",
        "running": "Training: epoch {epoch:.2f} of {epochs}, {elapsed:.0f} s elapsed, about {remaining} s left.",
        "validation": "**Validation** (epoch {epoch:.2f}): accuracy {accuracy:.1%}, macro-F1 {macro_f1:.3f}; "
        "best macro-F1 so far {best:.3f}",
        "evaluating": "Evaluating the best model on the test split...",
        "finished": "Finished after {elapsed:.1f} s.",
        "stopped": "Stopped after {elapsed:.1f} s: kept the best model so far.",
        "summary": "### Test split ({n_test} pairs)\n"
        "| measure | value |\n|---|---|\n"
        "| accuracy | {accuracy:.1%} |\n"
        "| accuracy, any listed language | {any_label_accuracy:.1%} |\n"
        "| macro-F1 | {macro_f1:.3f} |\n"
        "| top-3 accuracy | {top3_accuracy:.1%} |\n"
        "| calibration error (ECE) | {ece:.3f} |\n\n"
        "Best validation macro-F1 at epoch {best_epoch:.2f}. "
        "Your model is ready: press *Use in the Predict tab* or download it.",
        "time_limit": "Reached the time limit after {elapsed:.1f} s: kept the best model so far.",
        "already_training": "A training run is already going in this session: stop it first.",
        "nothing_to_stop": "No training is running in this session.",
        "no_model_to_use": "Train a model first.",
        "save_disabled": "Saving into checkpoints/ is turned off: start the app locally with --allow-save.",
        "saved": "Saved {path}",
        "download_failed": "The download failed: {reason}",
        "downloaded": "Downloaded the names data into {path}.",
        "setting_range": "{setting} must be a number from {minimum} to {maximum}; received {value}.",
        "setting_whole_range": "{setting} must be a whole number from {minimum} to {maximum}; received {value}.",
        "setting_choice": "{setting} must be one of {choices}; received {value}.",
        "data_too_large": "The data has {count} (name, label) pairs; training in this demo takes at most {maximum}.",
    },
    "ko": {
        "train_series": "학습 손실",
        "validation_series": "검증 손실",
        "model_default_info": "기본 제공 모델: {cell}, 은닉 크기 {hidden}, 테스트 정확도 {accuracy}",
        "model_trained_info": "이 세션에서 학습한 내 모델: {cell}, 은닉 크기 {hidden}, 테스트 정확도 {accuracy}",
        "no_trained_model": "이 세션에는 아직 학습한 모델이 없습니다. 학습 탭에서 학습하거나 "
        "기본 제공 모델을 고르세요.",
        "default_model_missing": "기본 제공 모델을 불러오지 못했습니다 ({reason}). "
        "학습 탭에서 모델을 학습한 뒤 고르세요.",
        "name_empty": "이름이 비어 있습니다. 'Park' 같은 성을 입력하세요.",
        "name_too_long": "이름이 너무 깁니다. 최대 {maximum}자까지 입력할 수 있습니다.",
        "name_no_letters": "이름에 글자가 없습니다. 'Park' 같은 성을 입력하세요.",
        "name_unknown_characters": "모델이 아는 글자가 하나도 없습니다. 이 모델은 로마자 성으로 "
        "학습했으니 로마자로 입력하세요. 예: 박 → 'Park'.",
        "name_invalid": "이름을 읽지 못했습니다: {reason}",
        "data_missing": "{path}에서 이름 데이터를 찾지 못했습니다. 학습 탭에서 내려받으세요.",
        "data_invalid": "{path}의 이름 데이터를 쓸 수 없습니다: {reason}",
        "invalid_setting": "학습 설정이 올바르지 않습니다: {reason}",
        "preparing": "데이터를 읽고 모델을 만드는 중...",
        "progress": "에폭 {epoch:.2f}/{epochs}, 약 {remaining}초 남음",
        "running": "학습 중: 에폭 {epoch:.2f}/{epochs}, {elapsed:.0f}초 지남, 약 {remaining}초 남음.",
        "validation": "**검증** (에폭 {epoch:.2f}): 정확도 {accuracy:.1%}, 매크로 F1 {macro_f1:.3f}, "
        "지금까지 최고 매크로 F1 {best:.3f}",
        "evaluating": "가장 좋은 모델을 테스트 세트로 평가하는 중...",
        "finished": "{elapsed:.1f}초 만에 끝났습니다.",
        "stopped": "{elapsed:.1f}초 만에 중지했습니다. 지금까지 가장 좋은 모델을 남겼습니다.",
        "summary": "### 테스트 세트 ({n_test}쌍)\n"
        "| 지표 | 값 |\n|---|---|\n"
        "| 정확도 | {accuracy:.1%} |\n"
        "| 정확도 (등록된 언어 중 하나면 정답) | {any_label_accuracy:.1%} |\n"
        "| 매크로 F1 | {macro_f1:.3f} |\n"
        "| 상위 3개 정확도 | {top3_accuracy:.1%} |\n"
        "| 보정 오차 (ECE) | {ece:.3f} |\n\n"
        "검증 매크로 F1이 가장 좋았던 시점: 에폭 {best_epoch:.2f}. "
        "모델이 준비됐습니다. *예측 탭에서 사용*을 누르거나 내려받으세요.",
        "time_limit": "{elapsed:.1f}초 시간 제한에 도달했습니다. 지금까지 가장 좋은 모델을 남겼습니다.",
        "already_training": "이 세션에서 이미 학습이 진행 중입니다. 먼저 중지하세요.",
        "nothing_to_stop": "이 세션에서 진행 중인 학습이 없습니다.",
        "no_model_to_use": "먼저 모델을 학습하세요.",
        "save_disabled": "checkpoints/에 저장하는 기능이 꺼져 있습니다. 로컬에서 --allow-save로 앱을 실행하세요.",
        "saved": "{path}에 저장했습니다",
        "download_failed": "내려받기에 실패했습니다: {reason}",
        "downloaded": "이름 데이터를 {path}에 내려받았습니다.",
        "setting_range": "{setting} 값은 {minimum}에서 {maximum} 사이의 수여야 합니다. 받은 값: {value}.",
        "setting_whole_range": "{setting} 값은 {minimum}에서 {maximum} 사이의 정수여야 합니다. 받은 값: {value}.",
        "setting_choice": "{setting} 값은 {choices} 중 하나여야 합니다. 받은 값: {value}.",
        "data_too_large": "데이터에 (이름, 레이블) 쌍이 {count}개 있습니다. 이 데모에서는 최대 {maximum}개까지 학습합니다.",
    },
}


def request_language(request: gr.Request | None) -> str:
    """Return "ko" when the request's Accept-Language prefers Korean over English, else "en".

    Languages are compared by their q-values; a request without the header (such as one from
    gradio_client) gets English.
    """
    header = ""
    if request is not None and request.headers is not None:
        header = request.headers.get("accept-language", "") or ""
    best_language, best_quality = "en", -1.0
    for position, part in enumerate(header.split(",")):
        tag, _, parameters = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in LANGUAGES:
            continue
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                quality = 0.0
        # Earlier entries win ties, as browsers list preferred languages first.
        quality -= position * 1e-6
        if quality > best_quality:
            best_language, best_quality = language, quality
    return best_language


def message(language: str, key: str, **values) -> str:
    """Format the server-side message `key` in `language` (English when the language is unknown)."""
    table = MESSAGES.get(language, MESSAGES["en"])
    return table[key].format(**values)
