"""`monitor`: parse the command line, run the command, print its result, choose the exit code.

The flow each AWS command follows: load config -> desired -> actual -> plan -> render -> print / apply.

A reader that goes away (`monitor ... | head`) ends the command quietly with 141, as SIGPIPE
ends any Unix tool. During a text-mode apply that also stops the changes not yet made, by
choice: nobody would read their results, and a partial apply is safe (the next plan shows
what is left, the next apply finishes it) while changes made unseen are not.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import botocore.exceptions as bx

from monitor import config as configs
from monitor.aws.clients import Target, endpoint_problem
from monitor.aws.connect import MissingExtra, connect
from monitor.aws.errors import UNREADABLE, explain
from monitor.commands.arguments import dashed_pattern, parser
from monitor.config.references import REGION
from monitor.output import cost as costs
from monitor.output import plan as render
from monitor.sync import flow

OK, FAILED, USAGE = 0, 1, 2
BROKEN_PIPE = 128 + 13   # what a shell reports for a tool ended by SIGPIPE


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""

    def __init__(self, message: str, code: int = FAILED):
        super().__init__(message)
        self.code = code


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(dashed_pattern(list(sys.argv[1:] if argv is None else argv)))
    try:
        return COMMANDS[args.command](args)
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except UserError as error:
        return _fail(str(error), error.code)
    except (bx.BotoCoreError, bx.ClientError, *UNREADABLE) as error:
        endpoint = getattr(args, "endpoint_url", None) or os.environ.get("AWS_ENDPOINT_URL")
        return _fail(explain(error, endpoint) or str(error))
    except OSError as error:   # a log file or config that cannot be read
        return _fail(f"cannot read {error.filename}: {error.strerror}")
    except MissingExtra as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


def _fail(message: str, code: int = FAILED) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def _quiet_broken_pipe() -> int:
    """The reader went away (`| head`): stop quietly, as Unix tools do, with nothing more to say.

    stdout is pointed at /dev/null so the interpreter's final flush cannot fail again
    (Python docs, "Note on SIGPIPE" in the signal module).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE


def config_path(args) -> str:
    """The config file to read; a missing one is a usage problem (exit 2), not an invalid config."""
    path = args.config or configs.default_path()
    if not Path(path).exists():
        given = "" if args.config else f" (nor {configs.DEFAULT_FILES[1]})"
        raise UserError(f"no config file {path}{given}: give one with -c FILE", USAGE)
    return path


def load_valid(args, offline: bool = False) -> configs.Loaded:
    """The validated config; invalid ones stop here, before any client exists."""
    loaded = flow.validate(config_path(args))
    if loaded.problems:
        print(render.problems_text(loaded.problems), file=sys.stderr)
    if not loaded.ok:
        files = loaded.invalid_files or [loaded.source.name]
        verb = "is" if len(files) == 1 else "are"
        raise UserError(f"{' and '.join(files)} {verb} not valid" + ("" if offline else "; nothing was sent to AWS"))
    return loaded


def target(args) -> Target:
    """Where to talk to; a malformed endpoint is a usage error before any client exists."""
    for where, url in (("--endpoint-url", args.endpoint_url), ("AWS_ENDPOINT_URL", os.environ.get("AWS_ENDPOINT_URL"))):
        if url is not None and (problem := endpoint_problem(url)):
            raise UserError(f"{where} {url!r}: {problem}", USAGE)
    if args.region is not None and not REGION.fullmatch(args.region):
        raise UserError(f"--region {args.region!r} does not look like an AWS Region, e.g. eu-west-1", USAGE)
    return Target(args.region, args.profile, args.endpoint_url)


def cmd_validate(args) -> int:
    loaded = flow.validate(config_path(args))
    if args.output == "json":
        print(render.problems_json(loaded.problems))
    elif loaded.problems:
        print(render.problems_text(loaded.problems))
    if loaded.ok and args.output == "text":
        print(f"{loaded.source.name}: valid")
    return OK if loaded.ok else FAILED


def cmd_plan(args) -> int:
    loaded = load_valid(args)
    with connect(target(args), loaded, args.local) as clients:
        result = flow.make_plan(loaded, clients, prune=args.prune)
        delta, whole = plan_cost(loaded, clients, result)
    if args.output == "json":
        print(render.plan_json(result, None, loaded.source, cost=costs.plan_cost_json(delta, whole)))
    else:
        print(render.plan_text(result, loaded.source) + "\n" + costs.delta_text(delta, whole))
    if result.errors:
        return FAILED
    return USAGE if args.detailed_exitcode and result.changes else OK


