import pytest

from charrnn.answer import answer_name
from charrnn.explain import letter_importance, prefix_probabilities
from charrnn.predict import Predictor
from charrnn.scripts import name_script, script_evidence, transliterate
from tests.support import small_checkpoint

LABELS = ["Arabic", "Chinese", "English", "Greek", "Japanese", "Korean", "Russian"]


@pytest.fixture(scope="module")
def predictor():
    return Predictor.from_checkpoint(small_checkpoint())


@pytest.mark.parametrize(
    ("name", "script", "candidates"),
    [
        ("박", "Hangul", ("Korean",)),
        ("やまだ", "Kana", ("Japanese",)),
        ("山田さん", "Kana", ("Japanese",)),
        ("山田", "Han", ("Chinese", "Japanese")),
        ("Παπαδόπουλος", "Greek", ("Greek",)),
        ("Достоевский", "Cyrillic", ("Russian",)),
        ("محمد", "Arabic", ("Arabic",)),
        ("Nguyễn", "Latin", ()),
        ("Kim박", "Mixed", ()),
    ],
)
def test_script_evidence(name, script, candidates):
    evidence = script_evidence(name, LABELS)
    assert evidence.script == script
    assert evidence.candidates == candidates


def test_script_candidates_limited_to_known_labels():
    assert script_evidence("山田", ["Chinese", "Korean"]).candidates == ("Chinese",)


def test_transliteration_is_capitalised_latin():
    assert transliterate("やまだ") == "Yamada"
    assert transliterate("Достоевский") == "Dostoevskiy"
    assert name_script("123") == "Other"


def test_hangul_answer_is_korean_by_script(predictor):
    answer = answer_name(predictor, "박")
    assert answer.source == "script"
    assert [prediction.label for prediction in answer.predictions] == ["Korean"]
    assert answer.model_input == "Bag"


def test_han_answer_ranks_two_candidates(predictor):
    answer = answer_name(predictor, "山田")
    assert sorted(prediction.label for prediction in answer.predictions) == ["Chinese", "Japanese"]
    assert sum(prediction.probability for prediction in answer.predictions) == pytest.approx(1.0)


def test_latin_answer_uses_model_and_a_conformal_set(predictor):
    answer = answer_name(predictor, "Nguyen")
    assert answer.source == "model"
    assert len(answer.predictions) == 3
    assert answer.coverage == pytest.approx(0.9)
    assert answer.predictions[0].label in answer.prediction_set


def test_mostly_unknown_characters_is_uncertain(predictor):
    answer = answer_name(predictor, "Kim ⅩⅪⅫ")
    assert answer.uncertain


def test_unreadable_script_is_a_value_error(predictor):
    with pytest.raises(ValueError):
        answer_name(predictor, "   ")


def test_prefix_probabilities_cover_every_prefix(predictor):
    labels = [prediction.label for prediction in predictor.predict("Sanghoon")]
    table = prefix_probabilities(predictor, "Sanghoon", labels)
    assert len(table) == 8 * 3
    assert list(table["prefix"].iloc[::3]) == ["S", "Sa", "San", "Sang", "Sangh", "Sangho", "Sanghoo", "Sanghoon"]
    final = table[table["position"] == 8].set_index("label")["probability"]
    assert final[labels[0]] == pytest.approx(predictor.predict("Sanghoon")[0].probability, abs=1e-5)


def test_letter_importance_one_value_per_letter(predictor):
    importance = letter_importance(predictor, "Van Dyke")
    assert [letter for letter, _ in importance] == list("Van Dyke")
    assert importance[3] == (" ", 0.0)
    assert any(abs(drop) > 1e-4 for _, drop in importance)


def test_letter_importance_follows_given_label(predictor):
    top, second = [prediction.label for prediction in predictor.predict("Sanghoon")][:2]
    assert letter_importance(predictor, "Sanghoon") == letter_importance(predictor, "Sanghoon", label=top)

    importance = letter_importance(predictor, "Sanghoon", label=second)
    probabilities = predictor.log_probs(["Sanghoon", "\ufffdanghoon"]).exp()
    column = predictor.labels.index(second)
    expected = float(probabilities[0, column] - probabilities[1, column])
    assert importance[0][0] == "S"
    assert importance[0][1] == pytest.approx(expected, abs=1e-5)
    assert importance != letter_importance(predictor, "Sanghoon", label=top)


def test_letter_importance_rejects_unknown_label(predictor):
    with pytest.raises(ValueError):
        letter_importance(predictor, "Sanghoon", label="Klingon")


def test_test_split_coverage_is_reported(predictor):
    metrics = predictor.metadata["test_metrics"]
    assert 0.7 < metrics["set_coverage"] <= 1.0
    assert metrics["mean_set_size"] >= 1.0
