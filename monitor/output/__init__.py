"""Renderers: results in, text or JSON out. Pure: only the CLI prints."""
