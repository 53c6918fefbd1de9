"""A character 1-5-gram TF-IDF logistic regression: the strong non-neural baseline.

scikit-learn is a benchmark dependency only (requirements-dev.txt); the package never imports it.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from charrnn.data import Dataset, Split
from charrnn.metrics import macro_f1

from .scoring import Probe, RecipeRun, accuracy, gold_ids, score_examples
from .timing import TrainingClock

def train_ngram_logistic(
    dataset: Dataset, split: Split, split_seed: int, c_grid: tuple[float, ...], threads: int = 1
) -> RecipeRun:
    """Fit TF-IDF over character 1-5-grams and a multinomial logistic regression.

    The regularisation strength C is chosen from `c_grid` by validation macro-F1, and the reported training time
    covers every fit of that search, so the baseline is tuned the same honest way as the others.
    Time to reach a target is the full search time, because a fit has no intermediate models.
    """
    labels = dataset.labels
    train_names = [example.name for example in split.train]
    train_gold = gold_ids(split.train, labels)
    validation_names = [example.name for example in split.validation]
    validation_gold = np.asarray(gold_ids(split.validation, labels))

    limit = threadpool_limits(threads)  # the BLAS under scikit-learn, like torch, gets `threads` threads
    clock = TrainingClock()
    # char_wb pads every word with spaces, so the n-grams mark where a name starts and ends.
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, min_df=1)
    train_features = vectorizer.fit_transform(train_names)
    validation_features = vectorizer.transform(validation_names)
    best_model, best_f1 = None, -1.0
    for c in c_grid:
        model = LogisticRegression(C=c, max_iter=2000)
        model.fit(train_features, train_gold)
        predicted = model.predict(validation_features)
        f1 = macro_f1(validation_gold, predicted, len(labels))
        if f1 > best_f1:
            best_model, best_f1 = model, f1
    seconds = clock.elapsed()
    limit.restore_original_limits()

    def score_names(names: list[str]) -> torch.Tensor:
        """Return (N, labels) log-probabilities; a label absent from training gets log(0)."""
        columns = best_model.predict_log_proba(vectorizer.transform(names))  # (N, seen labels)
        log_probs = torch.full((len(names), len(labels)), float("-inf"))
        log_probs[:, torch.as_tensor(best_model.classes_)] = torch.as_tensor(columns, dtype=torch.float)
        return log_probs

    test_names = [example.name for example in split.test]
    final_accuracy = accuracy(score_names, test_names, gold_ids(split.test, labels))
    return RecipeRun(
        contender="char 1-5-gram TF-IDF + logistic regression",
        split_seed=split_seed,
        train_seconds=seconds,
        metrics=score_examples(score_names, split.test, dataset, labels),
        probes=[Probe(seconds, final_accuracy)],
        score_names=score_names,
        details={"C": best_model.C, "validation_macro_f1": best_f1, "features": len(vectorizer.vocabulary_)},
    )

