"""The scale benchmark's generated config stays valid; the benchmark itself is run by hand (make bench)."""

import importlib.util
import sys
from pathlib import Path

import pytest

from monitor import kinds
from monitor.config.walk import containers
from monitor.kinds import dashboard
from monitor.sync import flow
from monitor.taskdefs import sizing
from monitor.resolved import model as resolved_model

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_apply.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_apply", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.mark.parametrize("services, clusters, dashboards", [(3, None, 3), (4, 2, 2)])
def test_the_generated_config_validates(bench, tmp_path, services, clusters, dashboards):
    loaded = flow.validate(str(bench.write_config(tmp_path, services, clusters)))
    assert loaded.ok, [str(p) for p in loaded.problems]
    places = list(containers(loaded.config))
    assert len(places) == 3 * services and all(len(p.container.alarms) == 2 for p in places)
    assert all(p.service.task_definition == bench.task_family(p.service.name) for p in places)
    assert sum(r.kind == dashboard.KIND for r in kinds.desired(resolved_model.of(loaded.config))) == dashboards


def test_the_task_definitions_fit_their_task(bench):
    definition = bench.task_definition("svc-000")
    assert sizing.problems(definition, list(bench.CONTAINERS)) == []
    assert bench.thresholds() == {1024.0, 204.8, 409.6}   # app: 80% of 2048 - 256 - 512, never of its 1024 reservation
