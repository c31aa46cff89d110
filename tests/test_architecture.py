"""The layers of pyproject.toml's import-linter contracts hold, with no import cycle anywhere, and
every module under monitor/ imports on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def modules() -> list[str]:
    return sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                  for p in (ROOT / "monitor").rglob("*.py"))


def test_the_layer_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_import_cycle_counting_imports_inside_functions():
    graph = grimp.build_graph("monitor", cache_dir=None)   # grimp reads every import statement, nested too
    cycles = [(a, b) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)
              if b != a and b in graph.modules and graph.chain_exists(importer=b, imported=a)]
    assert cycles == []


def test_every_module_imports_on_its_own():
    """Each in a fresh import of the package graph: monitor's modules are dropped before each one."""
    script = (
        "import importlib, sys, traceback\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m == 'monitor' or m.startswith('monitor.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        failed.append(name + ': ' + traceback.format_exc(limit=-1).strip().splitlines()[-1])\n"
        "print('\\n'.join(failed))\n")
    names = modules()
    assert len(names) > 100
    result = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
