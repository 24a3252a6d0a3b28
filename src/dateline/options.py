"""Click options and checks shared by the ``dateline`` commands (:mod:`dateline.cli`, :mod:`dateline.web.command`).

They live apart from both so that neither command module imports the other.
"""

from __future__ import annotations

import functools
import os
from datetime import date
from pathlib import Path
from typing import Any

import click

from .ingest import FORMATS

__all__ = [
    "FILE_ONLY_OPTIONS",
    "annotation_options",
    "corpus_options",
    "input_format_option",
    "is_columnar",
    "iso_date",
    "on_error_option",
    "open_columnar",
    "output_options",
    "warn_file_only_options",
]


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """Click callback: a ``YYYY-MM-DD`` option value as a date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


input_format_option = click.option(
    "--input-format",
    type=click.Choice(sorted(FORMATS)),
    help="Format of PATH; detected from the file names when omitted.",
)
on_error_option = click.option(
    "--on-error",
    type=click.Choice(["fail", "skip"]),
    default="fail",
    show_default=True,
    help="On a bad record: stop, or skip it and report the count and reasons at the end.",
)


def corpus_options(fn):
    """Options shared by every command that reads articles."""

    @click.argument("path", type=click.Path(exists=True, path_type=Path))
    @input_format_option
    @on_error_option
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def annotation_options(fn):
    """Options that control annotation: cache and parallelism."""

    @click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Where annotations are cached (default: $DATELINE_CACHE or ~/.cache/dateline).",
    )
    @click.option("--no-cache", is_flag=True, help="Annotate everything afresh and cache nothing.")
    @click.option(
        "-j",
        "--processes",
        type=click.IntRange(min=1),
        default=os.cpu_count() or 1,
        show_default="number of CPUs",
        help="Processes used to annotate articles not yet in the cache.",
    )
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def output_options(fn):
    """``-o FILE``: where results go (stdout by default)."""

    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write the result to FILE instead of standard output.",
    )
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


# Options that only concern reading and annotating files: a store has read and annotated its
# articles already (it is their cache).
FILE_ONLY_OPTIONS = ("input_format", "on_error", "cache_dir", "no_cache")


def warn_file_only_options(ctx: click.Context, path: Path, kind: str = "store") -> None:
    """Say on stderr which options given on the command line a store (or columnar corpus) at ``path`` ignores."""
    given = [
        p.opts[0]
        for p in ctx.command.params
        if p.name in FILE_ONLY_OPTIONS and ctx.get_parameter_source(p.name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        click.echo(
            f"warning: {', '.join(given)} {'does' if len(given) == 1 else 'do'} not apply to the {kind} {path} "
            "(it holds its articles read and annotated); ignored",
            err=True,
        )


def is_columnar(path: Path) -> bool:
    """True when ``path`` is a columnar (Parquet) corpus folder."""
    # The layout module needs no extra; only opening the corpus needs DuckDB.
    from .columnar.layout import is_columnar as columnar

    return columnar(path)


def open_columnar(path: Path) -> Any:
    """Open the columnar corpus at ``path``; a missing extra, another layout or an empty corpus becomes a one-line
    CLI error."""
    from .columnar.layout import SchemaError as LayoutError

    try:
        from .columnar import ParquetCorpus

        corpus = ParquetCorpus(path)
    except ImportError as e:
        raise click.ClickException(
            f"{path} is a columnar corpus, which needs: pip install 'dateline[scale]' ({e})"
        ) from None
    except LayoutError as e:
        raise click.ClickException(str(e)) from None
    if not len(corpus):
        others = f" (it holds annotations by {', '.join(corpus.other_versions)})" if corpus.other_versions else ""
        corpus.close()
        raise click.ClickException(
            f"{path} holds no articles annotated by this Dateline's annotator{others}; "
            f"annotate them with: dateline annotate PATH... --out {path}"
        )
    return corpus
