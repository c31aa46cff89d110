"""The resolved model: the config loaded once, with what task definitions and the account add."""

from monitor.resolved.load import Loaded, load

__all__ = ["Loaded", "load"]
