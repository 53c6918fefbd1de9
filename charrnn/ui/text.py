"""Every text the app shows, in English and Korean.

Two tables: `I18N` contains what the browser translates (labels, buttons, Markdown, plot titles),
`MESSAGES` contains what the server writes at run time (status lines, errors, summaries). Gradio's
`gr.I18n` does not translate handler output, so the server picks the table from the request's
Accept-Language header.
"""

from __future__ import annotations

import gradio as gr

from ..batch import MAX_BATCH_BYTES, MAX_BATCH_ROWS

LANGUAGES = ("en", "ko")

UI_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "heading": "# charrnn: which language is this surname from?\n"
        "A character-level recurrent network reads a surname letter by letter and guesses "
        "which of 18 languages it comes from, as in the PyTorch tutorial "
        "*Classifying Names with a Character-Level RNN*.",
        "tab_predict": "Predict",
        "tab_train": "Train",
        "name_label": "Surname (any script)",
        "name_placeholder": "Type a surname, e.g. Sanghoon or 박, then press Enter",
        "predict_button": "Predict",
        "model_choice_label": "Model",
        "model_default": "Shipped model",
        "model_trained": "My model (trained or loaded in this session)",
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
        "responsible_use": "**Use with care.** A surname's likely origin is a statistical guess from "
        "spelling, learned from a small public list. It says nothing certain about a person's nationality, "
        "ethnicity or identity; do not use it to make decisions about people.",
        "letters_title": "Belief after each letter",
        "letters_x": "Letters read so far (position:letter)",
        "shading_label": "Which letters mattered (occlusion)",
        "shading_help": "Each letter is masked in turn and the drop of the top language's probability is "
        "measured. Red: the letter supported the answer; purple: it argued against it. Shades are relative "
        "to the strongest letter.",
        "tab_evaluate": "Evaluation",
        "tab_batch": "Batch prediction",
        "evaluate_intro": "Test-split figures for the model in use. The shipped model is scored on the test "
        "split of the names data it was trained with, so this needs that data (`CHARRNN_DATA` or `--data`); "
        "a model trained in this session was scored when its training ended. A loaded checkpoint is scored "
        "on the test split of the names data, with the split seed stored in it.",
        "evaluate_button": "Evaluate",
        "confusion_label": "Confusion matrix (each row sums to 100%)",
        "per_label_label": "Per language",
        "pairs_label": "Most confused pairs",
        "misclassified_label": "Misclassified test names with their top 3",
        "batch_intro": "Upload a `.csv` with a `name` column or a `.txt` with one name per line "
        "(at most {rows} names and {megabytes} MiB). Rows that cannot be scored get an error in their "
        "own row; the rest are still answered.",
        "batch_file_label": "Names file (.csv or .txt)",
        "batch_button": "Predict the file",
        "batch_table_label": "Top 3 per name",
        "batch_download_label": "Download the table as CSV",
        "own_data_title": "Upload a `.zip` of `<Label>.txt` files (the PyTorch tutorial's `data.zip` works as it is) or a "
        "`.csv` with `name,label` columns. A validation report appears below; the Train button then "
        "trains on your data instead of the names data. Remove the file to go back.",
        "own_data_file_label": "Data set (.zip or .csv)",
        "own_data_label": "Train on your own data",
        "own_model_label": "Load a checkpoint file",
        "own_model_title": "Upload a `.pt` checkpoint saved with the download button that appears after training, or by "
        "`python -m charrnn train`. It becomes *my model* for this session in the Predict, Evaluation and "
        "Batch tabs. The file is read as plain data, so a file that would run code on load is rejected.",
        "own_model_file_label": "Checkpoint (.pt)",
    },
    "ko": {
        "heading": "# charrnn: 이 성은 어느 언어에서 왔을까요?\n"
        "문자 단위 순환 신경망(RNN)이 성을 한 글자씩 읽고 18개 언어 가운데 어디에서 왔는지 "
        "추측합니다. PyTorch 튜토리얼 *Classifying Names with a Character-Level RNN*과 같은 과제입니다.",
        "tab_predict": "예측",
        "tab_train": "학습",
        "name_label": "성 (어떤 문자든)",
        "name_placeholder": "성을 입력하고 Enter를 누르세요. 예: Sanghoon, 박",
        "predict_button": "예측하기",
        "model_choice_label": "모델",
        "model_default": "기본 제공 모델",
        "model_trained": "내 모델 (이 세션에서 학습하거나 불러옴)",
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
        "responsible_use": "**주의해서 쓰세요.** 성의 기원 추측은 작은 공개 목록에서 배운 철자의 "
        "통계일 뿐입니다. 한 사람의 국적, 민족, 정체성에 대해 확실한 것을 말해 주지 않으니 사람에 "
        "관한 결정에 쓰지 마세요.",
        "letters_title": "글자마다 바뀌는 믿음",
        "letters_x": "지금까지 읽은 글자 (위치:글자)",
        "shading_label": "어떤 글자가 중요했나 (가림 실험)",
        "shading_help": "글자를 하나씩 가리고 1위 언어의 확률이 얼마나 떨어지는지 잽니다. 빨간색은 "
        "답을 뒷받침한 글자, 보라색은 반대한 글자입니다. 색의 진하기는 가장 영향이 큰 글자를 기준으로 "
        "한 상대값입니다.",
        "tab_evaluate": "평가",
        "tab_batch": "일괄 예측",
        "evaluate_intro": "지금 쓰는 모델의 테스트 세트 결과입니다. 기본 제공 모델은 학습에 쓴 이름 "
        "데이터의 테스트 세트로 평가하므로 그 데이터(`CHARRNN_DATA` 또는 `--data`)가 있어야 합니다. "
        "이 세션에서 학습한 모델은 학습이 끝날 때 이미 평가했습니다. 불러온 체크포인트는 그 안에 저장된 "
        "분할 시드로 이름 데이터의 테스트 세트에서 평가합니다.",
        "evaluate_button": "평가하기",
        "confusion_label": "혼동 행렬 (각 행의 합이 100%)",
        "per_label_label": "언어별 결과",
        "pairs_label": "가장 많이 헷갈린 쌍",
        "misclassified_label": "잘못 분류한 테스트 이름과 상위 3개 답",
        "batch_intro": "`name` 열이 있는 `.csv` 또는 한 줄에 이름 하나씩 적은 `.txt`를 올리세요 "
        "(최대 {rows}개, {megabytes} MiB). 처리할 수 없는 행은 그 행에 오류를 적고, 나머지 행은 "
        "그대로 예측합니다.",
        "batch_file_label": "이름 파일 (.csv 또는 .txt)",
        "batch_button": "파일 예측하기",
        "batch_table_label": "이름별 상위 3개",
        "batch_download_label": "표를 CSV로 내려받기",
        "own_data_title": "`<Label>.txt` 파일을 묶은 `.zip`(PyTorch 튜토리얼의 `data.zip`도 그대로 됩니다)이나 "
        "`name,label` 열이 있는 `.csv`를 올리세요. 아래에 검증 보고서가 나오고, 학습 시작 버튼은 "
        "이름 데이터 대신 올린 데이터로 학습합니다. 파일을 지우면 원래 데이터로 돌아갑니다.",
        "own_data_file_label": "데이터 세트 (.zip 또는 .csv)",
        "own_data_label": "내 데이터로 학습하기",
        "own_model_label": "체크포인트 파일 불러오기",
        "own_model_title": "학습이 끝나면 나오는 내려받기 버튼이나 `python -m charrnn train`으로 저장한 `.pt` 체크포인트를 "
        "올리세요. 이 세션의 예측, 평가, 일괄 예측 탭에서 *내 모델*이 됩니다. 파일은 순수한 데이터로만 "
        "읽으므로 불러올 때 코드를 실행하려는 파일은 거부합니다.",
        "own_model_file_label": "체크포인트 (.pt)",
    },
}

