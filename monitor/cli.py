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
import signal
import sys
from pathlib import Path

import botocore.exceptions as bx

from monitor import config as configs
from monitor.aws.clients import Target, endpoint_problem
from monitor.aws.errors import UNREADABLE, explain
from monitor.commands import codes, sync
from monitor.commands.arguments import dashed_pattern, parser
from monitor.commands.connect import MissingExtra, connect
from monitor.config.references import REGION
from monitor.output import cost as costs
from monitor.output import markdown
from monitor.output import plan as render
from monitor.resolved import Loaded
from monitor.sync import saved
from monitor.resolved import model as resolved_model

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


def config_path(args, recorded: str | None = None) -> str:
    """The config file to read; a missing one is a usage problem (exit 2), not an invalid config.

    `recorded` is a saved plan's config: without -c, that file is the one to read, not monitor.yaml.
    """
    if recorded is not None and not args.config:
        if not Path(recorded).exists():
            raise UserError(f"the plan was made from {recorded}, which is not found from here: give it with -c FILE", USAGE)
        return recorded
    path = args.config or configs.default_path()
    if not Path(path).exists():
        given = "" if args.config else f" (nor {configs.DEFAULT_FILES[1]})"
        raise UserError(f"no config file {path}{given}: give one with -c FILE", USAGE)
    return path


def load_valid(args, offline: bool = False, recorded: str | None = None) -> Loaded:
    """The validated config; invalid ones stop here, before any client exists."""
    loaded = codes.validate(config_path(args, recorded))
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
    return Target(region(args), args.profile, args.endpoint_url)


def region(args) -> str | None:
    """--region, checked: a malformed one is a usage error."""
    if args.region is not None and not REGION.fullmatch(args.region):
        raise UserError(f"--region {args.region!r} does not look like an AWS Region, e.g. eu-west-1", USAGE)
    return args.region


def cmd_validate(args) -> int:
    loaded = codes.validate(config_path(args))
    if args.output == "json":
        print(render.problems_json(loaded.problems))
    elif loaded.problems:
        print(render.problems_text(loaded.problems))
    if loaded.ok and args.output == "text":
        print(f"{loaded.source.name}: valid")
    return OK if loaded.ok else FAILED


def cmd_plan(args) -> int:
    """Plan; with --out also save it for `apply FILE`; markdown for a pull request."""
    loaded = load_valid(args)
    if args.print_iam_policy:
        return print_policy(args, loaded)
    manager = sync.Manager(loaded, target(args), args.local, sync.Hooks(target=_header(args)))
    planned = manager.plan(prune=args.prune, destroy=args.destroy)
    result, where = planned.plan, planned.where
    if args.output == "json":
        print(render.plan_json(result, None, loaded.source, cost=costs.plan_cost_json(*planned.cost),
                               target=where.as_dict()))
    elif args.output == "markdown":
        print(markdown.plan_markdown(result, where.words(), loaded.source, planned.cost))
    else:
        print(render.plan_text(result, loaded.source, compact=not args.verbose) + "\n"
              + costs.delta_text(*planned.cost))
    if result.errors:
        return _fail(f"the plan has errors: not saved to {args.out}") if args.out else FAILED
    if args.out:
        manager.save(planned, args.out, prune=args.prune, destroy=args.destroy)
        print(f"Saved the plan to {args.out}: `monitor apply {shlex.quote(args.out)}` applies exactly it.",
              file=sys.stderr if args.output != "text" else sys.stdout)
    return USAGE if args.detailed_exitcode and result.changes else OK


def print_policy(args, loaded) -> int:
    """The IAM policy the command needs for this config (apply's covers plan and destroy), with no AWS call."""
    import json

    from monitor.sync import iam
    print(json.dumps(iam.policy(loaded.config, target(args).region, writes=args.command == "apply"), indent=2))
    return OK


def _header(args):
    """The target, first: on stdout in text, on stderr beside JSON or Markdown (stdout stays the document)."""
    stream = sys.stdout if args.output == "text" else sys.stderr
    return lambda where: print(f"Target: {where.words()}", file=stream, flush=True)


def cmd_apply(args, destroy: bool = False) -> int:
    if getattr(args, "plan_file", None) and not args.print_iam_policy:
        return _apply_saved(args)
    loaded = load_valid(args)
    if getattr(args, "print_iam_policy", False):   # apply's: destroy has no such flag
        return print_policy(args, loaded)
    hooks = sync.Hooks(target=_header(args), show=_shown(args, loaded.source), progress=_progress(args),
                       confirm=lambda question: confirm(args, question))
    manager = sync.Manager(loaded, target(args), args.local, hooks)
    return _applied(args, loaded, lambda: manager.apply(prune=getattr(args, "prune", False), destroy=destroy,
                                                        force=getattr(args, "force", False), ask=not args.yes))


def _apply_saved(args) -> int:
    """`apply FILE`: the saved plan, refused if anything it touches moved; no prompt. Without -c, the
    config is the one the plan records having been made from."""
    if args.prune:
        raise UserError("--prune is decided when the plan is made: monitor plan --prune --out FILE", USAGE)
    try:
        plan = sync.load_saved(args.plan_file)
    except saved.SavedPlanError as error:
        raise UserError(f"{args.plan_file}: {error}") from None
    loaded = load_valid(args, recorded=plan.config_path)
    hooks = sync.Hooks(target=_header(args), show=_shown(args, loaded.source, saved_plan=True),
                       progress=_progress(args))
    manager = sync.Manager(loaded, target(args), args.local, hooks)
    return _applied(args, loaded, lambda: manager.apply_saved(plan, force=args.force))


