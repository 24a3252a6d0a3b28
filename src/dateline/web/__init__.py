"""The web app and HTTP API over a corpus (``dateline serve``); needs fastapi and uvicorn.

Names are imported on first use, so the CLI can register ``serve`` without
paying for FastAPI's import on every other command.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["STATIC_DIR", "LiveCorpus", "create_app", "live_corpus", "load_corpus"]

_WHERE = {
    "create_app": ".app",
    "STATIC_DIR": ".app",
    "load_corpus": ".load",
    "live_corpus": ".load",
    "LiveCorpus": ".live",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name], __name__), name)
