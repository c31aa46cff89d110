"""Stable codes: every check has one, one severity vocabulary, `ignore:` silences what it may, the README's tables.

The bad-config fixtures (tests/test_bad_configs.py) state the code of every problem they expect;
here: that those codes cover every family, that no check escapes the catalogue, and `ignore:`.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import monitor
from monitor.cli import main
from monitor.commands import codes
from monitor.kinds import cluster_setting
from monitor.problems import CODE, Check, Problem, render, silence
from monitor.review import codes as review_codes
from monitor.state.resources import Actual
from monitor.resolved import model as resolved_model

ROOT = Path(__file__).parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad"
SHARED = """version: 1
{ignore}clusters:
  - name: honban
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/honban/shared
            filters: [{{use: http-5xx-json}}]
      - name: worker
        containers:
          - name: worker
            log_group: /ecs/honban/shared
            filters: [{{name: panics, pattern: panic, metric: Panics}}]
"""


def every_module_check() -> list[Check]:
    """Every Check a module of the package holds at its top level (or in a table there)."""
    found = []
    for info in pkgutil.walk_packages(monitor.__path__, "monitor."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            items = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else [value]
            found += [item for item in items if isinstance(item, Check)]
    return found


def test_every_check_in_the_package_is_catalogued_under_its_code():
    known = codes.every()
    missing = {c.code for c in every_module_check() if c.code not in known}
    assert not missing, missing
    assert all(known[c.code].severity == c.severity for c in every_module_check())


def test_codes_follow_the_scheme_and_the_one_vocabulary():
    for code, check in codes.every().items():
        assert CODE.fullmatch(code) and check.severity in ("error", "warning", "info"), code
    validate_codes = set(codes.checks())
    families = {code.rsplit("-", 1)[0] for code in validate_codes}
    assert {"CFG", "CAT", "FLT", "ALM", "CMP", "DSH", "TSK", "EXP", "PLN", "ECS-SIZE"} <= families
    assert len(validate_codes) >= 140


def test_a_check_refuses_another_severity_word_or_code_shape():
    with pytest.raises(ValueError):
        Check("FLT-999", "note", "x")
    with pytest.raises(ValueError):
        Check("flt-1", "error", "x")
    with pytest.raises(TypeError):
        Problem((), "made without a check", "error")


def test_the_bad_fixtures_assert_codes_of_every_family_validate_has():
    stated = set(re.findall(r"^# (?:expect|warning): \d+:\d+ (\S+) ", "\n".join(
        p.read_text(errors="replace") for p in BAD.glob("*.yaml")), re.M))
    families = {code.rsplit("-", 1)[0] for code in stated}
    assert {"CFG", "FLT", "ALM", "CMP", "DSH", "TSK", "EXP"} <= families, families   # CAT, ECS-SIZE: test_presets, test_taskdefs
    assert stated <= set(codes.checks())


def test_a_plan_finding_carries_its_code():
    config = type("C", (), {"clusters": [type("K", (), {"name": "gone", "container_insights": "enhanced",
                                                        "wants_performance_metrics": False})()]})()
    [problem] = cluster_setting.check(resolved_model.Model(config, (), (), ()), [], Actual(missing={("cluster", "gone")}))
    assert (problem.code, problem.severity) == ("PLN-001", "error")
    assert render(problem) == "error: PLN-001 clusters[0].name: cluster 'gone' was not found: check the name and --region"


def test_review_findings_keep_their_codes_and_share_the_vocabulary():
    rules = review_codes.rules()
    assert "ALARM-NOISE-001" in rules and rules["ALARM-NOISE-001"].severity == "warning"
    assert codes.every()["ECS-SIZE-001"] is rules["ECS-SIZE-001"]


# --- ignore: ----------------------------------------------------------------------------------

def validate_text(capsys, path: Path, *more: str) -> tuple[int, str]:
    code = main(["validate", "-c", str(path), *more])
    out, err = capsys.readouterr()
    return code, out + err


def test_ignore_silences_a_warning_in_validate(write_config, capsys):
    code, out = validate_text(capsys, write_config(SHARED.format(ignore="")))
    assert code == 0 and ": warning: FLT-035 clusters[0].services[1].containers[0].log_group: " in out
    code, out = validate_text(capsys, write_config(SHARED.format(ignore="ignore: [FLT-035]   # on purpose\n")))
    assert code == 0 and "FLT-035" not in out and ": warning: " not in out


def test_ignore_keeps_an_error_aws_would_refuse_and_says_so(write_config, capsys):
    text = SHARED.format(ignore="ignore: [FLT-005]\n").replace("metric: Panics}", "metric: Panics, unit: Secs}")
    code, out = validate_text(capsys, write_config(text))
    assert code == 1 and ": error: FLT-005 clusters[0].services[1].containers[0].filters[0].unit: " in out
    assert re.search(r"monitor\.yaml:2:\d+: warning: CFG-031 ignore\[0\]: FLT-005 .* cannot be ignored", out)


def test_an_unknown_code_in_ignore_is_a_warning_with_the_closest_code(write_config, capsys):
    code, out = validate_text(capsys, write_config(SHARED.format(ignore="ignore: [FLT-35, NOPE]\n")))
    assert code == 0
    assert re.search(r"monitor\.yaml:2:10: warning: CFG-030 ignore\[0\]: no check has the code 'FLT-35'; "
                     r"did you mean 'FLT-0\d\d'\?", out)
    assert "warning: CFG-030 ignore[1]: no check has the code 'NOPE'" in out


def test_json_output_gives_each_problem_its_code(write_config, capsys):
    code, out = validate_text(capsys, write_config(SHARED.format(ignore="")), "--output", "json")
    [problem] = json.loads(out)["problems"]
    assert (problem["code"], problem["severity"]) == ("FLT-035", "warning")


def test_silence_drops_only_what_may_be_silenced():
    advice = Check("ALM-999", "error", "our advice", ignorable=True)
    refused = Check("FLT-998", "error", "AWS refuses it")
    info = Check("PLN-997", "info", "fyi")
    found = [advice.problem((), "a"), refused.problem((), "b"), info.problem((), "c")]
    assert silence(found, ["ALM-999", "FLT-998", "PLN-997"]) == [found[1]]
    assert silence(found, []) == found


def test_ignore_silences_review_findings(example_config, tmp_path, capsys):
    text = example_config.read_text()
    assert "ALARM-ACTION-001" in review_json(capsys, example_config)
    silenced = tmp_path / "monitor.yaml"
    silenced.write_text(text.replace("version: 1\n", "version: 1\nignore: [ALARM-ACTION-001]\n", 1))
    for name in ("filters", "alarms", "dashboards", "task-definitions", "logs"):
        if (example_config.parent / name).is_dir() and not (tmp_path / name).exists():
            (tmp_path / name).symlink_to(example_config.parent / name)
    found = review_json(capsys, silenced)
    assert "ALARM-ACTION-001" not in found and found   # the other findings stay


def review_json(capsys, path: Path) -> set[str]:
    assert main(["review", "-c", str(path), "--output", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    return {f["code"] for f in document["findings"]}


def test_the_readme_tables_are_the_generated_ones():
    readme = (ROOT / "README.md").read_text()
    assert codes.readme(readme) == readme, "stale: run `.venv/bin/python -m monitor.commands.codes README.md`"
    shown = readme.split("<!-- problem-codes:begin -->\n", 1)[1].split("\n<!-- problem-codes:end -->", 1)[0]
    assert shown == codes.markdown_table()
    assert all(f"`{code}`" in shown for code in codes.checks())
