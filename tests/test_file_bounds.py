"""Bounded work on bad files: the size is checked before parsing, and nodes are counted while composing.

A log or a dump given as the config, or dropped into task-definitions/, is refused at once with a
word on what it seems to be, whatever its size; the large files here are sparse, so they cost no disk.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from monitor import bounded
from monitor.cli import main
from monitor.config import yamlfile
from monitor.taskdefs import files as taskfiles

BOUND = 1.0   # seconds: the bound is checked on at most 512 KiB + 1 bytes, never on the whole file
LOG_LINE = b"2024-05-01T12:00:00.412Z INFO GET /api/orders 200 12ms request_id=4f1c\n"
CONFIG = "version: 1\nclusters:\n  - name: honban\n    services:\n      - name: web\n        task_definition: web\n" \
         "        containers:\n          - {name: app, log_group: /ecs/web}\n"


def sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of `size` bytes that starts with `head` (the rest is a hole)."""
    with open(path, "wb") as stream:
        stream.write(head)
        stream.truncate(size)
    return path


KINDS = [
    ("app.log", LOG_LINE * 60, 6_000_000, "looks like a log"),
    ("dump.json", json.dumps([{"id": n, "name": f"item-{n}"} for n in range(200)]).encode(), 54_000_000,
     "looks like a JSON document"),
    ("core.bin", b"\x7fELF\x02\x01\x01\0" + bytes(range(256)) * 8, 6_000_000, "binary data"),
    ("events.jsonl", b'{"level": "info", "msg": "started"}\n' * 200, 6_000_000, "log of JSON lines"),
]


@pytest.mark.parametrize("name, head, size, said", KINDS, ids=[k[0] for k in KINDS])
def test_a_large_file_as_the_config_is_refused_at_once_saying_what_it_seems_to_be(tmp_path, capsys, name, head,
                                                                                  size, said):
    path = sparse(tmp_path / name, head, size)
    started = time.perf_counter()
    code = main(["validate", "-c", str(path)])
    took = time.perf_counter() - started
    out = capsys.readouterr().out
    assert code == 1 and out.startswith(f"{path}:1:1: error: CFG-009 (top level): the file has ") and said in out, out
    assert "at most 512 KiB" in out and "Traceback" not in out
    assert took < BOUND


def test_an_endless_file_is_refused_after_reading_the_bound(tmp_path):
    with pytest.raises(bounded.TooLarge, match="is larger than 512 KiB and seems to be binary data"):
        bounded.read_text("/dev/zero", yamlfile.MAX_BYTES, "a config")


def test_nodes_are_counted_while_composing(tmp_path):
    """Under the size bound, but more nodes than a config: refused where the count passes the bound."""
    items = ",".join(["1"] * (yamlfile.MAX_WRITTEN + 5000))
    path = tmp_path / "many.yaml"
    path.write_text(f"version: 1\nx-many: [{items}]\n")
    _, problems = yamlfile.load(path)
    [problem] = problems
    assert problem.message == f"the document has more than {yamlfile.MAX_WRITTEN} nodes; a config has a few hundred"
    assert (problem.mark.line, problem.mark.column) == (2, 10 + 2 * (yamlfile.MAX_WRITTEN - 5))   # node 25,001


def test_a_config_under_the_bounds_still_loads(tmp_path):
    path = tmp_path / "monitor.yaml"
    path.write_text(CONFIG + "x-padding: '" + "x" * 400_000 + "'\n")
    assert main(["validate", "-c", str(path)]) == 0


@pytest.mark.parametrize("name, head, size, said", KINDS[:3], ids=[k[0] for k in KINDS[:3]])
def test_a_large_file_in_task_definitions_is_refused_at_its_name(tmp_path, capsys, name, head, size, said):
    config = tmp_path / "monitor.yaml"
    config.write_text(CONFIG)
    (tmp_path / "task-definitions").mkdir()
    path = sparse(tmp_path / "task-definitions" / "web.json", head, size)
    started = time.perf_counter()
    code = main(["validate", "-c", str(config)])
    out = capsys.readouterr().out
    assert code == 1 and f"{path}:1:1: error: TSK-006 (top level): the file has " in out and said in out, out
    assert "a task definition is a few kilobytes, and at most 1 MiB is read" in out
    assert time.perf_counter() - started < 3 * BOUND


def test_review_refuses_a_large_task_definition_file_in_one_line(tmp_path, capsys, example_config):
    path = sparse(tmp_path / "web.json", LOG_LINE * 60, 6_000_000)
    code = main(["review", "-c", str(example_config), "--task-definitions", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"error: {path}:1:1: the file has ") and err.count("\n") == 1


def test_a_task_definition_that_is_not_utf8_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "web.json"
    path.write_bytes(b'{"family": "\xff"}')
    with pytest.raises(taskfiles.TaskFileError, match="not UTF-8"):
        taskfiles.load(path)


def test_a_deep_task_definition_is_placed_at_its_bracket(tmp_path, capsys):
    config = tmp_path / "monitor.yaml"
    config.write_text(CONFIG)
    (tmp_path / "task-definitions").mkdir()
    path = tmp_path / "task-definitions" / "web.json"
    path.write_text('{"family": "web",\n "containerDefinitions": [' + "[" * 3000 + "]" * 3000 + "]}")
    for argv in (["validate"], ["plan", "--local"], ["review", "--task-definitions", str(path)]):
        code = main([*argv, "-c", str(config)])
        captured = capsys.readouterr()
        assert code == 1 and f"{path}:2:125" in captured.out + captured.err, (argv, captured)
        assert "nested more than 100 levels deep" in captured.out + captured.err


def test_a_deep_log_capture_is_refused_by_replay(tmp_path, capsys, example_config):
    path = tmp_path / "capture.json"
    path.write_text('{"events": ' + "[" * 5000 + "]" * 5000 + "}")
    code = main(["replay", "-c", str(example_config), str(path)])
    err = capsys.readouterr().err
    assert code == 1 and f"{path}:1:" in err and "nested more than 100 levels deep" in err


@pytest.mark.parametrize("head, code", [
    (b"\0\x01\x02abc\x03", "CFG-001"),   # UTF-8, but control characters: pyyaml's ReaderError
    (b"PK\x03\x04\x14\0\0\0\x08\0", "CFG-001"),   # a zip archive
    (b"\x7fELF\x02\x01\x01\0" + bytes(range(256)), "CFG-003"),   # an executable: not UTF-8 either
], ids=["control-characters", "zip", "elf"])
def test_a_small_binary_config_is_said_to_be_binary_in_one_line(tmp_path, capsys, head, code):
    path = tmp_path / "monitor.yaml"
    path.write_bytes(head)
    assert main(["validate", "-c", str(path)]) == 1
    out = capsys.readouterr().out
    assert out == (f"{path}:1:1: error: {code} (top level): the file seems to be binary data, not a YAML config: "
                   "is this the file you meant?\n")


def test_a_stray_control_character_in_a_yaml_config_is_placed_in_one_line(tmp_path, capsys):
    path = tmp_path / "monitor.yaml"
    path.write_text(CONFIG + "# a comment long enough to make this plainly text\n" * 4 + "x-note: a\x07b\n")
    assert main(["validate", "-c", str(path)]) == 1
    out = capsys.readouterr().out
    line = CONFIG.count("\n") + 5
    assert out == (f"{path}:{line}:10: error: CFG-001 (top level): invalid YAML: unacceptable character #x0007: "
                   "special characters are not allowed\n")
