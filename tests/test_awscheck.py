"""`test-filter --aws`: TestMetricFilter's answers beside the engine's, via a Stubber."""

from __future__ import annotations

import json

import pytest
from botocore.stub import Stubber

from monitor import cli
from monitor.aws.clients import Clients, Target
from monitor.aws.testmetricfilter import compare
from monitor.patterns import parse

PATTERN = "[ip, user, status = 4*, bytes]"
EVENTS = ["1.2.3.4 - 404 10", "1.2.3.4 - 200 10", "", "5.6.7.8 bob 403 7"]


@pytest.fixture
def stubbed(monkeypatch):
    """Clients whose logs client answers TestMetricFilter from a queue of stubbed responses."""
    clients = Clients(Target("us-east-1"))
    stubber = Stubber(clients.logs)
    monkeypatch.setattr(cli, "connect", _yielding(clients))
    with stubber:
        yield clients, stubber


def _yielding(clients):
    from contextlib import contextmanager

    @contextmanager
    def connect(*_):
        yield clients
    return connect


def answer(stubber, matches: list[tuple[int, str, dict]], messages: list[str]) -> None:
    found = [{"eventNumber": n, "eventMessage": m, "extractedValues": v} for n, m, v in matches]
    stubber.add_response("test_metric_filter", {"matches": found},
                         {"filterPattern": PATTERN, "logEventMessages": messages})


def fields(ip, user, status, bytes_) -> dict:
    return {"$ip": ip, "$user": user, "$status": status, "$bytes": bytes_}


def test_agreement_pairs_matches_by_message_whatever_the_event_number_base(stubbed):
    clients, stubber = stubbed
    sent = [EVENTS[0], EVENTS[1], EVENTS[3]]   # the empty event is not sent: AWS refuses it
    answer(stubber, [(1, EVENTS[0], fields("1.2.3.4", "-", "404", "10")),
                     (3, EVENTS[3], fields("5.6.7.8", "bob", "403", "7"))], sent)
    verdicts = compare(clients, parse(PATTERN), list(enumerate(EVENTS, start=1)))
    assert [(v.line, v.aws_match, v.match, v.agrees) for v in verdicts] == [
        (1, True, True, True), (2, False, False, True), (4, True, True, True)]


def test_events_go_50_a_call(stubbed):
    clients, stubber = stubbed
    events = [f"1.1.1.1 - 200 {n}" for n in range(120)]
    for start in (0, 50, 100):
        answer(stubber, [], events[start:start + 50])
    assert len(compare(clients, parse(PATTERN), list(enumerate(events, start=1)))) == 120
    stubber.assert_no_pending_responses()


def test_the_command_shows_disagreements_and_exits_1(stubbed, tmp_path, capsys):
    _, stubber = stubbed
    path = tmp_path / "events.log"
    path.write_text("\n".join(EVENTS[:2]) + "\n")
    answer(stubber, [(0, EVENTS[1], fields("1.2.3.4", "-", "200", "10"))], EVENTS[:2])   # AWS "disagrees"
    assert cli.main(["test-filter", PATTERN, str(path), "--aws"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("1: AWS does not match; ecs-monitor matches {")
    assert out[1].startswith("2: AWS matches")
    assert out[-1] == "0 agree, 2 differ (TestMetricFilter against the local engine)"


def test_the_command_in_json_when_all_agree(stubbed, tmp_path, capsys):
    _, stubber = stubbed
    path = tmp_path / "events.log"
    path.write_text(EVENTS[1] + "\n")
    answer(stubber, [], [EVENTS[1]])
    assert cli.main(["test-filter", PATTERN, str(path), "--aws", "--output", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"line": 1, "match": False, "aws_match": False,
                                                   "fields": {}, "aws_fields": {}, "agrees": True}
