"""``ptsp nlu …``: train, parse and evaluate the embedded NLU from the command line."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

import typer

from nlu.embedded import EmbeddedParser
from nlu.entities import EntityExtractor
from nlu.factory import build_parser
from nlu.model_store import load, model_key, model_path, save, train
from nlu.settings import NluSettings
from nlu.training_data import load_examples
from nlu.types import NluError, NluParser

__all__ = ["app"]

app = typer.Typer(
    help="Embedded NLU: train, parse, evaluate.", no_args_is_help=True, add_completion=False
)

NowOption = Annotated[
    str | None,
    typer.Option("--now", help="Reference time for relative dates (ISO 8601)."),
]
ModelOption = Annotated[
    Path | None,
    typer.Option("--model", help="Use this model file (from `train --out`)."),
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _settings() -> NluSettings:
    try:
        return NluSettings.from_env()
    except NluError as exc:
        _fail(str(exc))


def _now(value: str | None, tz: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"not an ISO 8601 date-time: {value!r}", param_hint="--now"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


def _parser(settings: NluSettings, model: Path | None, backend: str | None = None) -> NluParser:
    try:
        lexicon = settings.lexicon()
        if model is not None:
            loaded = load(model)
            if loaded is None:
                _fail(f"cannot load model {model}")
            return EmbeddedParser(loaded, EntityExtractor(lexicon, settings.tz), settings.tz)
        return build_parser(
            backend or settings.backend,
            data_dir=settings.data_dir,
            training_dir=settings.training_dir,
            lexicon=lexicon,
            tz=settings.tz,
            rasa_url=settings.rasa_url,
            rasa_timeout=settings.rasa_timeout,
        )
    except NluError as exc:
        _fail(str(exc))


@app.command("train")
def train_command(
    data: Annotated[Path | None, typer.Option("--data", help="Rasa YAML training data.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Model file to write.")] = None,
) -> None:
    """Train the embedded model from Rasa-format YAML."""
    settings = _settings()
    data = data or settings.training_dir
    try:
        lexicon = settings.lexicon()
        examples = load_examples(data)
        key = model_key(data, lexicon)
        model = train(examples, EntityExtractor(lexicon, settings.tz), key=key)
        target = out or model_path(settings.data_dir, key)
        save(model, target)
    except (NluError, OSError) as exc:
        _fail(str(exc))
    typer.echo(
        f"trained on {model.examples} examples, {len(model.intents)} intents "
        f"in {model.seconds:.1f}s -> {target}"
    )


async def _parse_stream(parser: NluParser, lines: Iterable[str], now: datetime | None) -> None:
    try:
        for line in lines:
            result = await parser.aparse(line.rstrip("\r\n"), now)
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        close = getattr(parser, "aclose", None)
        if close is not None:
            await close()


@app.command("parse")
def parse_command(
    text: Annotated[str, typer.Argument(help="The message, or - to read one per line.")],
    now: NowOption = None,
    model: ModelOption = None,
    backend: Annotated[
        str | None, typer.Option("--backend", help="embedded or rasa (PTSP_NLU_BACKEND).")
    ] = None,
) -> None:
    """Print the parse result of a message as JSON (one per line with `-`)."""
    settings = _settings()
    moment = _now(now, settings.tz)
    parser = _parser(settings, model, backend)
    lines: Iterable[str] = sys.stdin if text == "-" else [text]
    asyncio.run(_parse_stream(parser, lines, moment))


@app.command("evaluate")
def evaluate_command(
    file: Annotated[Path, typer.Argument(help="Rasa-format test data (YAML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    now: NowOption = None,
    model: ModelOption = None,
    cv: Annotated[
        int | None,
        typer.Option(
            "--cv",
            min=2,
            help="Cross-validate with K folds instead: FILE (or a directory) is training data.",
        ),
    ] = None,
) -> None:
    """Score the embedded model against annotated test data (or cross-validate)."""
    from nlu.evaluate import cross_validate, entity_mismatches, evaluate

    settings = _settings()
    moment = _now(now, settings.tz)
    try:
        examples = load_examples(file)
    except NluError as exc:
        _fail(str(exc))
    if cv is not None:
        try:
            lexicon = settings.lexicon()
        except NluError as exc:
            _fail(str(exc))
        result = cross_validate(examples, lexicon, settings.tz, folds=cv, now=moment)
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
        else:
            for i, fold in enumerate(result["per_fold"], 1):
                typer.echo(
                    f"fold {i}: intent accuracy {fold['intent_accuracy']:.4f}  "
                    f"entity F1 {fold['entity_f1']:.4f}  baseline {fold['baseline_accuracy']:.4f}"
                )
            typer.echo(
                f"{cv}-fold CV: intent accuracy {result['intent_accuracy']:.4f}  "
                f"entity F1 {result['entity_f1']:.4f}  "
                f"sparse baseline {result['baseline_accuracy']:.4f}"
            )
        return
    parser = _parser(settings, model, "embedded")
    report = evaluate(parser, examples, moment)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    _print_report(report, entity_mismatches(parser, examples, moment))


def _print_report(report: dict[str, Any], mismatches: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Intents")
    for column in ("intent", "precision", "recall", "f1", "support"):
        table.add_column(column, justify="left" if column == "intent" else "right")
    for name, row in report["per_intent"].items():
        table.add_row(
            name,
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            str(row["support"]),
        )
    console.print(table)
    console.print(
        f"intent accuracy {report['intent_accuracy']:.4f}  "
        f"macro F1 {report['intent_macro_f1']:.4f}  entity F1 {report['entity_f1']:.4f}"
    )
    if report["errors"]:
        errors = Table(title=f"Misclassified ({len(report['errors'])})")
        for column in ("text", "expected", "predicted"):
            errors.add_column(column)
        for err in report["errors"]:
            errors.add_row(err["text"], err["expected"], err["predicted"])
        console.print(errors)
    if mismatches:
        ents = Table(title=f"Entity mismatches ({len(mismatches)})")
        for column in ("text", "missing", "extra"):
            ents.add_column(column)
        for m in mismatches:
            ents.add_row(m["text"], _pairs(m["missing"]), _pairs(m["extra"]))
        console.print(ents)


def _pairs(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"{e}={v}" for e, v in pairs)


if __name__ == "__main__":
    app()
