"""The wheel carries the catalogues, so an installed `monitor` needs no source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_the_wheel_ships_the_catalogues_the_example_and_the_log_sample(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("ecs_monitor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    filters = {f"monitor/_catalogue/filters/{p.name}" for p in (ROOT / "filters").glob("*.yaml")}
    assert filters and filters <= names
    presets = {f"monitor/_catalogue/alarms/{p.name}" for p in (ROOT / "alarms").glob("*.yaml")}
    assert presets and presets <= names
    dashboards = {f"monitor/_catalogue/dashboards/{p.name}" for p in (ROOT / "dashboards").glob("*.yaml")}
    assert "monitor/_catalogue/dashboards/service.yaml" in dashboards and dashboards <= names
    assert {"monitor/_catalogue/config.example.yaml",
            "monitor/_catalogue/examples/logs/filter-log-events.json",
            "monitor/_catalogue/examples/logs/awesome-app-incident.log", "monitor/cli.py",
            "monitor/review/review.schema.json"} <= names
