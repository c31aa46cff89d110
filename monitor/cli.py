"""`monitor`: load config -> desired -> actual -> plan -> render -> print / apply."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import botocore.exceptions as bx

from monitor import __version__, config as configs, render, workflow
from monitor.apply import apply
from monitor.aws import Target, explain

OK, FAILED, USAGE = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""

    def __init__(self, message: str, code: int = FAILED):
        super().__init__(message)
        self.code = code


COMMON_FLAGS = [
    (("-c", "--config"), {"help": "config file (default monitor.yaml, else config.yaml)"}),
    (("--region",), {"help": "AWS Region (default: the config's region, then the AWS chain)"}),
    (("--profile",), {"help": "AWS profile from ~/.aws/config"}),
    (("--endpoint-url",), {"help": "talk to this endpoint instead of AWS (also AWS_ENDPOINT_URL)"}),
    (("--local",), {"action": "store_true", "help": "run against an embedded emulator seeded from the config"}),
    (("--output",), {"choices": ("text", "json"), "default": "text"}),
]


def common_options() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    for flag, kwargs in COMMON_FLAGS:
        parent.add_argument(*flag, **kwargs)
    return parent


def dashed_pattern(argv: list[str]) -> list[str]:
    """`test-filter -ERROR`: a pattern may start with '-', which argparse would take for an option.

    Every token that is not one of the command's options (or an option's value) is moved
    behind `--`, in order, so it reaches PATTERN and FILE as it was typed.
    """
    if argv[:1] != ["test-filter"] or "--" in argv:
        return argv
    flags = COMMON_FLAGS + COMMAND_FLAGS["test-filter"] + [(("-h", "--help"), {"action": "help"})]
    takes_value = {name: kwargs.get("action", "store") in ("store", "append")
                   for names, kwargs in flags for name in names if name[0] == "-"}
    options, positionals, tokens = [], [], iter(argv[1:])
    for token in tokens:
        name = token.split("=", 1)[0]
        if name not in takes_value:
            positionals.append(token)
            continue
        options.append(token)
        if takes_value[name] and "=" not in token:
            options.append(next(tokens, ""))
    return [argv[0], *options, "--", *positionals]


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="monitor", description="Monitoring as code for Amazon ECS.")
    main.add_argument("--version", action="version", version=f"ecs-monitor {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parent = common_options()
    for name, text in COMMAND_HELP.items():
        sub = commands.add_parser(name, parents=[parent], help=text, description=text)
        for flag, kwargs in COMMAND_FLAGS.get(name, ()):
            sub.add_argument(*flag, **kwargs)
    return main


YES = (("--yes", "-y"), {"action": "store_true", "help": "do not ask (required when stdin is not a terminal)"})
COMMAND_HELP = {
    "validate": "check the config offline: schema, names, AWS rules, quotas, patterns",
    "plan": "show what apply would change (read only)",
    "apply": "plan, then make the changes",
    "destroy": "delete every owned resource the config covers",
    "test": "run every `tests:` case of the config's filters and the catalogue",
    "test-filter": "evaluate a filter pattern over log events, one per line (stdin if no FILE)",
    "replay": "show what the config's filters would have published on captured log events",
    "demo": "a guided tour on the embedded emulator",
}
COMMAND_FLAGS = {
    "plan": [(("--detailed-exitcode",), {"action": "store_true", "help": "exit 2 when there are changes"}),
             (("--prune",), {"action": "store_true", "help": "also plan deletes of owned resources not in the config"})],
    "apply": [YES, (("--prune",), {"action": "store_true", "help": "also delete owned resources not in the config"}),
              (("--force",), {"action": "store_true", "help": "allow a plan that deletes a large share"})],
    "destroy": [YES],
    "test-filter": [(("pattern",), {"metavar": "PATTERN"}),
                    (("files",), {"nargs": "*", "metavar": "FILE"}),
                    (("--value",), {"default": "1", "help": "metric value: 1, a number, $.selector, $field or $N"}),
                    (("--dimension",), {"action": "append", "default": [], "metavar": "NAME=SELECTOR"}),
                    (("--aws",), {"action": "store_true",
                                  "help": "also ask AWS's TestMetricFilter and show where it disagrees"})],
    "replay": [(("logfiles",), {"nargs": "+", "metavar": "LOGFILE"}),
               (("--log-group",), {"help": "replay only the filters on this log group"})],
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(dashed_pattern(list(sys.argv[1:] if argv is None else argv)))
    try:
        return COMMANDS[args.command](args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.code
    except (bx.BotoCoreError, bx.ClientError) as error:
        print(f"error: {explain(error) or error}", file=sys.stderr)
        return FAILED
    except OSError as error:   # a log file or config that cannot be read
        print(f"error: cannot read {error.filename}: {error.strerror}", file=sys.stderr)
        return FAILED
    except workflow.MissingExtra as error:
        print(f"error: {error}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def config_path(args) -> str:
    """The config file to read; a missing one is a usage problem, not an invalid config."""
    path = args.config or configs.default_path()
    if not Path(path).exists():
        given = "" if args.config else f" (nor {configs.DEFAULT_FILES[1]})"
        raise UserError(f"no config file {path}{given}: give one with -c FILE")
    return path


def load_valid(args) -> configs.Loaded:
    """The validated config; invalid ones stop here, before any client exists."""
    loaded = workflow.validate(config_path(args))
    if loaded.problems:
        print(render.problems_text(loaded.problems), file=sys.stderr)
    if not loaded.ok:
        raise UserError(f"{loaded.source.name} is not valid; nothing was sent to AWS")
    return loaded


def target(args) -> Target:
    return Target(args.region, args.profile, args.endpoint_url)


def cmd_validate(args) -> int:
    loaded = workflow.validate(config_path(args))
    if args.output == "json":
        print(render.problems_json(loaded.problems))
    elif loaded.problems:
        print(render.problems_text(loaded.problems))
    if loaded.ok and args.output == "text":
        print(f"{loaded.source.name}: valid")
    return OK if loaded.ok else FAILED


def cmd_plan(args) -> int:
    loaded = load_valid(args)
    with workflow.connect(target(args), loaded, args.local) as clients:
        result = workflow.make_plan(loaded, clients, prune=args.prune)
    show(args, result, loaded)
    if result.errors:
        return FAILED
    return USAGE if args.detailed_exitcode and result.changes else OK


def show(args, result, loaded, outcomes=None) -> None:
    """A plan, or an applied plan with each change's result, in the chosen output."""
    if args.output == "json":
        print(render.plan_json(result, outcomes))
    else:
        print(render.plan_text(result, loaded.source, outcomes))


