"""The resolved model: built once per config, in file order, and what the kinds render from.

A plan of the example builds two models, the file's (validate) and the one of the config the task
definitions and AWS resolved (the plan), renders each alarm once per model and resolves each metric
once per model; the kinds' resources come from the model alone, without walking the config again.
"""

from __future__ import annotations

import collections
import dataclasses

import boto3
import pytest
from moto import mock_aws

from monitor import kinds
from monitor.aws.clients import Clients, Target
from monitor.config import walk
from monitor.emulator.server import install_fidelity_patches
from monitor.kinds import alarm_spec
from monitor.resolved import metrics, model
from monitor.resolved.metrics import Metric
from monitor.sync.flow import make_plan, validate

REGION = "ap-northeast-1"

SHOP = """\
version: 1
region: us-east-1
clusters:
  - name: shop
    services:
      - name: web
        containers:
          - name: app
            log_group: /ecs/shop/web
            filters:
              - {name: errors, pattern: '{ $.level = "error" }', metric: Errors}
            alarms:
              - {name: errors-high, metric: Errors, stat: Sum, period: 60, comparison: ">", threshold: 5}
              - {name: tasks-low, namespace: AWS/ECS, metric: CPUUtilization, comparison: ">", threshold: 90}
              - {name: both, alarm_rule: ALARM(errors-high) AND ALARM(tasks-low)}
              - {name: either, alarm_rule: ALARM(both) OR ALARM(errors-high)}
"""


@pytest.fixture
def counted(monkeypatch):
    """How often the model is built and an alarm rendered; each metric resolved, by config and what names it."""
    counts: collections.Counter = collections.Counter()
    for module, name in ((model, "build"), (alarm_spec, "make")):
        original = getattr(module, name)

        def counting(*args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(module, name, counting)
    resolve = metrics._resolve

    def resolving(config, place, source):
        counts[("metric", id(config), place.path, source.metric, source.namespace, str(source.dimensions))] += 1
        return resolve(config, place, source)
    monkeypatch.setattr(metrics, "_resolve", resolving)
    return counts


def test_a_plan_builds_one_model_per_config_and_renders_each_alarm_once_per_model(example_config, counted):
    loaded = validate(str(example_config))
    assert loaded.ok, loaded.problems
    after_validate = dict(counted)
    with mock_aws():
        install_fidelity_patches()
        ecs = boto3.client("ecs", region_name=REGION)
        for cluster in loaded.config.clusters:
            ecs.create_cluster(clusterName=cluster.name)
        make_plan(loaded, Clients(Target(REGION), _session=boto3.Session(region_name=REGION)))
    alarms = sum(not a.composite for p in walk.containers(loaded.config) for a in p.container.alarms)
    assert after_validate["build"] == 1 and counted["build"] == 2   # the file's model, then the plan's
    assert after_validate["make"] == alarms and counted["make"] == 2 * alarms
    resolved = {key: n for key, n in counted.items() if key[0] == "metric"}
    assert resolved and set(resolved.values()) == {1}   # each metric once per config


def test_the_model_holds_every_alarm_in_file_order_with_its_name_metric_and_rank(write_config):
    loaded = validate(str(write_config(SHOP)))
    assert loaded.ok, loaded.problems
    built = model.of(loaded.config)
    assert built is model.of(loaded.config)   # kept with its config
    names = [entry.name for entry in built.alarms]
    assert names == [f"monitor/shop/web/app/{n}" for n in ("errors-high", "tasks-low", "both", "either")]
    errors, cpu, both, either = built.alarms
    assert errors.metric == Metric("Custom/ECS/shop/web/app", "Errors")   # the default namespace, per container
    assert cpu.metric == Metric("AWS/ECS", "CPUUtilization", (("ClusterName", "shop"), ("ServiceName", "web")))
    assert (both.rank, either.rank) == (0, 1)   # `either` names the composite `both`: made after it
    assert both.siblings == {"errors-high": errors.name, "tasks-low": cpu.name}
    assert both.makeable and either.makeable and both.regions == frozenset({None})
    [entry] = built.filters
    assert (entry.name, entry.publishes["metricNamespace"]) == ("monitor/shop/web/app/errors", "Custom/ECS/shop/web/app")


def test_kinds_render_from_the_model_without_walking_the_config_again(write_config, monkeypatch):
    loaded = validate(str(write_config(SHOP)))
    assert loaded.ok, loaded.problems
    built = model.of(loaded.config)
    before = [(r.kind, r.id, r.spec) for r in kinds.desired(built)]
    # The same model around a copy of its config that nothing has walked: a kind that walked the
    # config's containers again would walk this copy.
    fresh = dataclasses.replace(built, config=loaded.config.model_copy())

    def walked(*_):
        raise AssertionError("a kind walked the config's containers again")
    monkeypatch.setattr(walk, "_walk", walked)
    monkeypatch.setattr(walk, "map_containers", walked)
    rendered = kinds.desired(fresh)
    assert [(r.kind, r.id, r.spec) for r in rendered] == before
    assert [r.spec["AlarmRule"] for r in rendered if r.kind == "composite_alarm"] == [
        'ALARM("monitor/shop/web/app/errors-high") AND ALARM("monitor/shop/web/app/tasks-low")',
        'ALARM("monitor/shop/web/app/both") OR ALARM("monitor/shop/web/app/errors-high")']
