"""Desired against actual: the pure plan, ownership and identity, and the writes that apply it."""
