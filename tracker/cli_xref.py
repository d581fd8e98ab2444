"""`tracker xref ...`: rebuild vectors and suggestions, check a text, extract numbers, evaluate."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import cli_options
from tracker.cli_progress import progress
from tracker.extensions import db, xref_engine


@click.group("xref")
def xref_group() -> None:
    """Cross-referencing: vectors, suggestions, checks and measured quality."""


@xref_group.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute vectors and suggestions for everything (resumable: run it again after a stop)."""
    from tracker.services.indexing import rebuild_all
    from tracker.xref.engine import rebuild
    from tracker.xref.store import count_live

    started = time.perf_counter()
    indexed = rebuild_all(db.session, parallel=True)
    db.session.commit()
    click.echo("Full-text index: " + ", ".join(f"{n:,} {k}s" for k, n in indexed.items()))
    # Vectors for every live article, figure total and claim, then suggestions per claim:
    # the same records `rebuild` walks, so the bar ends at 100%.
    counts = {kind: count_live(db.session, kind) for kind in ("article", "figure", "claim")}
    total = sum(counts.values()) + counts["claim"]
    try:
        with progress(total, "Vectors and suggestions") as advance:
            counts = rebuild(db.session, xref_engine(), progress=advance)
    except KeyboardInterrupt:
        db.session.rollback()
        click.echo("\nStopped. What was done is kept: run `tracker xref rebuild` again to go on.")
        sys.exit(130)
    click.echo(
        f"Encoded {counts['article']:,} articles, {counts['figure']:,} figures and "
        f"{counts['claim']:,} claims; {counts['suggestions']:,} new suggestions "
        f"({time.perf_counter() - started:.1f} s)."
    )


@xref_group.command("check")
@click.argument("text")
@click.option(
    "--lang",
    default=None,
    callback=cli_options.language,
    help="The text's language (detected when left out).",
)
@with_appcontext
def check_command(text: str, lang: str | None) -> None:
    """Print, as JSON, the debunks, claims and figure checks that match TEXT."""
    from tracker.xref.report import check_report

    report = check_report(db.session, xref_engine(), text, lang)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))


@xref_group.command("quantities")
@click.argument("text")
@click.option("--lang", default=None, callback=cli_options.language)
def quantities_command(text: str, lang: str | None) -> None:
    """Print, as JSON, the quantities and the period found in TEXT."""
    from tracker.xref.report import quantities_report

    click.echo(json.dumps(quantities_report(text, lang), ensure_ascii=False, indent=2))


@xref_group.command("eval")
@click.option("--corpus", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--queries", required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--qrels",
    default=None,
    type=click.Path(exists=True, path_type=Path),
    help="Not needed when the JSONL queries name their target.",
)
@click.option("--lang", default="en", show_default=True, help="Language of TSV queries.")
@click.option(
    "--database",
    default=None,
    type=click.Path(path_type=Path),
    help="Keep the scratch database here; the next run brings it up to date and reuses it.",
)
@click.option("--modes", default="lexical,semantic,fused", show_default=True)
@click.option(
    "--query-cache",
    default=None,
    type=click.Path(path_type=Path),
    help="Keep query vectors in this file between runs (times then exclude their encoding).",
)
@click.option("--lexical-weight", type=float, default=None)
@click.option("--semantic-weight", type=float, default=None)
@with_appcontext
def eval_command(
    corpus: Path,
    queries: Path,
    qrels: Path | None,
    lang: str,
    database: Path | None,
    modes: str,
    query_cache: Path | None,
    lexical_weight: float | None,
    semantic_weight: float | None,
) -> None:
    """Index a corpus in a scratch database, run the queries, print MAP@5, MRR, S@k, times."""
    from tracker.xref.engine import settings_from_config
    from tracker.xref.evaluation import evaluate, format_table, threshold_table
    from tracker.xref.matching import SUGGEST_MIN_SCORE

    settings = settings_from_config(current_app.config)
    if lexical_weight is not None:
        settings = replace(settings, lexical_weight=lexical_weight)
    if semantic_weight is not None:
        settings = replace(settings, semantic_weight=semantic_weight)
    semantic = settings.semantic
    click.echo(
        f"Backend {settings.backend}; weights lexical {settings.lexical_weight}, "
        f"semantic {settings.semantic_weight}; long queries from {semantic.long_query_chars} "
        f"characters: {semantic.long_strategy}, centering short {semantic.center_short}, "
        f"long {semantic.center_long}; names across languages {settings.cross_language_names}",
        err=True,
    )
    started = time.perf_counter()
    results = evaluate(
        corpus,
        queries,
        qrels,
        lang=lang,
        settings=settings,
        database=database,
        modes=tuple(m.strip() for m in modes.split(",") if m.strip()),
        progress=lambda message: click.echo(message, err=True),
        query_cache=query_cache,
    )
    click.echo(format_table(results))
    levels = threshold_table(results)
    if levels:
        suggested = current_app.config.get("XREF_SUGGEST_MIN_SCORE", SUGGEST_MIN_SCORE)
        click.echo(
            f"\nThresholds now: shown from {settings.min_score}, suggested from {suggested}\n"
            + levels
        )
    click.echo(f"({time.perf_counter() - started:.0f} s)", err=True)
    sys.stdout.flush()


COMMANDS = [xref_group]
