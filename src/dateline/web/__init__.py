"""The web app and HTTP API over a corpus (``dateline serve``); needs fastapi and uvicorn."""

from .app import STATIC_DIR, create_app
from .load import StoreUnavailable, load_corpus

__all__ = ["create_app", "load_corpus", "StoreUnavailable", "STATIC_DIR"]