def cmd_apply(args, destroy: bool = False) -> int:
    loaded = load_valid(args)
    with workflow.connect(target(args), loaded, args.local) as clients:
        result = workflow.make_plan(loaded, clients, prune=getattr(args, "prune", False), destroy=destroy)
        if result.errors or not result.changes:
            show(args, result, loaded)
            return FAILED if result.errors else OK
        if not destroy and (reason := result.unsafe()) and not args.force:
            raise UserError(f"{reason}; check the plan and re-run with --force")
        if args.output == "text":
            show(args, result, loaded)
        confirm(args)
        outcomes = apply(clients, result)
    show(args, result, loaded, outcomes)
    return FAILED if any(o.failed for o in outcomes) else OK


def confirm(args) -> None:
    """Ask before changing anything, unless --yes; without a terminal there is no one to ask."""
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UserError("stdin is not a terminal: review the plan, then re-run with --yes", USAGE)
    if input("Apply these changes? Type 'yes' to go on: ").strip().lower() not in ("yes", "y"):
        raise UserError("cancelled; nothing was changed")


def cmd_destroy(args) -> int:
    return cmd_apply(args, destroy=True)


def cmd_demo(args) -> int:
    from monitor import demo
    return demo.run(args)


def cmd_test(args) -> int:
    from monitor import filtertest, report
    loaded = load_valid(args)
    outcomes = [o for suite in filtertest.suites(loaded) for o in filtertest.run(suite)]
    print(report.tests_json(outcomes) if args.output == "json" else report.tests_text(outcomes))
    return OK if all(o.passed for o in outcomes) else FAILED


def cmd_test_filter(args) -> int:
    from monitor import filtertest, report
    try:
        pattern = filtertest.compile_for_test(args.pattern, args.value, args.dimension)
    except ValueError as error:
        raise UserError(str(error)) from None
    for warning in pattern.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.aws:
        return _test_filter_on_aws(args, pattern)
    dimensions = dict(item.split("=", 1) for item in args.dimension)
    for number, message in enumerate(_lines(args.files), start=1):
        result = pattern.evaluate(message, args.value, dimensions)
        text = report.event_json(number, result) if args.output == "json" else report.event_text(number, message, result)
        if text is not None:
            print(text)
    return OK


def _test_filter_on_aws(args, pattern) -> int:
    from monitor import awscheck, report
    messages = list(enumerate(_lines(args.files), start=1))
    with workflow.connect(target(args), None, args.local) as clients:
        verdicts = awscheck.compare(clients, pattern, messages)
    for verdict in verdicts:
        text = report.verdict_json(verdict) if args.output == "json" else report.verdict_text(verdict)
        if text is not None:
            print(text)
    if args.output == "text":
        print(report.verdicts_summary(verdicts))
    return OK if all(v.agrees for v in verdicts) else FAILED


def _lines(files: list[str]):
    """Events one per line, from the files in order, or from stdin."""
    if not files:
        yield from (line.rstrip("\n") for line in sys.stdin)
    for name in files:
        with open(name, encoding="utf-8", errors="replace") as stream:
            yield from (line.rstrip("\n") for line in stream)


def cmd_replay(args) -> int:
    from monitor import report
    from monitor.kinds import metric_filter
    from monitor.replay import read_events, replay
    loaded = load_valid(args)
    specs = [r.spec for r in metric_filter.desired(loaded.config)
             if args.log_group in (None, r.spec["logGroupName"])]
    events = (event for name in args.logfiles for event in read_events(Path(name)))
    try:
        series, count = replay(specs, events)
    except ValueError as error:
        raise UserError(str(error)) from None
    print(report.replay_json(series, count) if args.output == "json" else report.replay_text(series, count))
    return OK


COMMANDS = {"validate": cmd_validate, "plan": cmd_plan, "apply": cmd_apply, "destroy": cmd_destroy,
            "test": cmd_test, "test-filter": cmd_test_filter, "replay": cmd_replay, "demo": cmd_demo}
