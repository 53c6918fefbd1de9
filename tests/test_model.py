import pytest
import torch

from charrnn.data import Vocabulary, encode_names
from charrnn.model import CELLS, ModelConfig, NameClassifier


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_every_cell_gives_logits_per_label(cell, bidirectional):
    vocabulary = Vocabulary.from_names(["Park", "Kim", "Li"])
    config = ModelConfig(cell=cell, vocab_size=len(vocabulary), num_labels=5, hidden_size=8,
                         embedding_size=4, num_layers=2, bidirectional=bidirectional)
    model = NameClassifier(config).eval()
    logits = model(model.encode(vocabulary, ["Park", "Li", "Kim"]))
    assert logits.shape == (3, 5)
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize("cell", CELLS)
def test_padding_does_not_change_a_names_logits(cell):
    vocabulary = Vocabulary.from_names(["Park", "Kim", "Li", "Abramovich"])
    config = ModelConfig(cell=cell, vocab_size=len(vocabulary), num_labels=4, hidden_size=8,
                         embedding_size=4, ngram_buckets=50 if cell != "classic" else 0)
    model = NameClassifier(config).eval()
    alone = model(model.encode(vocabulary, ["Li"]))
    padded = model(model.encode(vocabulary, ["Li", "Abramovich"]))[:1]
    assert torch.allclose(alone, padded, atol=1e-5)


def test_classic_cell_outputs_log_probabilities():
    vocabulary = Vocabulary.from_names(["Park"])
    config = ModelConfig(cell="classic", vocab_size=len(vocabulary), num_labels=3, hidden_size=128)
    model = NameClassifier(config)
    output = model(model.encode(vocabulary, ["Park"]))
    assert torch.allclose(output.exp().sum(dim=1), torch.ones(1), atol=1e-5)


def test_unknown_cell_lists_valid_options():
    with pytest.raises(ValueError, match="unknown cell 'gruu': choose one of classic, rnn, gru, lstm"):
        ModelConfig(cell="gruu")


def test_missing_ngram_inputs_name_the_fix():
    vocabulary = Vocabulary.from_names(["Park"])
    model = NameClassifier(ModelConfig(vocab_size=len(vocabulary), num_labels=2, ngram_buckets=100))
    with pytest.raises(ValueError, match="model.encode"):
        model(encode_names(vocabulary, ["Park"]))
