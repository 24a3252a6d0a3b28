"""``dateline serve``: the click command (registered in :mod:`dateline.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..annotate import AnnotationCache
from ..ingest import IngestError, IngestReport
from ..options import annotation_options, input_format_option, on_error_option, warn_file_only_options

__all__ = ["serve"]


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (0.0.0.0 exposes the app to your network).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--title", default="Dateline", show_default=True, help="Name shown at the top of the page.")
@input_format_option
@on_error_option
@annotation_options
def serve(path, host, port, title, input_format, on_error, cache_dir, no_cache, processes):
    """Browse the timeline of the corpus at PATH in a local web app, with a JSON API.

    PATH is a store made by 'dateline ingest' (its articles not yet
    annotated are annotated first) or anything 'dateline build' reads.
    Everything is served by the app itself: it works offline. The API is
    described at /openapi.json and in docs/api.md.

    \b
    Examples:
        dateline serve examples/af447                 # then open http://127.0.0.1:8000/
        dateline serve story.db --port 8080
        curl 'http://127.0.0.1:8000/api/timeline?query=libya&dates=10&format=markdown'
    """
    import uvicorn

    from ..store import is_store
    from .app import create_app
    from .load import load_corpus

    if is_store(path):
        warn_file_only_options(click.get_current_context(), path)

    report = IngestReport()
    try:
        corpus = load_corpus(
            path,
            input_format=input_format,
            on_error=on_error,
            cache=None if no_cache else AnnotationCache(cache_dir),
            processes=processes,
            progress=sys.stderr.isatty(),
            report=report,
        )
    except IngestError as e:
        raise click.ClickException(f"{e}\n(use --on-error skip to continue past bad records)") from None
    if report.read or report.skipped:
        click.echo(report.summary(), err=True)
    if len(corpus) == 0:
        raise click.ClickException(f"no usable articles under {path}")
    click.echo(f"serving {len(corpus)} articles on http://{host}:{port}/  (Ctrl+C stops)", err=True)
    app = create_app(corpus, title=title, prebuild=True)  # the first page view is then served from cache
    uvicorn.run(app, host=host, port=port, log_level="warning")
