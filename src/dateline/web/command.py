"""``dateline serve``: the click command (registered in :mod:`dateline.cli`)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import click

from ..annotate import AnnotationCache
from ..ingest import IngestError, IngestReport
from ..options import (
    annotation_options,
    input_format_option,
    is_columnar,
    on_error_option,
    open_columnar,
    warn_file_only_options,
)

__all__ = ["bind", "serve"]

PROGRESS_EVERY = 5.0  # seconds between two progress lines while the corpus loads


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; OSError when the address is taken or cannot be used."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[
        0
    ]
    sock = socket.socket(family, kind, proto)
    try:
        # As uvicorn does: a restarted server may reuse a port left in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on the bound ``sock`` until Ctrl+C (a seam the tests replace)."""
    import uvicorn

    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def _report_progress(live: Any, stop: threading.Event) -> None:
    """One line on stderr every few seconds while the corpus is annotated (a bar on a TTY would fight the log)."""
    while not stop.wait(PROGRESS_EVERY):
        status = live.status()
        if status.state != "loading":
            if status.state == "ready":
                click.echo(f"ready: {status.articles} articles", err=True)
            else:
                click.echo(f"error: {status.error}", err=True)
            return
        click.echo(f"annotating: {status.done} of {status.total} articles", err=True)


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
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (repeatable; '*' for any). By default only "
    "127.0.0.1, localhost, [::1] and the --host value are answered, against DNS rebinding.",
)
@input_format_option
@on_error_option
@annotation_options
def serve(path, host, port, title, allowed_hosts, input_format, on_error, cache_dir, no_cache, processes):
    """Browse the timeline of the corpus at PATH in a local web app, with a JSON API.

    PATH is a store made by 'dateline ingest' or anything 'dateline build'
    reads. The server listens at once and annotates meanwhile (the page
    and /api/status show the progress); a store keeps being watched, so
    articles ingested while it is served appear without a restart.
    Everything is served by the app itself: it works offline. The API is
    described at /openapi.json and in docs/api.md.

    \b
    Examples:
        dateline serve examples/af447                 # then open http://127.0.0.1:8000/
        dateline serve story.db --port 8080
        dateline serve story.db --host 0.0.0.0 --allowed-host newsroom.local
        curl 'http://127.0.0.1:8000/api/timeline?query=libya&dates=10&format=markdown'
    """
    from ..store import is_store
    from .app import allowed_hosts_for, create_app
    from .live import LiveCorpus
    from .load import live_corpus

    report = IngestReport()
    if is_columnar(path):
        warn_file_only_options(click.get_current_context(), path, "columnar corpus")
        # Opened here rather than by live_corpus: a missing extra or an empty corpus is then one line.
        live = LiveCorpus(open_columnar(path), processes=processes, owns=True)
    else:
        if is_store(path):
            warn_file_only_options(click.get_current_context(), path)
        try:
            live = live_corpus(
                path,
                input_format=input_format,
                on_error=on_error,
                cache=None if no_cache else AnnotationCache(cache_dir),
                processes=processes,
                report=report,
            )
        except IngestError as e:
            raise click.ClickException(f"{e}\n(use --on-error skip to continue past bad records)") from None
    if report.read or report.skipped:
        click.echo(report.summary(), err=True)
    status = live.status()
    if status.state == "loading" and status.total == 0 and live.store is None:
        raise click.ClickException(f"no usable articles under {path}")

    try:
        sock = bind(host, port)
    except OSError as e:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {e.strerror or e}; choose another --port or --host"
        ) from None
    root = path if path.is_dir() else path.parent
    app = create_app(
        live,
        title=title,
        prebuild=True,  # the first page view is then served from cache
        allowed_hosts=allowed_hosts_for(host, allowed_hosts),
        root=root,
        build_processes=True,
    )
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    what = f"{status.articles} articles" if status.state == "ready" else f"annotating {status.total} articles"
    click.echo(f"serving {what} on http://{shown}:{bound}/  (Ctrl+C stops)", err=True)
    stop = threading.Event()
    if status.state == "loading":
        threading.Thread(target=_report_progress, args=(live, stop), daemon=True).start()
    try:
        run(app, sock)
    finally:
        stop.set()
