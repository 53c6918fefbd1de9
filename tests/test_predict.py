import math

import pytest

from charrnn.predict import Predictor
from tests.support import small_checkpoint


@pytest.fixture(scope="module")
def predictor():
    return Predictor.from_checkpoint(small_checkpoint())


def test_top_k_sorted_with_log_probabilities(predictor):
    predictions = predictor.predict("Sanghoon", k=3)
    assert len(predictions) == 3
    probabilities = [prediction.probability for prediction in predictions]
    assert probabilities == sorted(probabilities, reverse=True)
    for prediction in predictions:
        assert math.isclose(math.exp(prediction.log_probability), prediction.probability, rel_tol=1e-6)
    assert predictions[0].tutorial_line().startswith("(-")


def test_all_labels_sum_to_one(predictor):
    predictions = predictor.predict("Hinton", k=100)
    assert len(predictions) == len(predictor.labels)
    assert math.isclose(sum(prediction.probability for prediction in predictions), 1.0, rel_tol=1e-4)


def test_trailing_space_and_apostrophe_forms_agree(predictor):
    assert predictor.predict("Park ") == predictor.predict("Park")
    assert predictor.predict("O’Brien") == predictor.predict("O'Brien")


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), ("   ", "empty"), ("123", "no letters"),
                                              ("😀", "no letters"), ("박지성", "no character this model knows")])
def test_unusable_input_raises_value_error(predictor, text, reason):
    with pytest.raises(ValueError, match=reason):
        predictor.predict(text)


def test_batch_reports_bad_rows_without_failing(predictor):
    items = predictor.predict_batch(["Nguyen", "", "Satoshi", "123"])
    assert [item.error is None for item in items] == [True, False, True, False]
    single = predictor.predict("Nguyen")
    assert [prediction.label for prediction in items[0].predictions] == [prediction.label for prediction in single]
    assert items[0].predictions[0].probability == pytest.approx(single[0].probability, abs=1e-5)
    assert "empty" in items[1].error
