"""The PyTorch "classifying names with a character-level RNN" tutorial's two training recipes.

Both are written here from the tutorial's description, as recipes to measure against; they are
not product features. They reuse the library's data, split, vocabulary and metrics, so they see
exactly the names the shipped model sees. Names are one-hot encoded over the training split's
characters (the tutorial folds names to ASCII first, so its alphabet is smaller).
"""

from __future__ import annotations

import random
from collections import defaultdict

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_sequence

from charrnn.data import Dataset, Split, Vocabulary
from charrnn.model import ModelConfig, NameClassifier

from .scoring import Probe, RecipeRun, accuracy, gold_ids, score_examples
from .timing import TrainingClock

HIDDEN_SIZE = 128  # both recipes


# ---------------------------------------------------------------------------------------------
# first recipe: the classic cell, one random name per step
# ---------------------------------------------------------------------------------------------


def train_classic(
    dataset: Dataset, split: Split, split_seed: int, steps: int = 100_000, probe_every: int = 5_000, seed: int = 0
) -> RecipeRun:
    """Train the classic cell with plain SGD at 0.005 on one name per step.

    Each step draws a language uniformly, then a name of that language uniformly, as the tutorial
    does; so small languages are seen as often as large ones.
    """
    labels = dataset.labels
    label_index = {label: position for position, label in enumerate(labels)}
    test_names = [example.name for example in split.test]
    test_gold = gold_ids(split.test, labels)
    rng = random.Random(seed)
    torch.manual_seed(seed)

    clock = TrainingClock()
    names_by_label: dict[str, list[str]] = defaultdict(list)
    for example in split.train:
        names_by_label[example.label].append(example.name)
    trained_labels = sorted(names_by_label)
    vocabulary = Vocabulary.from_names([example.name for example in split.train])
    config = ModelConfig(cell="classic", hidden_size=HIDDEN_SIZE, vocab_size=len(vocabulary), num_labels=len(labels))
    model = NameClassifier(config)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005)

    @torch.no_grad()
    def score_names(names: list[str]) -> torch.Tensor:
        model.eval()
        return torch.cat([model(model.encode(vocabulary, names[i : i + 1024])) for i in range(0, len(names), 1024)])

    probes = []
    for step in range(1, steps + 1):
        label = rng.choice(trained_labels)
        name = rng.choice(names_by_label[label])
        model.train()
        log_probs = model(model.encode(vocabulary, [name]))  # (1, L), already log-softmax
        loss = F.nll_loss(log_probs, torch.tensor([label_index[label]]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % probe_every == 0 or step == steps:
            paused_at = clock.pause()
            probes.append(Probe(clock.elapsed(), accuracy(score_names, test_names, test_gold)))
            clock.resume(paused_at)
    seconds = clock.elapsed()

    return RecipeRun(
        contender="tutorial, first recipe",
        split_seed=split_seed,
        train_seconds=seconds,
        metrics=score_examples(score_names, split.test, dataset, labels),
        probes=probes,
        score_names=score_names,
    )


# ---------------------------------------------------------------------------------------------
# current recipe: nn.RNN over one-hot characters, mini-batches of separately run names
# ---------------------------------------------------------------------------------------------


class OneHotRNN(nn.Module):
    """nn.RNN (tanh) over one-hot characters; the last hidden state feeds a linear layer."""

    def __init__(self, vocab_size: int, hidden_size: int, num_labels: int):
        super().__init__()
        self.rnn = nn.RNN(vocab_size, hidden_size)
        self.output = nn.Linear(hidden_size, num_labels)

    def forward(self, one_hot) -> torch.Tensor:
        """Take one name as (T, 1, V) or a PackedSequence of several; return log-probs (B, L)."""
        _, hidden = self.rnn(one_hot)  # (1, B, H)
        return F.log_softmax(self.output(hidden[0]), dim=1)


def one_hot_name(vocabulary: Vocabulary, name: str) -> torch.Tensor:
    ids = torch.tensor(vocabulary.encode(name), dtype=torch.long)
    return F.one_hot(ids, len(vocabulary)).float().unsqueeze(1)  # (T, 1, V)


def train_current(
    dataset: Dataset,
    split: Split,
    split_seed: int,
    epochs: int = 27,
    batch_size: int = 64,
    learning_rate: float = 0.15,
    clip: float = 3.0,
    seed: int = 0,
) -> RecipeRun:
    """Train the one-hot nn.RNN with SGD; each batch runs its names one by one and sums their losses.

    The summed loss of 64 names makes the raw gradient large; clipping its norm at 3 is what keeps
    the learning rate of 0.15 stable. Test accuracy is probed after every epoch.
    """
    labels = dataset.labels
    label_index = {label: position for position, label in enumerate(labels)}
    test_names = [example.name for example in split.test]
    test_gold = gold_ids(split.test, labels)
    rng = random.Random(seed)
    torch.manual_seed(seed)

    clock = TrainingClock()
    vocabulary = Vocabulary.from_names([example.name for example in split.train])
    inputs = [one_hot_name(vocabulary, example.name) for example in split.train]  # encoded once, as the tutorial does
    targets = [torch.tensor([label_index[example.label]]) for example in split.train]
    model = OneHotRNN(len(vocabulary), HIDDEN_SIZE, len(labels))
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

    @torch.no_grad()
    def score_names(names: list[str]) -> torch.Tensor:
        model.eval()
        parts = []
        for start in range(0, len(names), 1024):
            chunk = [one_hot_name(vocabulary, name).squeeze(1) for name in names[start : start + 1024]]
            parts.append(model(pack_sequence(chunk, enforce_sorted=False)))
        return torch.cat(parts)

    probes = []
    order = list(range(len(inputs)))
    for _ in range(epochs):
        model.train()
        rng.shuffle(order)
        for start in range(0, len(order), batch_size):
            batch_loss = torch.zeros(())
            for position in order[start : start + batch_size]:
                batch_loss = batch_loss + F.nll_loss(model(inputs[position]), targets[position])
            optimizer.zero_grad()
            batch_loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), clip)
            optimizer.step()
        paused_at = clock.pause()
        probes.append(Probe(clock.elapsed(), accuracy(score_names, test_names, test_gold)))
        clock.resume(paused_at)
    seconds = clock.elapsed()

    return RecipeRun(
        contender="tutorial, current recipe",
        split_seed=split_seed,
        train_seconds=seconds,
        metrics=score_examples(score_names, split.test, dataset, labels),
        probes=probes,
        score_names=score_names,
    )