def _applied(args, loaded, run) -> int:
    """Run an apply; print the JSON document, or the text summary; exit 1 if any change failed."""
    from monitor.sync.apply import Interrupted
    try:
        done = run()
    except sync.Refused as refused:
        raise UserError(str(refused), refused.code) from None
    except Interrupted as stopped:
        raise UserError(f"interrupted: {stopped}; run {args.command} again to finish "
                        "(plan first to see what is left)", 130) from None
    result = done.planned.plan
    if args.output == "json":
        print(render.plan_json(result, done.outcomes, loaded.source, target=done.planned.where.as_dict()))
    elif done.outcomes is not None:
        print(render.applied_summary(done.outcomes))
    if done.outcomes is None:
        return FAILED if result.errors else OK
    return FAILED if any(o.failed for o in done.outcomes) else OK


def _shown(args, source, saved_plan: bool = False):
    """The plan before the question: compact text on stdout; beside JSON, on stderr for whoever answers
    the prompt (with --yes there is no one: the JSON document says it all). A saved plan was reviewed
    when it was made: its summary alone, then each result as it comes."""
    def show(planned) -> None:
        if saved_plan:
            if args.output == "text":
                print(f"Applying the saved plan {args.plan_file}. {render.summary_line(planned.plan)}", flush=True)
            return
        text = render.plan_text(planned.plan, source, compact=not args.verbose)
        if args.output == "text":
            print(text, flush=True)
        elif not args.yes and planned.plan.changes and not planned.plan.errors:
            print(text, file=sys.stderr, flush=True)
    return show


def _progress(args):
    """In text, each result is printed the moment it is known; JSON prints one document at the end."""
    if args.output == "json":
        return lambda outcome: None
    return lambda outcome: print(render.outcome_line(outcome), flush=True)


def confirm(args, question: str) -> bool:
    """Ask before changing anything; only the full word `yes` goes on. Without a terminal there is no one to ask."""
    if not sys.stdin.isatty():
        raise UserError("stdin is not a terminal: review the plan, then re-run with --yes", USAGE)
    print(f"{question} Type 'yes' to go on: ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()   # the prompt is on stderr, so stdout stays the result alone
    except KeyboardInterrupt:
        answer = ""
    if not answer.endswith("\n"):   # Ctrl-D (or Ctrl-C) left the cursor on the prompt line
        print(file=sys.stderr)
    return answer.strip() == "yes"


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


def cmd_emulator(args) -> int:
    """Serve the embedded emulator, seeded from the config when there is one, until SIGINT/SIGTERM (exit 0)."""
    from monitor.commands import emulator
    from monitor.commands.connect import LOCAL_REGION
    from monitor.taskdefs.files import TaskFileError
    has_config = args.config or Path(configs.default_path()).exists()
    loaded = load_valid(args, offline=True) if has_config else None
    home = region(args) or (loaded.config.region if loaded else None) or LOCAL_REGION
    try:
        number = emulator.serve(loaded, home, args.port, lambda url, seed: _serving(url, home, seed, loaded))
    except TaskFileError as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot serve on 127.0.0.1:{args.port}: {error.strerror or error}") from None
    print(f"stopped by {signal.Signals(number).name}", flush=True)
    return OK


def _serving(url: str, region: str, seed, loaded: Loaded | None) -> None:
    """What the emulator holds and how to point commands at it; then `ready URL`, for scripts to wait on."""
    config = f" -c {shlex.quote(loaded.source.name)}" if loaded else ""
    families = sorted({d["family"] for d in seed.task_definitions})
    print(f"Serving the embedded emulator at {url} (home Region {region}; every Region is served).\n"
          f"Seeded{' from ' + loaded.source.name if loaded else ' with nothing'}:\n"
          f"  clusters: {', '.join(seed.clusters) or '(none)'}\n"
          f"  log groups: {', '.join(seed.groups) or '(none)'}\n"
          f"  task definitions: {', '.join(families) or '(none)'}\n"
          f"Point commands at it: monitor plan{config} --endpoint-url {url}\n"
          "Any credentials do; without any: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n"
          "State lives until this process stops (Ctrl-C or SIGTERM).\n"
          f"ready {url}", flush=True)


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
    from monitor.config.walk import task_families
    from monitor.kinds import metric_filter
    from monitor.offline.replay import on_group, read_events, replay
    from monitor.output import filters as report
    from monitor.resolved.taskdefs import offline_log_groups
    from monitor.taskdefs.files import TaskFileError, of_families
    loaded = load_valid(args, offline=True)
    try:   # containers whose log group comes from a task definition, read from task-definitions/ as validate does
        config, _ = offline_log_groups(loaded.config, of_families(loaded.source.name, task_families(loaded.config)))
    except TaskFileError as error:
        raise UserError(str(error)) from None
    specs = [r.spec for r in metric_filter.desired(resolved_model.of(config))]
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
    from monitor.exporter import batches, iam
    from monitor.exporter.rules import parse_listen
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
    if args.print_rules:
        from monitor.output.exporter import rules_yaml
        print(rules_yaml(loaded.config), end="")
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
    from monitor.cost.exporter import budget
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
    from monitor.taskdefs.files import TaskFileError
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
            "exporter": cmd_exporter, "review": cmd_review, "emulator": cmd_emulator}
