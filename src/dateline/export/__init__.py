"""Exporting timelines."""

from .formats import EXPORTERS, render, to_json, to_markdown, to_newstls, to_tilse

__all__ = ["EXPORTERS", "render", "to_json", "to_markdown", "to_newstls", "to_tilse"]
