"""A printable, self-contained HTML page of a timeline (no script, no external asset).

Article text is untrusted: everything is escaped with :func:`html.escape` and
only http(s) URLs become links.
"""

from __future__ import annotations

import html

from ..model import SentenceRef, Timeline
from .timelinejs import safe_url
from .wording import plural, summary, title

__all__ = ["to_html"]

_STYLE = """
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; margin-bottom: .2em; }
.about { color: #555; margin-top: 0; }
section { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #ccc; padding: .4em 0; }
h2 { font-size: 1.1em; margin: .3em 0; }
.precision, .corroboration { font: 9pt sans-serif; color: #555; margin-left: .6em; }
blockquote { margin: .3em 0 .6em 1em; }
cite { display: block; font: 9pt sans-serif; color: #555; font-style: normal; }
a { color: inherit; }
@media print { body { margin: 0; max-width: none; } a { text-decoration: none; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cite(ref: SentenceRef) -> str:
    name = _e(ref.title or ref.article_name or ref.article_id)
    link = safe_url(ref.url)
    if link:
        name = f'<a href="{_e(link)}" rel="noopener noreferrer">{name}</a>'
    parts = [p for p in (_e(ref.source) if ref.source else "", name, f"published {_e(ref.published.isoformat())}") if p]
    parts.append(f"article {_e(ref.article_id)}, sentence {ref.sentence_index}")
    return " · ".join(parts)


def to_html(timeline: Timeline) -> str:
    """One HTML page: a heading per date with its precision and corroboration, each sentence with its source."""
    heading = title(timeline)
    about = summary(timeline)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)}</title>",
        f"<style>{_STYLE}</style>",
        "</head><body>",
        f"<h1>{_e(heading)}</h1>",
        f'<p class="about">{_e(about)}</p>',
    ]
    for entry in timeline.entries:
        k = entry.corroboration
        out.append(f'<section id="date-{_e(entry.label)}">')
        out.append(
            f'<h2><time datetime="{_e(entry.label)}">{_e(entry.label)}</time>'
            f'<span class="precision">{_e(entry.precision.value)}</span>'
            f'<span class="corroboration">{plural(k, "article")}</span></h2>'
        )
        for ref in entry.sentences:
            out.append(f"<blockquote>{_e(ref.display)}<cite>{_cite(ref)}</cite></blockquote>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