for _table in UI_TEXT.values():
    _table["batch_intro"] = _table["batch_intro"].format(rows=f"{MAX_BATCH_ROWS:,}", megabytes=MAX_BATCH_BYTES // 2**20)

I18N = gr.I18n(**UI_TEXT)

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "train_series": "training loss",
        "validation_series": "validation loss",
        "model_default_info": "Shipped model: {cell}, hidden size {hidden}, test accuracy {accuracy}",
        "model_trained_info": "My model from this session: {cell}, hidden size {hidden}, test accuracy {accuracy}",
        "no_trained_model": "This session has no model of its own yet: train or load one in the Train tab, "
        "or choose the shipped model.",
        "default_model_missing": "The shipped model could not be loaded ({reason}). "
        "Train a model in the Train tab and choose it.",
        "name_empty": "The name is empty: type a surname such as 'Park'.",
        "name_too_long": "The name is too long: at most {maximum} characters.",
        "name_no_letters": "The name contains no letters: type a surname such as 'Park'.",
        "name_unknown_characters": "The model knows none of these characters. It was trained on "
        "surnames in Latin letters: type the name in Latin letters, e.g. 'Park' for 박.",
        "name_invalid": "The name could not be read: {reason}",
        "name_unreadable_script": "The name is written in a script this model cannot read or transliterate: "
        "type it in Latin letters.",
        "or_separator": " or ",
        "answer_top": "### {label} ({probability:.0%})",
        "answer_script_rule": "**Script rule:** written in {script} script, so the answer is {candidates}. "
        "The network only ranks the candidates the script allows.",
        "answer_transliteration": "**Transliteration** (anyascii): `{text}`, the text the network read "
        "and the letter views below show. A generic transliteration can be far from how a family spells "
        "its name (박 becomes Bag, not Park).",
        "answer_uncertain": "**Uncertain:** the top language has only {probability:.0%}. Treat this as a weak guess.",
        "answer_uncertain_han": "**Uncertain:** Chinese and Japanese surnames are both written in Han characters, "
        "and the transliteration reads them in Mandarin only (山田 becomes ShanTian, not Yamada), so a Japanese "
        "name in kanji often comes out Chinese. Type the name in kana or in Latin letters (Yamada) for a better answer.",
        "answer_uncertain_unknown": "**Uncertain:** {count} characters are unknown to this model ({characters}), "
        "so the answer rests on the few letters it knows.",
        "answer_unknown_characters": "Characters unknown to this model, read as a placeholder: {characters}",
        "answer_no_set": "This model has no fitted prediction set; a model trained in the Train tab has one.",
        "answer_set": "**Prediction set:** {labels} ({coverage:.0%} coverage: fitted on the validation split so that "
        "about {coverage:.0%} of names have their language in their set).",
        "answer_strongest_letter": "Masking letter {position} ('{letter}') lowers the network's probability of "
        "{label} by {drop:.2f}: of the letters that support the answer, it supports it most.",
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
        "checkpoint_wrong_type": "{file}: expected a .pt checkpoint file.",
        "checkpoint_busy": "A training run is still going in this session: wait for it or stop it, then load the file.",
        "checkpoint_rejected": "The checkpoint {file} cannot be used: {reason}",
        "checkpoint_reason_not_found": "the upload is missing; upload the file again.",
        "checkpoint_reason_empty": "the file is empty.",
        "checkpoint_reason_too_large": "the file is larger than {maximum} MiB.",
        "checkpoint_reason_not_torch": "it is not a checkpoint file (charrnn saves them with PyTorch as .pt).",
        "checkpoint_reason_unsafe": "it contains objects that could run code on load, so it was not opened.",
        "checkpoint_reason_corrupt": "the file is damaged or cut short; download or save it again.",
        "checkpoint_reason_foreign": "it is a PyTorch file but not a charrnn checkpoint.",
        "checkpoint_reason_incomplete": "entries a charrnn checkpoint needs are missing.",
        "checkpoint_reason_version": "it was written in another checkpoint format version.",
        "checkpoint_reason_incompatible": "its weights do not fit this version's model code.",
        "checkpoint_loaded": "Loaded **{file}**: {cell}, hidden size {hidden}, {labels} labels, test accuracy "
        "{accuracy}. It is now *my model* in the Predict, Evaluation and Batch tabs.",
        "eval_labels_differ": "This model's labels are not those of the names data at {path}, so it cannot be "
        "evaluated here. Evaluate it with `python -m charrnn evaluate --data <its data> --checkpoint <file>`.",
        "save_disabled": "Saving into checkpoints/ is turned off: start the app locally with --allow-save.",
        "saved": "Saved {path}",
        "download_failed": "The download failed: {reason}",
        "downloaded": "Downloaded the names data into {path}.",
        "setting_range": "{setting} must be a number from {minimum} to {maximum}; received {value}.",
        "setting_whole_range": "{setting} must be a whole number from {minimum} to {maximum}; received {value}.",
        "setting_choice": "{setting} must be one of {choices}; received {value}.",
        "data_too_large": "The data has {count} (name, label) pairs; training in this demo takes at most {maximum}.",
        "data_small_labels": "Training on {file} cannot start: {count} label(s) have fewer than {minimum} names, "
        "so they would get no validation or test names: {labels}. Add names to those labels or remove them, "
        "then upload the file again.",
        "eval_data_missing": "Evaluating the shipped model needs the names data it was trained with, and none "
        "was found at {path}. Start the app with `CHARRNN_DATA=<folder>` or `--data <folder>`, or download the "
        "data in the Train tab.",
        "eval_data_differs": "**Note:** this data ({pairs} pairs) is not the data the model was trained with "
        "({trained_pairs} pairs), so its test split may contain names the model trained on and the figures "
        "may be too high.",
        "eval_metrics": "### Test split: {n_test} pairs\n"
        "| measure | value |\n|---|---|\n"
        "| accuracy | {accuracy:.1%} |\n"
        "| accuracy, any listed language | {any_label_accuracy:.1%} |\n"
        "| macro-F1 | {macro_f1:.3f} |\n"
        "| top-3 accuracy | {top3_accuracy:.1%} |\n"
        "| calibration error (ECE), test | {ece:.3f} |",
        "eval_calibration": "| calibration error (ECE), validation, before / after temperature scaling "
        "| {before:.3f} / {after:.3f} |",
        "eval_sets": "| prediction sets: coverage on test (target {target:.0%}) | {coverage:.1%} |\n"
        "| prediction sets: mean size | {size:.2f} |",
        "eval_cap": "**Why no model reaches 100%:** {multi} names in this data are listed under several "
        "languages (Scottish and English share almost all of theirs). Whatever a model answers for such a name, "
        "one of its pairs counts as wrong; {wrong_listed} of the {wrong} misclassified test pairs here are names "
        "also listed under the predicted language. The any-language accuracy above counts those as correct.",
        "confusion_title": "Row-normalised confusion matrix (%)",
        "confusion_gold": "True language",
        "confusion_predicted": "Predicted language",
        "batch_no_file": "Choose a .csv or .txt file first.",
        "batch_wrong_type": "{file}: expected a .csv with a 'name' column or a .txt with one name per line.",
        "batch_too_large": "{file} is {size:.1f} MiB; the maximum is {maximum} MiB. Split it into smaller files.",
        "batch_unreadable": "The file could not be read: {reason}",
        "batch_empty": "{file} is empty or has only blank lines: put one name per line, or a 'name' column in a .csv.",
        "batch_not_utf8": "{file}: line {line} is not valid UTF-8 (byte {byte}). Save the file as UTF-8 and upload it again.",
        "batch_no_name_column": "{file}: the first line of a .csv must be a header with a 'name' column; found {header}.",
        "batch_no_names": "{file} has no names: every row is blank.",
        "batch_too_many_rows": "{file} has {count:,} names; the maximum is {maximum:,}. Split it into smaller files.",
        "batch_summary": "{scored} names answered, {failed} rows with an error.",
        "source_model": "network",
        "source_script": "script rule",
        "data_check_failed": "This data set cannot be used: {reason}",
        "data_wrong_type": "{file}: expected a .zip of <Label>.txt files or a .csv with 'name' and 'label' columns.",
        "data_check": "### Validation report: {file}\n"
        "{lines} lines read, {pairs} (name, label) pairs kept, {labels} labels. "
        "Training on this data replaces the names data for this session.",
        "data_check_counts": "| label | names |\n|---|---|\n{rows}",
        "data_check_duplicates": "Duplicates dropped: {count}.",
        "data_check_invalid": "Invalid lines dropped: {count}. First ones:\n{lines}",
        "data_check_multi": "Names under several labels: {count}. They cap the accuracy any model can reach. "
        "Examples: {examples}",
        "data_check_unknown": "Characters the shipped model does not know: {characters}. "
        "A model trained on this data learns them from its training split.",
        "data_check_small": "Labels with fewer than 3 names get no validation or test names, and training "
        "on this data is rejected until every label has at least 3: {labels}.",
        "data_own": "your uploaded data {file}",
        "data_error_not_found": "{path}: not found; run 'python -m charrnn download-data' or pass --data",
        "data_error_empty": "{file}: the file is empty",
        "data_error_wrong_type": "{file}: expected a folder of <Label>.txt files, a .csv or a .zip",
        "data_error_too_large": "{file}: file is larger than {maximum_mib} MiB",
        "data_error_not_utf8": "{file}: line {line} is not valid UTF-8 (byte {byte}); save the file as UTF-8",
        "data_error_no_header": "{file}: the file is empty; expected a header 'name,label'",
        "data_error_bad_header": "{file}: header must contain 'name' and 'label', found {header}",
        "data_error_wrong_column_count": "{file}:{line}: expected {expected} columns, found {found}",
        "data_error_invalid_file_label": "{file}: invalid label '{label}'; use letters, digits, '_' or '-'",
        "data_error_invalid_row_label": "{file}:{line}: invalid label '{label}'; use letters, digits, '_' or '-'",
        "data_error_no_label_files": "{folder}: no <Label>.txt files found; run 'python -m charrnn download-data'",
        "data_error_bad_zip": "{file}: not a valid zip file",
        "data_error_too_many_members": "{file}: {count} files, the maximum is {maximum}",
        "data_error_zip_too_large": "{file}: uncompressed size exceeds {maximum_mib} MiB",
        "data_error_unsafe_member": "{file}: member '{member}' has an absolute path or '..'; "
        "zip the <Label>.txt files with relative paths",
        "data_error_damaged_member": "{file}: member '{member}' cannot be read from the zip; "
        "it is damaged, encrypted or uses an unsupported compression method",
        "data_error_no_names_in_zip": "{file}: no <Label>.txt files with names found in the zip",
        "data_error_too_few_labels": "{file}: found {count} label(s); a classifier needs at least 2",
        "data_error_small_labels": "{file}: {count} label(s) have fewer than {minimum} names: {labels}; "
        "add names to them or remove their files",
    },
    "ko": {
        "train_series": "학습 손실",
        "validation_series": "검증 손실",
        "model_default_info": "기본 제공 모델: {cell}, 은닉 크기 {hidden}, 테스트 정확도 {accuracy}",
        "model_trained_info": "이 세션의 내 모델: {cell}, 은닉 크기 {hidden}, 테스트 정확도 {accuracy}",
        "no_trained_model": "이 세션에는 아직 내 모델이 없습니다. 학습 탭에서 학습하거나 불러오거나, "
        "기본 제공 모델을 고르세요.",
        "default_model_missing": "기본 제공 모델을 불러오지 못했습니다 ({reason}). "
        "학습 탭에서 모델을 학습한 뒤 고르세요.",
        "name_empty": "이름이 비어 있습니다. 'Park' 같은 성을 입력하세요.",
        "name_too_long": "이름이 너무 깁니다. 최대 {maximum}자까지 입력할 수 있습니다.",
        "name_no_letters": "이름에 글자가 없습니다. 'Park' 같은 성을 입력하세요.",
        "name_unknown_characters": "모델이 아는 글자가 하나도 없습니다. 이 모델은 로마자 성으로 "
        "학습했으니 로마자로 입력하세요. 예: 박 → 'Park'.",
        "name_invalid": "이름을 읽지 못했습니다: {reason}",
        "name_unreadable_script": "이 모델이 읽거나 로마자로 바꿀 수 없는 문자로 쓴 이름입니다. "
        "로마자로 입력하세요.",
        "or_separator": " 또는 ",
        "answer_top": "### {label} ({probability:.0%})",
        "answer_script_rule": "**문자 규칙:** {script}로 썼으므로 답은 {candidates}입니다. "
        "신경망은 문자가 허용하는 후보의 순위만 정합니다.",
        "answer_transliteration": "**로마자 변환** (anyascii): `{text}`, 신경망이 읽고 아래 글자별 그림이 보여 주는 글자입니다. "
        "일반 변환기는 실제 표기와 다를 수 있습니다 (박 → Park이 아니라 Bag).",
        "answer_uncertain": "**불확실:** 1위 언어의 확률이 {probability:.0%}뿐입니다. 약한 추측으로 보세요.",
        "answer_uncertain_han": "**불확실:** 중국과 일본의 성은 모두 한자로 쓰는데, 로마자 변환은 한자를 중국어 "
        "발음으로만 읽습니다(山田 → Yamada가 아니라 ShanTian). 그래서 한자로 쓴 일본 성이 중국어로 나오기 "
        "쉽습니다. 가나나 로마자(Yamada)로 입력하면 더 나은 답을 얻습니다.",
        "answer_uncertain_unknown": "**불확실:** 이 모델이 모르는 글자가 {count}개 있어서({characters}) "
        "아는 몇 글자만으로 답했습니다.",
        "answer_unknown_characters": "이 모델이 모르는 글자(자리 표시 토큰으로 읽음): {characters}",
        "answer_no_set": "이 모델에는 예측 집합이 맞춰져 있지 않습니다. 학습 탭에서 학습한 모델에는 있습니다.",
        "answer_set": "**예측 집합:** {labels} (포함률 {coverage:.0%}: 이름의 약 {coverage:.0%}가 자기 언어를 "
        "집합 안에 갖도록 검증 세트에서 맞췄습니다).",
        "answer_strongest_letter": "{position}번째 글자('{letter}')를 가리면 신경망의 {label} 확률이 "
        "{drop:.2f} 떨어집니다. 답을 뒷받침하는 글자 가운데 가장 크게 뒷받침하는 글자입니다.",
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
        "checkpoint_wrong_type": "{file}: .pt 체크포인트 파일이어야 합니다.",
        "checkpoint_busy": "이 세션에서 아직 학습이 진행 중입니다. 학습이 끝나거나 멈춘 뒤 파일을 불러오세요.",
        "checkpoint_rejected": "체크포인트 {file}은(는) 쓸 수 없습니다: {reason}",
        "checkpoint_reason_not_found": "올린 파일이 없습니다. 파일을 다시 올리세요.",
        "checkpoint_reason_empty": "파일이 비어 있습니다.",
        "checkpoint_reason_too_large": "파일이 {maximum} MiB보다 큽니다.",
        "checkpoint_reason_not_torch": "체크포인트 파일이 아닙니다(charrnn은 PyTorch로 .pt 파일을 저장합니다).",
        "checkpoint_reason_unsafe": "불러올 때 코드를 실행할 수 있는 객체가 들어 있어 열지 않았습니다.",
        "checkpoint_reason_corrupt": "파일이 손상되었거나 잘렸습니다. 다시 내려받거나 저장하세요.",
        "checkpoint_reason_foreign": "PyTorch 파일이지만 charrnn 체크포인트가 아닙니다.",
        "checkpoint_reason_incomplete": "charrnn 체크포인트에 필요한 항목이 빠져 있습니다.",
        "checkpoint_reason_version": "다른 체크포인트 형식 버전으로 저장된 파일입니다.",
        "checkpoint_reason_incompatible": "가중치가 이 버전의 모델 코드와 맞지 않습니다.",
        "checkpoint_loaded": "**{file}**을(를) 불러왔습니다: {cell}, 은닉 크기 {hidden}, 레이블 {labels}개, "
        "테스트 정확도 {accuracy}. 이제 예측, 평가, 일괄 예측 탭의 *내 모델*입니다.",
        "eval_labels_differ": "이 모델의 레이블이 {path}에 있는 이름 데이터의 레이블과 달라 여기서 평가할 수 "
        "없습니다. `python -m charrnn evaluate --data <그 데이터> --checkpoint <파일>`로 평가하세요.",
        "save_disabled": "checkpoints/에 저장하는 기능이 꺼져 있습니다. 로컬에서 --allow-save로 앱을 실행하세요.",
        "saved": "{path}에 저장했습니다",
        "download_failed": "내려받기에 실패했습니다: {reason}",
        "downloaded": "이름 데이터를 {path}에 내려받았습니다.",
        "setting_range": "{setting} 값은 {minimum}에서 {maximum} 사이의 수여야 합니다. 받은 값: {value}.",
        "setting_whole_range": "{setting} 값은 {minimum}에서 {maximum} 사이의 정수여야 합니다. 받은 값: {value}.",
        "setting_choice": "{setting} 값은 {choices} 중 하나여야 합니다. 받은 값: {value}.",
        "data_too_large": "데이터에 (이름, 레이블) 쌍이 {count}개 있습니다. 이 데모에서는 최대 {maximum}개까지 학습합니다.",
        "data_small_labels": "{file}(으)로는 학습을 시작할 수 없습니다. 이름이 {minimum}개보다 적어 검증·테스트 "
        "이름을 받을 수 없는 레이블이 {count}개 있습니다: {labels}. 이 레이블에 이름을 더하거나 레이블을 빼고 "
        "파일을 다시 올리세요.",
        "eval_data_missing": "기본 제공 모델을 평가하려면 학습에 쓴 이름 데이터가 필요한데 {path}에서 "
        "찾지 못했습니다. `CHARRNN_DATA=<폴더>` 또는 `--data <폴더>`로 앱을 시작하거나 학습 탭에서 "
        "데이터를 내려받으세요.",
        "eval_data_differs": "**참고:** 이 데이터({pairs}쌍)는 모델을 학습한 데이터({trained_pairs}쌍)와 "
        "다릅니다. 테스트 세트에 모델이 학습한 이름이 섞여 있을 수 있어 결과가 실제보다 높게 나올 수 있습니다.",
        "eval_metrics": "### 테스트 세트: {n_test}쌍\n"
        "| 지표 | 값 |\n|---|---|\n"
        "| 정확도 | {accuracy:.1%} |\n"
        "| 정확도 (등록된 언어 중 하나면 정답) | {any_label_accuracy:.1%} |\n"
        "| 매크로 F1 | {macro_f1:.3f} |\n"
        "| 상위 3개 정확도 | {top3_accuracy:.1%} |\n"
        "| 보정 오차 (ECE), 테스트 | {ece:.3f} |",
        "eval_calibration": "| 보정 오차 (ECE), 검증, 온도 보정 전 / 후 | {before:.3f} / {after:.3f} |",
        "eval_sets": "| 예측 집합: 테스트 포함률 (목표 {target:.0%}) | {coverage:.1%} |\n"
        "| 예측 집합: 평균 크기 | {size:.2f} |",
        "eval_cap": "**어떤 모델도 100%에 이르지 못하는 이유:** 이 데이터에서 {multi}개 이름이 여러 언어에 "
        "올라 있습니다 (Scottish와 English는 거의 모든 이름을 공유합니다). 이런 이름에 무엇을 답하든 한 쌍은 "
        "오답이 됩니다. 여기서 잘못 분류한 테스트 쌍 {wrong}개 가운데 {wrong_listed}개는 예측한 언어에도 "
        "올라 있는 이름입니다. 위의 '등록된 언어 중 하나면 정답' 정확도는 이를 정답으로 셉니다.",
        "confusion_title": "행 정규화 혼동 행렬 (%)",
        "confusion_gold": "실제 언어",
        "confusion_predicted": "예측한 언어",
        "batch_no_file": "먼저 .csv 또는 .txt 파일을 고르세요.",
        "batch_wrong_type": "{file}: 'name' 열이 있는 .csv나 한 줄에 이름 하나씩 적은 .txt여야 합니다.",
        "batch_too_large": "{file}의 크기는 {size:.1f} MiB이고 최대 {maximum} MiB입니다. 더 작은 파일로 나누세요.",
        "batch_unreadable": "파일을 읽지 못했습니다: {reason}",
        "batch_empty": "{file}이(가) 비어 있거나 빈 줄만 있습니다. 한 줄에 이름 하나씩 적거나 .csv에 'name' 열을 넣으세요.",
        "batch_not_utf8": "{file}: {line}번째 줄이 올바른 UTF-8이 아닙니다 (바이트 {byte}). 파일을 UTF-8로 저장해 다시 올리세요.",
        "batch_no_name_column": "{file}: .csv의 첫 줄은 'name' 열이 있는 머리글이어야 합니다. 찾은 머리글: {header}.",
        "batch_no_names": "{file}에 이름이 없습니다. 모든 행이 비어 있습니다.",
        "batch_too_many_rows": "{file}에 이름이 {count:,}개 있습니다. 최대 {maximum:,}개입니다. 더 작은 파일로 나누세요.",
        "batch_summary": "이름 {scored}개에 답했고, 오류가 난 행은 {failed}개입니다.",
        "source_model": "신경망",
        "source_script": "문자 규칙",
        "data_check_failed": "이 데이터 세트는 쓸 수 없습니다: {reason}",
        "data_wrong_type": "{file}: <레이블>.txt 파일을 묶은 .zip이나 'name'과 'label' 열이 있는 .csv여야 합니다.",
        "data_check": "### 검증 보고서: {file}\n"
        "{lines}줄을 읽어 (이름, 레이블) {pairs}쌍을 남겼고 레이블은 {labels}개입니다. "
        "이 데이터로 학습하면 이 세션에서는 이름 데이터 대신 이 데이터를 씁니다.",
        "data_check_counts": "| 레이블 | 이름 수 |\n|---|---|\n{rows}",
        "data_check_duplicates": "버린 중복: {count}개.",
        "data_check_invalid": "버린 잘못된 줄: {count}개. 처음 몇 줄:\n{lines}",
        "data_check_multi": "여러 레이블에 올라 있는 이름: {count}개. 어떤 모델이든 정확도의 상한을 낮춥니다. "
        "예: {examples}",
        "data_check_unknown": "기본 제공 모델이 모르는 글자: {characters}. 이 데이터로 학습한 모델은 "
        "학습 세트에서 이 글자를 배웁니다.",
        "data_check_small": "이름이 3개보다 적어 검증·테스트 이름이 없는 레이블: {labels}. 모든 레이블에 "
        "이름이 3개 이상 있어야 이 데이터로 학습할 수 있습니다.",
        "data_own": "올린 데이터 {file}",
        "data_error_not_found": "{path}을(를) 찾지 못했습니다. 'python -m charrnn download-data'를 실행하거나 "
        "--data로 경로를 지정하세요.",
        "data_error_empty": "{file}이(가) 빈 파일입니다.",
        "data_error_wrong_type": "{file}: <레이블>.txt 파일이 든 폴더, .csv 또는 .zip이어야 합니다.",
        "data_error_too_large": "{file}이(가) {maximum_mib} MiB보다 큽니다. 더 작은 파일로 나누세요.",
        "data_error_not_utf8": "{file}: {line}번째 줄이 올바른 UTF-8이 아닙니다 (바이트 {byte}). "
        "파일을 UTF-8로 저장해 다시 올리세요.",
        "data_error_no_header": "{file}에 내용이 없습니다. 첫 줄은 'name,label' 머리글이어야 합니다.",
        "data_error_bad_header": "{file}: 머리글에 'name'과 'label' 열이 있어야 합니다. 찾은 머리글: {header}.",
        "data_error_wrong_column_count": "{file}: {line}번째 줄의 열이 {found}개입니다. {expected}개여야 합니다.",
        "data_error_invalid_file_label": "{file}: 레이블 '{label}'이(가) 올바르지 않습니다. 글자, 숫자, '_', '-'만 "
        "쓰세요.",
        "data_error_invalid_row_label": "{file}: {line}번째 줄의 레이블 '{label}'이(가) 올바르지 않습니다. 글자, 숫자, "
        "'_', '-'만 쓰세요.",
        "data_error_no_label_files": "{folder}에 <레이블>.txt 파일이 없습니다. "
        "'python -m charrnn download-data'를 실행하세요.",
        "data_error_bad_zip": "{file}은(는) 올바른 zip 파일이 아닙니다.",
        "data_error_too_many_members": "{file}에 파일이 {count}개 있습니다. 최대 {maximum}개입니다.",
        "data_error_zip_too_large": "{file}의 압축을 푼 크기가 {maximum_mib} MiB를 넘습니다.",
        "data_error_unsafe_member": "{file}: 안의 파일 '{member}'의 경로가 절대 경로이거나 '..'를 포함합니다. "
        "<레이블>.txt 파일을 상대 경로로 압축하세요.",
        "data_error_damaged_member": "{file}: 안의 파일 '{member}'을(를) 읽지 못했습니다. 손상되었거나 암호가 "
        "걸려 있거나 지원하지 않는 압축 방식입니다.",
        "data_error_no_names_in_zip": "{file}에서 이름이 든 <레이블>.txt 파일을 찾지 못했습니다.",
        "data_error_too_few_labels": "{file}에서 찾은 레이블이 {count}개입니다. 분류기에는 레이블이 2개 이상 "
        "필요합니다.",
        "data_error_small_labels": "{file}: 이름이 {minimum}개보다 적은 레이블이 {count}개 있습니다: {labels}. "
        "이 레이블에 이름을 더하거나 그 파일을 빼세요.",
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


def data_error_message(error: Exception, language: str) -> str:
    """Return the message for a `DataError` in `language`, from its `code` and `details`.

    An error without a known code, or whose details do not fit the message, keeps its English text.
    """
    key = f"data_error_{getattr(error, 'code', '')}"
    if key not in MESSAGES["en"]:
        return str(error)
    try:
        return message(language, key, **getattr(error, "details", {}))
    except (KeyError, IndexError, ValueError):
        return str(error)


# Column headers of the tables the server fills, per language.
COLUMN_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "label": "language", "precision": "precision", "recall": "recall", "f1": "F1", "support": "support",
        "gold": "true language", "predicted": "predicted", "count": "count", "name": "name",
        "also_listed_as": "also listed as", "top3_answers": "top 3", "row": "row", "error": "error",
        "source": "answered by", "top1": "1st", "p1": "p(1st)", "top2": "2nd", "p2": "p(2nd)", "top3": "3rd",
        "p3": "p(3rd)",
    },
    "ko": {
        "label": "언어", "precision": "정밀도", "recall": "재현율", "f1": "F1", "support": "개수",
        "gold": "실제 언어", "predicted": "예측", "count": "횟수", "name": "이름",
        "also_listed_as": "함께 올라 있는 언어", "top3_answers": "상위 3개", "row": "행", "error": "오류",
        "source": "답한 방법", "top1": "1위", "p1": "1위 확률", "top2": "2위", "p2": "2위 확률", "top3": "3위",
        "p3": "3위 확률",
    },
}