def plan_cost(loaded, clients, result):
    """The plan's cost delta and the whole config's estimate (of what the plan was made for, `N%`
    thresholds resolved), with the task counts read from ECS."""
    from monitor.aws.services import desired_counts
    from monitor.cost import estimate, hints
    home = clients.region or loaded.config.region or "us-east-1"
    given = hints.given(loaded.config, desired_counts(clients, loaded.config))
    return estimate.plan_delta(result, home, given), estimate.estimate(result.desired, home, given)


def show(args, result, loaded, outcomes=None) -> None:
    """A plan, or an applied plan with each change's result, in the chosen output."""
    if args.output == "json":
        print(render.plan_json(result, outcomes, loaded.source))
    else:
        print(render.plan_text(result, loaded.source, outcomes))


def cmd_apply(args, destroy: bool = False) -> int:
    from monitor.sync.apply import Interrupted, apply
    loaded = load_valid(args)
    with connect(target(args), loaded, args.local) as clients:
        result = flow.make_plan(loaded, clients, prune=getattr(args, "prune", False), destroy=destroy)
        if result.errors or not result.changes:
            show(args, result, loaded)
            return FAILED if result.errors else OK
        if args.output == "text":
            show(args, result, loaded)
        elif not args.yes:   # the JSON comes after; whoever answers the prompt needs the plan now
            print(render.plan_text(result, loaded.source), file=sys.stderr)
        if not destroy and (reason := result.unsafe()) and not args.force:
            raise UserError(f"{reason}; check the plan and re-run with --force")
        confirm(args, "Destroy these resources?" if destroy else "Apply these changes?")
        try:
            outcomes = apply(clients, result, report=_progress(args))
        except Interrupted as stopped:
            raise UserError(f"interrupted: {stopped}; run {args.command} again to finish "
                            "(plan first to see what is left)", 130) from None
    if args.output == "json":
        show(args, result, loaded, outcomes)
    else:
        print(render.applied_summary(outcomes))
    return FAILED if any(o.failed for o in outcomes) else OK


def _progress(args):
    """In text, each result is printed the moment it is known; JSON prints one document at the end."""
    if args.output == "json":
        return lambda outcome: None
    return lambda outcome: print(render.outcome_line(outcome), flush=True)


