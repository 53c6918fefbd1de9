"""Character-level name classifiers: the tutorial's classic cell and PyTorch's RNN, GRU and LSTM."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .data import Inputs, Vocabulary, encode_names

CELLS = ("classic", "rnn", "gru", "lstm")


@dataclass
class ModelConfig:
    cell: str = "gru"  # one of CELLS
    vocab_size: int = 0  # set from the vocabulary, padding and unknown included
    num_labels: int = 0  # set from the label list
    embedding_size: int = 64  # character embedding width (not used by "classic", which is one-hot)
    hidden_size: int = 128  # hidden state width per direction
    num_layers: int = 1
    bidirectional: bool = True
    dropout: float = 0.2  # on the embeddings, between layers and before the output layer
    ngram_buckets: int = 32768  # >0 adds a hashed bag of character n-grams beside the recurrent summary
    ngram_size: int = 64  # width of the n-gram bag embedding
    ngram_max: int = 4  # the bag contains the character 1..ngram_max-grams of "^name$"
    lowercase: bool = False  # read names lower-cased (the stored names keep their case)

    def __post_init__(self):
        if self.cell not in CELLS:
            raise ValueError(f"unknown cell {self.cell!r}: choose one of {', '.join(CELLS)}")
        if self.hidden_size < 1 or self.num_layers < 1:
            raise ValueError(f"hidden_size and num_layers must be at least 1, got {self.hidden_size}, {self.num_layers}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")
        if self.ngram_max < 1:
            raise ValueError(f"ngram_max must be at least 1, got {self.ngram_max}")

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# the tutorial's cell
# ---------------------------------------------------------------------------------------------


class ClassicCell(nn.Module):
    """The original tutorial RNN, kept for teaching.

    At each step the one-hot character and the previous hidden state are concatenated. One linear
    layer gives the next hidden state and another gives the output, followed by log-softmax.
    There is no non-linearity on the hidden state, exactly as in the tutorial.
    """

    def __init__(self, vocab_size: int, hidden_size: int, num_labels: int):
        super().__init__()
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.input_to_hidden = nn.Linear(vocab_size + hidden_size, hidden_size)
        self.input_to_output = nn.Linear(vocab_size + hidden_size, num_labels)

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        batch, steps = tokens.shape
        one_hot = F.one_hot(tokens, self.vocab_size).float()  # (B, T, V)
        hidden = tokens.new_zeros(batch, self.hidden_size, dtype=torch.float)  # (B, H)
        output = None
        for step in range(steps):
            combined = torch.cat([one_hot[:, step], hidden], dim=1)  # (B, V + H)
            active = (step < lengths).unsqueeze(1)  # (B, 1): padded steps keep the old state
            step_output = F.log_softmax(self.input_to_output(combined), dim=1)  # (B, L)
            hidden = torch.where(active, self.input_to_hidden(combined), hidden)
            output = step_output if output is None else torch.where(active, step_output, output)
        return output  # (B, L) log-probabilities, valid as logits


# ---------------------------------------------------------------------------------------------
# the general classifier
# ---------------------------------------------------------------------------------------------


class NameClassifier(nn.Module):
    """Map a padded batch of character ids (B, T) and lengths (B,) to logits (B, labels)."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        if config.cell == "classic":
            self.classic = ClassicCell(config.vocab_size, config.hidden_size, config.num_labels)
            return
        recurrent = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[config.cell]
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_size, padding_idx=0)
        self.rnn = recurrent(
            config.embedding_size,
            config.hidden_size,
            num_layers=config.num_layers,
            bidirectional=config.bidirectional,
            dropout=config.dropout if config.num_layers > 1 else 0.0,
            batch_first=True,
        )
        directions = 2 if config.bidirectional else 1
        summary_size = 2 * directions * config.hidden_size  # last states and max-pool over time
        if config.ngram_buckets:
            self.ngrams = nn.EmbeddingBag(config.ngram_buckets, config.ngram_size, mode="mean")
            summary_size += config.ngram_size
        self.dropout = nn.Dropout(config.dropout)
        self.output = nn.Linear(summary_size, config.num_labels)

    def encode(self, vocabulary: Vocabulary, names: list[str]) -> Inputs:
        """Encode raw names the way this model reads them (case folding, n-gram bag)."""
        config = self.config
        return encode_names(
            vocabulary, names, config.ngram_buckets, lowercase=config.lowercase, ngram_max=config.ngram_max
        )

    def forward(self, inputs: Inputs) -> torch.Tensor:
        tokens, lengths = inputs.tokens, inputs.lengths
        if self.config.cell == "classic":
            return self.classic(tokens, lengths)
        embedded = self.dropout(self.embedding(tokens))  # (B, T, E)
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        outputs, state = self.rnn(packed)
        hidden = state[0] if self.config.cell == "lstm" else state  # (layers * D, B, H)
        directions = 2 if self.config.bidirectional else 1
        last = hidden[-directions:].transpose(0, 1).reshape(tokens.shape[0], -1)  # (B, D * H)
        padded, _ = pad_packed_sequence(outputs, batch_first=True, padding_value=float("-inf"))
        pooled = padded.max(dim=1).values  # (B, D * H)
        parts = [last, pooled]
        if self.config.ngram_buckets:
            if inputs.ngram_ids is None:
                raise ValueError("this model reads an n-gram bag: encode names with model.encode(vocabulary, names)")
            parts.append(self.ngrams(inputs.ngram_ids, inputs.ngram_offsets))  # (B, N)
        summary = torch.cat(parts, dim=1)
        return self.output(self.dropout(summary))  # (B, L)


def count_parameters(model: nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())