def translate_columns(frame, language: str):
    """Return `frame` with its known column names in `language`; other columns keep their names."""
    names = COLUMN_NAMES.get(language, COLUMN_NAMES["en"])
    return frame.rename(columns={column: names.get(column, column) for column in frame.columns})


# Names of the tutorial data's labels and of the writing systems, for the Predict tab's answer,
# bars and letter chart. Languages without an entry, and labels of an uploaded data set, keep
# the label as it is in the data.
LABEL_NAMES: dict[str, dict[str, str]] = {
    "ko": {
        "Arabic": "아랍어", "Chinese": "중국어", "Czech": "체코어", "Dutch": "네덜란드어", "English": "영어",
        "French": "프랑스어", "German": "독일어", "Greek": "그리스어", "Irish": "아일랜드어", "Italian": "이탈리아어",
        "Japanese": "일본어", "Korean": "한국어", "Polish": "폴란드어", "Portuguese": "포르투갈어",
        "Russian": "러시아어", "Scottish": "스코틀랜드어", "Spanish": "스페인어", "Vietnamese": "베트남어",
    },
}
SCRIPT_NAMES: dict[str, dict[str, str]] = {
    "ko": {
        "Hangul": "한글", "Kana": "가나", "Han": "한자", "Greek": "그리스 문자", "Cyrillic": "키릴 문자",
        "Arabic": "아랍 문자",
    },
}


def label_name(label: str, language: str) -> str:
    return LABEL_NAMES.get(language, {}).get(label, label)


def script_name(script: str, language: str) -> str:
    return SCRIPT_NAMES.get(language, {}).get(script, script)
