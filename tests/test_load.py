"""A small load test against the session's app: several sessions predict while one trains."""

from __future__ import annotations

from benchmarks.load_test import run_load


def test_concurrent_predictions_while_training(app_url):
    result = run_load(app_url, sessions=5, predictions=10, train=True)
    assert result.errors == []
    assert len(result.latencies) == 50
    assert result.training_updates > 0
