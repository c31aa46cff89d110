"""Config loading: the shipped examples are valid, `use:` resolves, local catalogues win."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from monitor import cli
from monitor.config import catalogue, default_path, yamlfile
from monitor.config.walk import containers
from monitor.offline import cases as filtertest
from monitor.problems import errors, render
from monitor.resolved import load
from monitor.sync.flow import validate

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = sorted((ROOT / "filters").glob("*.yaml"))
README_YAML = re.findall(r"^```yaml\n(.*?)^```", (ROOT / "README.md").read_text(), re.S | re.M)


def app_config(*filters: str, extra: str = "") -> str:
    """A one-container config whose `filters:` list holds the given YAML items (already indented)."""
    items = "".join(f"              {line}\n" for item in filters for line in textwrap.dedent(item).strip().splitlines())
    return textwrap.dedent("""\
        version: 1
        region: us-east-1
        clusters:
          - name: honban
            services:
              - name: web
                containers:
                  - name: app
                    log_group: /ecs/honban/web
                    filters:
        """) + items + extra


def only_filter(loaded):
    [place] = list(containers(loaded.config))
    [item] = place.container.filters
    return item


def messages(loaded) -> list[str]:
    return [render(p) for p in errors(loaded.problems)]


def failed_cases(loaded) -> list[str]:
    """Every `tests:` case (the config's and the catalogue's) that does not hold."""
    return [f"{o.where}: {o.failures}" for suite in filtertest.suites(loaded)
            for o in filtertest.run(suite) if not o.passed]


def definition(name: str, pattern: str = '{ $.level = "error" }', metric: str = "LocalErrors", **extra) -> str:
    lines = [f"name: {name}", f"pattern: '{pattern}'", f"metric: {metric}"]
    return "\n".join(lines + [f"{key}: {value}" for key, value in extra.items()]) + "\n"


@pytest.fixture
def local_filters(tmp_path):
    """A `filters/` folder beside the config, written one definition at a time."""
    folder = tmp_path / "filters"
    folder.mkdir()

    def write(stem: str, text: str) -> Path:
        path = folder / f"{stem}.yaml"
        path.write_text(text)
        return path
    return write


# --- examples are tests --------------------------------------------------------------------

def test_the_example_config_is_valid(example_config):
    loaded = load(example_config)
    assert messages(loaded) == []
    assert loaded.ok
    assert loaded.config.clusters[0].name == "honban"


def test_the_example_configs_filter_tests_pass(example_config):
    assert failed_cases(load(example_config)) == []


def test_the_example_config_resolves_every_use(example_config):
    loaded = load(example_config)
    for place in containers(loaded.config):
        for item in place.container.filters:
            assert item.pattern and item.metric and item.name, item


def test_there_is_a_builtin_catalogue():
    assert len(BUILTIN) >= 10


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_builtin_filter_is_a_valid_definition(path, tmp_path):
    folder = tmp_path / "filters"
    folder.mkdir()
    shutil.copy(path, folder)
    found, problems = catalogue.load([folder])
    assert [render(p) for p in problems] == []
    assert list(found) == [path.stem]
    assert found[path.stem].filter.tests, "a catalogue definition carries its own tests"


def test_the_builtin_catalogue_loads_whole_and_clean():
    found, problems = catalogue.load([catalogue.builtin_directory()])
    assert problems == []
    assert sorted(found) == [p.stem for p in BUILTIN]


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_builtin_filter_can_be_used_by_a_config(path, write_config):
    loaded = load(write_config(app_config(f"- use: {path.stem}")))
    assert messages(loaded) == []
    assert only_filter(loaded).name == path.stem


@pytest.mark.parametrize("snippet", README_YAML, ids=[f"block{n}" for n in range(len(README_YAML))])
def test_every_yaml_snippet_in_the_readme_is_a_valid_config(snippet, write_config):
    loaded = load(write_config(snippet))
    assert messages(loaded) == []
    assert loaded.ok
    assert failed_cases(loaded) == []


def test_the_readme_has_yaml_snippets():
    assert README_YAML


# --- use: resolution ---------------------------------------------------------------------

def test_use_takes_everything_from_the_definition(write_config):
    loaded = load(write_config(app_config("- use: http-5xx-json")))
    item = only_filter(loaded)
    builtin = loaded.catalogue["http-5xx-json"].filter
    assert (item.name, item.pattern, item.metric, item.unit, item.default, item.value) == \
        (builtin.name, builtin.pattern, builtin.metric, builtin.unit, builtin.default, builtin.value)
    assert item.use == "http-5xx-json"


def test_use_with_overrides_keeps_the_pattern_and_changes_only_what_is_given(write_config):
    loaded = load(write_config(app_config("""
        - use: http-5xx-json
          name: five-hundreds
          metric: AppHttp5xx
          namespace: Custom/App
        """)))
    assert messages(loaded) == []
    item = only_filter(loaded)
    builtin = loaded.catalogue["http-5xx-json"].filter
    assert (item.name, item.metric, item.namespace) == ("five-hundreds", "AppHttp5xx", "Custom/App")
    assert (item.pattern, item.unit, item.default) == (builtin.pattern, builtin.unit, builtin.default)


def test_use_may_trade_the_default_for_dimensions(write_config):
    loaded = load(write_config(app_config("""
        - use: http-5xx-json
          name: by-method
          default: null
          dimensions: {Method: $.method}
        """)))
    item = only_filter(loaded)
    assert item.dimensions == {"Method": "$.method"}


def test_use_may_not_replace_the_pattern(write_config):
    loaded = load(write_config(app_config("""
        - use: http-5xx-json
          pattern: '{ $.status = 500 }'
        """)))
    assert not loaded.ok
    [message] = messages(loaded)
    assert "filters[0].pattern" in message and "write an inline filter" in message


def test_an_unknown_use_names_the_closest_definition(write_config):
    loaded = load(write_config(app_config("- use: http-5xx-jsn")))
    [message] = messages(loaded)
    assert ":11:" in message   # the line of the `use:` item
    assert "filters[0].use" in message and "did you mean 'http-5xx-json'" in message


def test_an_override_is_checked_like_an_inline_filter(write_config):
    loaded = load(write_config(app_config("""
        - use: http-5xx-json
          unit: Parsecs
        """)))
    [message] = messages(loaded)
    assert "filters[0].unit" in message and "unknown unit 'Parsecs'" in message


# --- the local catalogue -----------------------------------------------------------------

def test_a_local_definition_overrides_the_builtin_one_of_the_same_name(write_config, local_filters):
    local_filters("http-5xx-json", definition("http-5xx-json", '{ $.code >= 500 }', "LocalHttp5xx"))
    loaded = load(write_config(app_config("- use: http-5xx-json")))
    assert messages(loaded) == []
    item = only_filter(loaded)
    assert (item.pattern, item.metric) == ("{ $.code >= 500 }", "LocalHttp5xx")


def test_a_local_definition_that_replaces_a_builtin_one_is_a_warning_naming_it(write_config, local_filters):
    path = local_filters("http-5xx-json", definition("http-5xx-json", '{ $.code >= 500 }', "LocalHttp5xx"))
    loaded = load(write_config(app_config("- use: http-5xx-json")))
    [warning] = [render(p) for p in loaded.problems]
    builtin = catalogue.builtin_directory().resolve() / "http-5xx-json.yaml"
    assert warning.startswith(f"{path.resolve()}:1:7: warning: CAT-004 name: ")
    assert f"replaces the built-in definition {builtin}" in warning
    assert loaded.ok


def test_a_broken_local_catalogue_file_is_blamed_not_the_config(write_config, local_filters, capsys):
    path = local_filters("app-errors", definition("app-errors", unit="Parsecs"))
    config = write_config(app_config("- use: http-5xx-json"))
    assert cli.main(["plan", "-c", str(config)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{path.resolve()}:4:") and "Parsecs" in line for line in err)
    assert err[-1] == f"error: {path.resolve()} is not valid; nothing was sent to AWS"


def test_a_local_definition_adds_to_the_builtin_ones(write_config, local_filters):
    local_filters("app-errors", definition("app-errors"))
    loaded = load(write_config(app_config("- use: app-errors", "- use: http-4xx-json")))
    assert messages(loaded) == []
    assert [f.metric for f in loaded.config.clusters[0].services[0].containers[0].filters] == \
        ["LocalErrors", loaded.catalogue["http-4xx-json"].filter.metric]


def test_the_local_folder_comes_before_the_builtin_one(tmp_path):
    (tmp_path / "filters").mkdir()
    folders = catalogue.directories(tmp_path / "monitor.yaml")
    assert folders == [(tmp_path / "filters").resolve(), catalogue.builtin_directory().resolve()]


def test_without_a_local_folder_only_the_builtin_one_is_read(tmp_path):
    assert catalogue.directories(tmp_path / "monitor.yaml") == [catalogue.builtin_directory().resolve()]


@pytest.mark.parametrize("stem, text, expected", [
    pytest.param("app-errors", definition("other-name"), "name 'other-name' must match the file name 'app-errors'",
                 id="name-is-the-file-stem"),
    pytest.param("app-errors", "name: app-errors\npattern: ERROR\n", "required key 'metric' is missing",
                 id="metric-required"),
    pytest.param("app-errors", definition("app-errors", unit="Parsecs"), "unknown unit 'Parsecs'",
                 id="unit-checked"),
    pytest.param("app-errors", definition("app-errors") + "use: http-5xx-json\n", "cannot 'use' another",
                 id="no-use-in-definitions"),
    pytest.param("app-errors", definition("app-errors", '{ $.level = "error" '), "app-errors.yaml:2:",
                 id="pattern-parsed-with-its-line"),
    pytest.param("app-errors", definition("app-errors") + "colour: red\n", "unknown key 'colour'",
                 id="unknown-key"),
])
def test_catalogue_definitions_are_checked(stem, text, expected, write_config, local_filters):
    local_filters(stem, text)
    loaded = load(write_config(app_config("- use: http-5xx-json")))
    assert not loaded.ok
    assert any(expected in message for message in messages(loaded)), messages(loaded)
    assert all(f"filters/{stem}.yaml:" in message for message in messages(loaded))


# --- default_path ------------------------------------------------------------------------

@pytest.mark.parametrize("present, expected", [
    ((), "monitor.yaml"),
    (("config.yaml",), "config.yaml"),
    (("monitor.yaml",), "monitor.yaml"),
    (("monitor.yaml", "config.yaml"), "monitor.yaml"),
])
def test_default_path_picks_monitor_yaml_then_config_yaml(present, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in present:
        (tmp_path / name).write_text("version: 1\n")
    assert default_path() == expected


def test_top_level_x_keys_hold_anchors_that_merge_keys_reuse(write_config):
    path = write_config(textwrap.dedent("""\
        version: 1
        x-app: &app
          log_group: /ecs/honban/web
          performance_metrics: [CpuUtilized]
        clusters:
          - name: honban
            services:
              - name: web
                containers:
                  - <<: *app
                    name: app
        """))
    loaded = validate(str(path))
    assert loaded.ok, messages(loaded)
    [place] = list(containers(loaded.config))
    assert (place.container.log_group, place.container.performance_metrics) == ("/ecs/honban/web", ["CpuUtilized"])


# --- documents deeper than Python's recursion ----------------------------------------------

def test_aliases_nested_past_the_recursion_limit_are_indexed(write_config):
    """Each anchor wraps the one before in 90 levels: 20 of them nest 1,800 deep once followed."""
    lines = ["version: 1", "clusters: [{name: honban}]", "x-0: &a0 1"]
    lines += [f"x-{n}: &a{n} " + "[" * 90 + f"*a{n - 1}" + "]" * 90 for n in range(1, 21)]
    loaded = load(write_config("\n".join(lines) + "\n"))
    assert messages(loaded) == []
    assert max(len(path) for path in loaded.source.values) == 1 + 20 * 90


def test_a_recursion_error_inside_pyyaml_is_a_problem_not_a_traceback(write_config, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_DEPTH", 10**6)   # as if the depth check let it through
    loaded = load(write_config("version: 1\nx-deep: " + "[" * 3000 + "]" * 3000 + "\n"))
    [message] = messages(loaded)
    assert re.search(r"monitor\.yaml:2:\d+: error: CFG-004 \(top level\): the document nests more than", message)
