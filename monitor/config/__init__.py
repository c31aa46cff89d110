"""The config file: YAML with marks, structure, fields and references, each a layer of its own.

Loading the whole (catalogues, presets, dashboards) is monitor.resolved.load.
"""

from __future__ import annotations

from pathlib import Path as FilePath

DEFAULT_FILES = ("monitor.yaml", "config.yaml")


def default_path() -> str:
    """`monitor.yaml`, else `config.yaml`, in the working directory."""
    return next((name for name in DEFAULT_FILES if FilePath(name).exists()), DEFAULT_FILES[0])
