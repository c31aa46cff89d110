"""Shared fixtures. Tests never reach real AWS: fake credentials, and no profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
for _key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(_key, None)
os.environ.update(FAKE_ENV)
# An empty config file, so no profile of the machine's user can leak in.
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull


@pytest.fixture
def example_config() -> Path:
    return ROOT / "config.example.yaml"


@pytest.fixture
def write_config(tmp_path):
    """Write a YAML text to a file in a fresh folder and return its path."""
    def write(text: str, name: str = "monitor.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path
    return write


@pytest.fixture(scope="session")
def emulator():
    """One real emulator process (moto's ThreadedMotoServer, corrected) for every end-to-end test.

    moto keeps one state per process, so each test works in a Region of its own.
    """
    from monitor.emulator.server import start
    with start("us-east-1") as running:
        yield running
