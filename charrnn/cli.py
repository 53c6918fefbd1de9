"""Command line: `python -m charrnn train | predict | evaluate | download-data`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from .checkpoint import CheckpointError, save_checkpoint
from .data import DataError, load_dataset, split_dataset
from .download import DATA_URL, DownloadError, download_names
from .metrics import summarize
from .model import CELLS, ModelConfig, count_parameters
from .answer import answer_name
from .batch import answer_rows, answers_table, read_names_file
from .pipeline import evaluate_predictor, finish_training, make_trainer
from .predict import Predictor
from .train import SCHEDULES, TrainConfig

log = logging.getLogger("charrnn")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHECKPOINT = PROJECT_ROOT / "checkpoints" / "default.pt"


def default_data_path() -> str:
    """Return `CHARRNN_DATA` if set, else `data/names`."""
    return os.environ.get("CHARRNN_DATA") or "data/names"


# ---------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------


def command_train(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.data)
    split = split_dataset(dataset, args.split_seed)
    log.info("split seed %d: %d train, %d validation, %d test pairs",
             args.split_seed, len(split.train), len(split.validation), len(split.test))

    model_config = ModelConfig(
        cell=args.cell, hidden_size=args.hidden_size, num_layers=args.layers,
        bidirectional=args.bidirectional, dropout=args.dropout, embedding_size=args.embedding_size,
        ngram_buckets=args.ngram_buckets, ngram_size=args.ngram_size, lowercase=args.lowercase,
    )
    train_config = TrainConfig(
        epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr, optimizer=args.optimizer,
        class_balanced=args.class_balanced, patience=args.patience, seed=args.seed,
        schedule=args.schedule, ema_decay=args.ema_decay, threads=args.threads,
    )

    trainer = make_trainer(dataset, split, model_config, train_config)  # Trainer.run sets the threads
    log.info("model: %d parameters, %d characters", count_parameters(trainer.model), len(trainer.vocabulary))
    started = time.perf_counter()
    try:
        for _ in trainer.run():
            pass
    except KeyboardInterrupt:
        log.warning("interrupted: keeping the best model so far")

    result = trainer.result()
    predictor, evaluation = finish_training(result, dataset, split, args.split_seed, data_source=str(args.data))
    log.info("trained in %.1f s; best epoch %.1f; temperature %.2f",
             time.perf_counter() - started, result.best_epoch, predictor.temperature)
    log.info("test: %s", summarize(evaluation.metrics))
    path = save_checkpoint(predictor.checkpoint_payload(), args.out)
    print(f"saved {path}")
    return 0


def command_predict(args: argparse.Namespace) -> int:
    predictor = Predictor.from_checkpoint(args.checkpoint)
    if args.file:
        table = answers_table(answer_rows(predictor, read_names_file(args.file), k=args.top), k=args.top)
        table.to_csv(args.output or sys.stdout, index=False)
        failed = int((table["error"] != "").sum())
        log.info("%d names scored, %d rows with an error", len(table) - failed, failed)
        return 0
    if not args.names:
        raise ValueError("give one or more names, or --file PATH")
    status = 0
    for text in args.names:
        print(f"> {text}")
        try:
            answer = answer_name(predictor, text, k=args.top)
            for prediction in answer.predictions:
                print(prediction.tutorial_line())
            if answer.source == "script":
                log.info("%s: decided by its %s script; the network ranked the candidates on %r",
                         text, answer.script, answer.model_input)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
    return status


def command_evaluate(args: argparse.Namespace) -> int:
    predictor = Predictor.from_checkpoint(args.checkpoint)
    trained_on = predictor.metadata.get("split_seed")
    split_seed = trained_on if args.split_seed is None else args.split_seed
    if trained_on is not None and split_seed != trained_on:
        raise SystemExit(
            f"error: {args.checkpoint} was trained on split seed {trained_on}; its test split under seed "
            f"{split_seed} holds names it trained on. Train with --split-seed {split_seed} to evaluate that split."
        )
    dataset = load_dataset(args.data)
    evaluation = evaluate_predictor(predictor, split_dataset(dataset, split_seed).test, dataset)
    if args.json:
        print(json.dumps({**evaluation.metrics, "split_seed": split_seed, "checkpoint": str(args.checkpoint)}))
        return 0
    print(f"test split (seed {split_seed}): {summarize(evaluation.metrics)}; {evaluation.metrics['n_test']} pairs")
    print(evaluation.per_label.to_string(index=False, float_format=lambda value: f"{value:.3f}"))
    print("most confused (gold -> predicted):")
    for gold, predicted, count in evaluation.confused_pairs:
        print(f"  {gold:>12} -> {predicted:<12} {count}")
    return 0


def command_download(args: argparse.Namespace) -> int:
    path = download_names(args.dest, args.url)
    print(f"saved {path}")
    return 0


# ---------------------------------------------------------------------------------------------
# argument parsing
# ---------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m charrnn", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(dest="command", required=True)
    data_help = "a folder of <Label>.txt files, a .csv with name,label columns or a .zip (default: $CHARRNN_DATA, then data/names)"

    train = commands.add_parser("train", help="train a model and save a checkpoint")
    train.add_argument("--data", default=default_data_path(), help=data_help)
    train.add_argument("--out", type=Path, default=DEFAULT_CHECKPOINT, help="checkpoint path to write")
    train.add_argument("--cell", choices=CELLS, default=ModelConfig.cell)
    train.add_argument("--hidden-size", type=int, default=ModelConfig.hidden_size, help="hidden units per direction")
    train.add_argument("--embedding-size", type=int, default=ModelConfig.embedding_size)
    train.add_argument("--layers", type=int, default=ModelConfig.num_layers)
    train.add_argument("--bidirectional", action=argparse.BooleanOptionalAction, default=ModelConfig.bidirectional)
    train.add_argument("--dropout", type=float, default=ModelConfig.dropout)
    train.add_argument("--ngram-buckets", type=int, default=ModelConfig.ngram_buckets,
                       help="hash buckets of the character n-gram bag; 0 turns it off")
    train.add_argument("--ngram-size", type=int, default=ModelConfig.ngram_size, help="width of the n-gram bag embedding")
    train.add_argument("--lowercase", action=argparse.BooleanOptionalAction, default=ModelConfig.lowercase,
                       help="read names lower-cased")
    train.add_argument("--epochs", type=int, default=TrainConfig.epochs, help="maximum epochs")
    train.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    train.add_argument("--lr", type=float, default=TrainConfig.learning_rate, help="learning rate")
    train.add_argument("--optimizer", choices=("adamw", "sgd"), default=TrainConfig.optimizer)
    train.add_argument("--schedule", choices=SCHEDULES, default=TrainConfig.schedule,
                       help="learning-rate schedule over all planned steps")
    train.add_argument("--ema-decay", type=float, default=TrainConfig.ema_decay,
                       help="keep an exponential moving average of the weights with this decay; 0 turns it off")
    train.add_argument("--class-balanced", action="store_true", help="weight the loss by inverse label frequency")
    train.add_argument("--patience", type=int, default=TrainConfig.patience,
                       help="epochs without better validation macro-F1 before stopping; 0 disables")
    train.add_argument("--seed", type=int, default=TrainConfig.seed, help="seed for weights and batch order")
    train.add_argument("--split-seed", type=int, default=0, help="seed of the train/validation/test split")
    train.add_argument("--threads", type=int, default=TrainConfig.threads,
                       help="torch intra-op threads; 0 keeps torch's default")
    train.set_defaults(handler=command_train)

    predict = commands.add_parser("predict", help="print the top categories of names")
    predict.add_argument("names", nargs="*", metavar="NAME")
    predict.add_argument("--file", type=Path, help="a .csv with a 'name' column or a .txt with one name per line")
    predict.add_argument("--output", type=Path, help="with --file: write the CSV table here instead of stdout")
    predict.add_argument("--top", type=int, default=3, help="how many categories to print")
    predict.add_argument("--checkpoint", type=Path, default=DEFAULT_CHECKPOINT)
    predict.set_defaults(handler=command_predict)

    evaluate = commands.add_parser("evaluate", help="test-split figures of a checkpoint")
    evaluate.add_argument("--data", default=default_data_path(), help=data_help)
    evaluate.add_argument("--checkpoint", type=Path, default=DEFAULT_CHECKPOINT)
    evaluate.add_argument("--split-seed", type=int, default=None,
                          help="split seed; must be the one the checkpoint was trained on (default: that one)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=command_evaluate)

    download = commands.add_parser("download-data", help="fetch and verify the tutorial's names data")
    download.add_argument("--dest", type=Path, default=Path("data/names"), help="folder to write the 18 files to")
    download.add_argument("--url", default=DATA_URL, help="address of data.zip")
    download.set_defaults(handler=command_download)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    try:
        return args.handler(args)
    except (DataError, CheckpointError, DownloadError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