def confirm(args, question: str) -> None:
    """Ask before changing anything, unless --yes; without a terminal there is no one to ask."""
    if args.yes:
        return
    if not sys.stdin.isatty():
        raise UserError("stdin is not a terminal: review the plan, then re-run with --yes", USAGE)
    print(f"{question} Type 'yes' to go on: ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()   # the prompt is on stderr, so stdout stays the result alone
    except KeyboardInterrupt:
        answer = ""
    if not answer.endswith("\n"):   # Ctrl-D (or Ctrl-C) left the cursor on the prompt line
        print(file=sys.stderr)
    if answer.strip().lower() not in ("yes", "y"):
        raise UserError("cancelled; nothing was changed")


def cmd_destroy(args) -> int:
    return cmd_apply(args, destroy=True)


def cmd_demo(args) -> int:
    from monitor.commands import demo
    config = demo.example_path(args.config)
    with demo.tour(config, args.region) as tour:
        print(f"Started an embedded AWS emulator at {tour.url} (region {tour.region}),\n"
              f"with the clusters {tour.clusters} and the log groups {tour.groups} of {config}.\n")
        for number, step in enumerate(tour.steps, start=1):
            if step.look is not None:
                print("\n".join([f"== Step {number}. {step.text}", *step.look(tour), ""]), flush=True)
                continue
            print(f"== Step {number}. {step.text}\n$ monitor {shlex.join(step.argv)}", flush=True)
            code = main(step.argv)
            print()
            if code != OK:
                print(f"Step {number} ended with exit code {code}; the tour stops here.")
                return code
    print("The tour is over. Point the same commands at your account with --profile/--region.")
    return OK


def cmd_test(args) -> int:
    from monitor.offline import alarm_cases, cases
    from monitor.output import filters as report
    loaded = load_valid(args, offline=True)
    outcomes = [o for suite in cases.suites(loaded) for o in cases.run(suite)] + alarm_cases.run(loaded)
    print(report.tests_json(outcomes) if args.output == "json" else report.tests_text(outcomes))
    return OK if all(o.passed for o in outcomes) else FAILED


def cmd_test_filter(args) -> int:
    from monitor.offline import cases
    from monitor.output import filters as report
    try:
        pattern = cases.compile_for_test(args.pattern, args.value, args.dimension)
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
    from monitor.aws import testmetricfilter
    from monitor.output import filters as report
    messages = list(enumerate(_lines(args.files), start=1))
    with connect(target(args), None, False) as clients:   # not --local: the emulator has no TestMetricFilter
        verdicts = testmetricfilter.compare(clients, pattern, messages)
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
    from monitor.kinds import metric_filter
    from monitor.offline.replay import on_group, read_events, replay
    from monitor.output import filters as report
    loaded = load_valid(args, offline=True)
    specs = [r.spec for r in metric_filter.desired(loaded.config)]
    events = (event for name in args.logfiles for event in read_events(Path(name)))
    try:
        series, count = replay(on_group(specs, args.log_group), events)
    except ValueError as error:
        raise UserError(str(error)) from None
    print(report.replay_json(series, count) if args.output == "json" else report.replay_text(series, count))
    return OK


def cmd_exporter(args) -> int:
    import json
    from monitor.commands import exporter as command
    from monitor.config.exporter_rules import parse_listen
    from monitor.exporter import batches, iam
    loaded = load_valid(args)
    try:
        shard = command.Shard(*batches.parse_shard(args.shard))
        listen = args.listen or command.settings(loaded.config).listen
        parse_listen(listen)
    except ValueError as error:
        raise UserError(str(error), USAGE) from None
    if args.print_iam_policy:
        print(json.dumps(iam.policy(loaded.config, args.region), indent=2))
        return OK
    if args.plan:
        return _exporter_plan(args, loaded.config, shard)
    web = web_config(args.web_config)   # before any client exists: a bad file costs no AWS call
    with connect(target(args), loaded, args.local) as clients:
        if args.once:
            text, error = command.once(clients, command.make_plan(loaded.config, clients, shard))
            sys.stdout.write(text.decode("utf-8"))
            return _fail(f"the refresh failed: {error}") if error else OK
        plan = command.first_plan(loaded.config, clients, shard)
        return _serve(listen, clients, plan, command.loader(clients, shard), config_path(args), web)


def _exporter_plan(args, config, shard) -> int:
    from monitor.commands import exporter as command
    from monitor.exporter.budget import budget
    from monitor.output import exporter as report
    found = budget(command.selected(config, shard), command.settings(config),
                   args.region or config.region or "us-east-1")
    skipped, where = command.make_plan(config, None, shard).notes, f"shard {shard.index}/{shard.count}"
    print(report.budget_json(found, skipped, where) if args.output == "json" else report.budget_text(found, skipped, where))
    return OK


def web_config(path: str | None):
    """`--web-config FILE` (exporter-toolkit format): TLS and basic auth, or every problem at its place."""
    from monitor.exporter import webconfig
    if path is None:
        return None
    if not Path(path).exists():
        raise UserError(f"no web config file {path}", USAGE)
    web, problems = webconfig.load(path)
    if problems:
        print(render.problems_text(problems), file=sys.stderr)
        raise UserError(f"{path} is not a valid web config (exporter-toolkit format)")
    return web


def _serve(listen, clients, plan, load, path, web=None) -> int:
    """Run the daemon until SIGTERM; its log goes to stderr."""
    import logging
    from monitor.exporter import daemon
    from monitor.exporter.refresh import Refresher
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    refresher = Refresher(clients, plan)
    try:
        daemon.run(listen, refresher, daemon.Reloader(path, load, refresher), web)
    except OSError as error:
        raise UserError(f"cannot listen on {listen}: {error.strerror}") from None
    return OK


def cmd_review(args) -> int:
    """The review's report; exit 1 with --fail-on when a finding is that severe, else 0."""
    from monitor.commands import review
    from monitor.output import review as report
    from monitor.review.taskfiles import TaskFileError
    loaded = load_valid(args, offline=not args.deployed)
    if args.deployed:
        with connect(target(args), loaded, args.local) as clients:
            result = review.live(loaded, clients)
    else:
        try:
            result = review.offline(loaded, args.task_definitions, target(args).region)
        except TaskFileError as error:
            raise UserError(str(error)) from None
    shown = {"json": report.as_json, "markdown": report.markdown}.get(args.output)
    print(shown(result) if shown else report.text(result, loaded.source))
    return FAILED if args.fail_on and result.failing(args.fail_on) else OK


COMMANDS = {"validate": cmd_validate, "plan": cmd_plan, "apply": cmd_apply, "destroy": cmd_destroy,
            "test": cmd_test, "test-filter": cmd_test_filter, "replay": cmd_replay, "demo": cmd_demo,
            "exporter": cmd_exporter, "review": cmd_review}
