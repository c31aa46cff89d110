"""AWS's documented filter-pattern examples as a table: [source] pattern, event, expected outcome.

Source tags refer to the SOURCES list in monitor/patterns/semantics.py ("[prod]" marks a pattern
seen in public repositories' deployed configs, not in a doc). Where a source gives a pattern but
no event, the event is built to sit just inside or outside what the pattern documents ("event
built"). Cases marked disputed=True are where the docs disagree; the expectation is the engine's
default as decided in monitor/patterns/semantics.py, and the note says what the doc claims.
"""

from __future__ import annotations

import json
from typing import NamedTuple


class Case(NamedTuple):
    """One documented example."""

    source: str
    pattern: str
    event: str
    match: bool
    fields: dict | None = None  # expected Result.fields (TestMetricFilter extractedValues)
    value: str = "1"  # metric value reference
    published: float | None = None  # expected Result.value
    dimensions: dict | None = None  # dimension references
    published_dimensions: dict | None = None  # expected Result.dimensions
    note: str = ""
    disputed: bool = False


def expect(source: str, pattern: str, matching=(), failing=(), note: str = "", disputed: bool = False) -> list[Case]:
    """Cases for events that a pattern documents as matching and not matching."""
    return ([Case(source, pattern, e, True, note=note, disputed=disputed) for e in matching]
            + [Case(source, pattern, e, False, note=note, disputed=disputed) for e in failing])


def line(document: dict) -> str:
    """A JSON event on one line, as the docs require for testing [S1]."""
    return json.dumps(document)


# --- Events ---------------------------------------------------------------------------------

E400, E401 = "[ERROR 400] BAD REQUEST", "[ERROR 401] UNAUTHORIZED REQUEST"
E419, E420 = "[ERROR 419] MISSING ARGUMENTS", "[ERROR 420] INVALID ARGUMENTS"
E500 = "[ERROR 500] INTERNAL SERVER ERROR"
FATAL, EXITING = "[ERROR] A fatal exception has occurred", "Exiting with ERRORCODE: -1"
CAUGHT, UNHANDLED = "[ERROR] Caught IllegalArgumentException", "[ERROR] Unhandled Exception"
OR1, OR2, OR3 = "ERROR WARN message", "ERROR message", "WARN message"
APP = ["02 May 2014 00:34:12,525 [INFO] Starting the application",
       "02 May 2014 00:35:14,245 [DEBUG] Database connection established",
       "02 May 2014 00:34:14,663 [INFO] Executing SQL Query",
       "02 May 2014 00:34:16,142 [ERROR] Unhanded exception: InvalidQueryException",
       "02 May 2014 00:34:16,224 [ERROR] Terminating the application"]
A1 = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534'
A2 = '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324'
A3 = '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355'
B = ['127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
     '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /about-us/index.html HTTP/1.0" 200 5324',
     '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 404 4355',
     '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /products/index.html HTTP/1.0" 400 1534']
NOT_FOUND = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326'
BOB_404 = '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326'
BOB_200 = '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb2.gif HTTP/1.0" 200 2326'
BYTES = ['127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287',
         '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /~test/ HTTP/1.1" 200 3']
PROD = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534'
W = ["INFO 09/25/2014 12:00:00 GET /service/resource/67 1200",
     "INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310",
     "WARNING 09/25/2014 12:00:02 Invalid user request",
     "ERROR 09/25/2014 12:00:02 Failed to process request"]
FLOW = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 {} OK"

TRAIL = line({"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111",
              "arrayKey": ["value", "another value"],
              "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
              "SomeObject": None, "ThisFlag": True, "cluster.name": "c"})
USERS = line({"user": {"id": 1, "email": "John.Stiles@example.com"},
              "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
              "actions": ["GET", "PUT", "DELETE"],
              "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]})
CONTAINER = line({"Version": "0", "Type": "Container", "ContainerName": "stress-ng",
                  "TaskId": "fd84326dd7a44ad48c74d2487f773e1e", "TaskDefinitionFamily": "stress-ng",
                  "TaskDefinitionRevision": "2", "ServiceName": "stress-ng",
                  "ClusterName": "benchmark-cluster-ECSCluster-TOl9tY939Z2a",
                  "Image": "209640446841.dkr.ecr.us-east-2.amazonaws.com/stress-ng:latest",
                  "ContainerKnownStatus": "RUNNING", "Timestamp": 1654023960000,
                  "CpuUtilized": 24.915774739583338, "CpuReserved": 256, "MemoryUtilized": 270,
                  "MemoryReserved": 512, "NetworkRxErrors": 0, "NetworkTxErrors": 0})


def trail(**fields) -> str:
    """A CloudTrail-like event for the CloudTrail and Security Hub patterns [S15][S16]."""
    return line(fields)


# --- Unstructured terms [S1][S3][S3a][S5][S7][S19] ------------------------------------------

TERMS = [
    *expect("[S1]", "ERROR", [E400, E401, E419, E420]),
    *expect("[S1]", "ERROR ARGUMENTS", [E419, E420], [E400, E401]),
    *expect("[S1]", "?ERROR ?ARGUMENTS", [E400, E401, E419, E420], ["[INFO] ALL GOOD"], "event built for the miss"),
    *expect("[S1]", "?ERROR ?ARGUMENTS REQUEST",
            ["[INFO] REQUEST FAILED", "[WARN] UNAUTHORIZED REQUEST", "[ERROR] 400 BAD REQUEST"], [E419],
            "?terms are ignored next to plain terms: behaves like REQUEST"),
    *expect("[S1]", '"INTERNAL SERVER ERROR"', [E500], ["[ERROR 500] INTERNAL ERROR SERVER"]),
    *expect("[S1]", "ERROR -ARGUMENTS", [E400, E401], [E419, E420]),
    *expect("[S1]", '" "', [E400], note="match everything"),
    *expect("[S1]", '" "', ["NO-SPACE-AT-ALL"], note="special case, not a one-space phrase (semantics.MATCH_ALL_TEXTS)",
            disputed=True),
    *expect("[S3]", '""', [E400, "anything"]),
    *expect("[S3]", "ERROR", [FATAL, EXITING], ["error in lower case"]),
    *expect("[S3]", '"ERROR" - "Exiting"', [FATAL], [EXITING]),
    *expect("[S3]", "ERROR -Exiting", [FATAL], [EXITING]),
    *expect("[S3]", "ERROR Exception", [CAUGHT, UNHANDLED], [FATAL]),
    *expect("[S3]", "Failed to process the request",
            ["[WARN] Failed to process the request", "[ERROR] Unable to continue: Failed to process the request"],
            ["[WARN] Failed to process"]),
    *expect("[S3a]", "?Error ?fatal", ["[Error] Unhandled Exception", FATAL], [CAUGHT, EXITING]),
    *expect("[S3]", "ERROR", [OR1, OR2], [OR3]),
    *expect("[S3]", "?ERROR ?WARN", [OR1, OR2, OR3]),
    *expect("[S3]", "ERROR WARN", [OR1], [OR2, OR3]),
    *expect("[S3]", "ERROR -WARN", [OR2], [OR1, OR3]),
    *expect("[S5]", '"[ERROR]"', APP[3:], APP[:3]),
    *expect("[S5]", '"[ERROR]" Exception', APP[3:4], APP[:3] + APP[4:], "lower-case 'exception:' does not count"),
    *expect("[S7]", "ERROR", ["[ERROR] 400 BAD REQUEST"], ["[INFO] 200 OK"]),
    *expect("[S19]", "-ERROR", ["[INFO] started"], ["[ERROR] failed"]),
    *expect("[S19]", "?ERROR ?Exception", ["java.lang.Exception", "[ERROR] x"], ["[INFO] ok"]),
    *expect("[S17]", "ERROR", [], [CONTAINER], "NetworkRxErrors is not ERROR: terms are case sensitive"),
    Case("[S5]", '"[ERROR]"', APP[3], True, fields={}),
    *expect("[S20]", '"ORDER-ITEM-1"', ["order ORDER-ITEM-1 shipped"], ["order ORDER-ITEM-2 shipped"]),
    *expect("[S20]", "ORDER-ITEM-1", ["ORDER 7"], ["order ORDER-ITEM-1 shipped"],
            "AWS does not find the literal text; read as ORDER -ITEM -1 (semantics.HYPHEN_STARTS_EXCLUSION)",
            disputed=True),
]

# --- Standalone regex [S1][S4] ----------------------------------------------------------------

REGEX = [
    *expect("[S1]", "%AUTHORIZED%", [E401, "[SUCCESS 200] AUTHORIZED REQUEST"], [E400]),
    *expect("[S4]", "%^[hc]at%", ["hat trick", "cat nap"], ["a hat", "bat"]),
    *expect("[S4]", "%[hc]at$%", ["a hat", "the cat"], ["hats", "hat\n"]),
    *expect("[S4]", "%colou?r%", ["color", "colour"], ["colr"]),
    *expect("[S4]", "%[abc]%", ["a", "b", "c"], ["xyz"]),
    *expect("[S4]", "%[a-z]%", ["q"], ["Q9"]),
    *expect("[S4]", "%[abcx-z]%", ["y"], ["d"]),
    *expect("[S4]", "%a{3,5}%", ["aaa", "aaaaa"], ["aa"]),
    *expect("[S4]", "%a{3,}%", ["aaaaaaa"], ["aa"], "either bound may be omitted"),
    *expect("[S4]", "%gra|ey%", ["gray", "grey"], ["gruy"]),
    *expect("[S4]", "%^starting|^initializing|^shutting down%",
            ["starting up", "initializing x", "shutting down"], ["skipping initializing x"]),
    *expect("[S4]", "%abcc|ab[^c]$%", ["abcc x", "aba"], ["aac x"], "the doc omits the closing %"),
    *expect("[S4]", r"%\[.\]%", ["[a]", "[7]", "[@]", "[]]", "[ ]"], ["[ab]"]),
    *expect("[S4]", "%ab*c%", ["ac", "abc", "abbbc"], ["ab"]),
    *expect("[S4]", "%ab[0-9]*%", ["ab", "ab0", "ab129"], ["a b"]),
    *expect("[S4]", "%ab+c%", ["abc", "abbc"], ["ac"]),
    *expect("[S4]", "%.at%", ["hat", "4at", "#at", " at"], ["at"]),
    *expect("[S4]", "%10.10.0.1%", ["10010,051", "10.10.0.1"], ["10.10.0.2"], "an unescaped dot is any character"),
    *expect("[S4]", r"%10\.10\.0\.1%", ["10.10.0.1"], ["10010,051"]),
    *expect("[S4]", r"%\d%", ["7"], ["x"]),
    *expect("[S4]", r"%\D%", ["x"], ["7"]),
    *expect("[S4]", r"%\s%", ["a b", "a\tb"], ["ab"]),
    *expect("[S4]", r"%\S%", ["a"], [" "]),
    *expect("[S4]", r"%\w%", ["_"], ["-"]),
    *expect("[S4]", r"%\W%", ["-"], ["a_1"]),
    *expect("[S4]", r"%\x3A%", ["a:b"], ["ab"]),
    *expect("[S4]", r"%\x28%", ["f(x)"], ["fx"]),
    Case("[S5]", "%AUTHORIZED%", E401, True, fields={}, note="unstructured patterns extract nothing"),
]

# --- JSON [S1][S2][S3][S6] ------------------------------------------------------------------

JSON = [
    *expect("[S1]", '{ $.eventType = "UpdateTrail" }', [TRAIL], [trail(eventType="CreateTrail")]),
    *expect("[S1]", "{ $.sourceIPAddress != 123.123.* }", [TRAIL], [trail(sourceIPAddress="123.123.0.9")]),
    *expect("[S1]", '{ $.arrayKey[0] = "value" }', [TRAIL], [trail(arrayKey="value")], "not an array: false"),
    *expect("[S1]", "{ $.objectList[1].id = 2 }", [TRAIL], [trail(objectList=[{"id": 2}])]),
    *expect("[S1]", "{ $.SomeObject IS NULL }", [TRAIL], [trail(SomeObject=0)]),
    *expect("[S1]", "{ $.SomeOtherObject NOT EXISTS }", [TRAIL], [trail(SomeOtherObject=None)]),
    *expect("[S3]", "{ $.ThisFlag IS TRUE }", [TRAIL], [trail(ThisFlag=False), trail(ThisFlag="true")]),
    *expect("[S3]", "{ $.ThisFlag IS FALSE }", [trail(ThisFlag=False)], [TRAIL]),
    *expect("[S2]", "{ $.eventType = %Trail% }", [TRAIL], [trail(eventType="Update")]),
    *expect("[S2]", "{ $.arrayKey[*] = %val.{2}% }", [TRAIL], [trail(arrayKey=["va", "v"])]),
    *expect("[S2]", r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }", [TRAIL], [trail(ip="111.111.111.2")]),
    *expect("[S2]", "{ $.['cluster.name'] = \"c\" }", [TRAIL], [trail(cluster={"name": "c"})]),
    *expect("[S2]", '{ $.cluster.name = "c" }', [trail(cluster={"name": "c"})], [TRAIL], "a dot means nesting"),
    *expect("[S3]", "{ $.arrayKey = \"value\" }", [], [TRAIL], "a selector on an array never matches"),
    *expect("[S3]", "{ $.arrayKey != \"value\" }", [], [TRAIL], "nor does != on it"),
    *expect("[S3]", "{$.users = 1}", [], [line({"users": [1, 2, 3]})]),
    *expect("[S3]", "{$.users != 1}", [], [line({"users": [1, 2, 3]})]),
    *expect("[S1]", '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', [USERS]),
    *expect("[S1]", '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" '
                    '&& $.actions[2] = "nonmatch" }', [USERS], note="&& binds tighter than ||"),
    *expect("[S1]", '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") '
                    '&& $.actions[2] = "nonmatch" }', [], [USERS]),
    *expect("[S1]", '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', [], [USERS]),
    *expect("[S3]", '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch '
                    "&& $.actions[2] = nomatch }", [USERS]),
    *expect("[S3]", '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) '
                    "&& $.actions[2] = nomatch }", [], [USERS]),
    *expect("[S1]", "{ $.coordinates[0][1] = 1 }", [USERS], [line({"coordinates": [[1]]})], "event built"),
    *expect("[S3]", "{$.foo = bar}", [line({"foo": "bar"})], [line({"foo": "baz"})]),
    *expect("[S3]", "{$.foo = baz }", [line({"foo": "baz"})], [line({"foo": "bar"})]),
    *expect("[S3]", "{$.foo = bar || $.foo = baz }", [line({"foo": "bar"}), line({"foo": "baz"})], [line({"foo": "qux"})]),
    *expect("[S3]", "{ $.eventName = *Event }", [trail(eventName="PutEvent"), trail(eventName="GetEvent")],
            [trail(eventName="EventId")]),
    *expect("[S3]", "{ $.eventName = Event* }", [trail(eventName="EventId"), trail(eventName="EventName")],
            [trail(eventName="PutEvent")]),
    *expect("[S3]", "{ $.eventName = Ev*ent }", [trail(eventName="Ev*ent")], [trail(eventName="EvXent")],
            "a * in the middle is literal"),
    *expect("[S6]", "{ $.eventType = \"*\" && $.sourceIPAddress != 123.123.* }", [TRAIL],
            [trail(sourceIPAddress="1.1.1.1")]),
]

# Numeric comparisons: patterns from [S1][S3], events built on each side of the bound.
NUMERIC = [
    *expect("[S1]", "{ $.bandwidth > 75 }", [line({"bandwidth": 76})], [line({"bandwidth": 75})]),
    *expect("[S1]", "{ $.latency < 50 }", [line({"latency": 49.9})], [line({"latency": 50})]),
    *expect("[S1]", "{ $.refreshRate >= 60 }", [line({"refreshRate": 60})], [line({"refreshRate": 59})]),
    *expect("[S1]", "{ $.responseTime <= 5 }", [line({"responseTime": 5})], [line({"responseTime": 5.5})]),
    *expect("[S1]", "{ $.errorCode = 400}", [line({"errorCode": 400}), line({"errorCode": 400.0})],
            [line({"errorCode": 401})]),
    *expect("[S1]", "{ $.errorCode != 500 }", [line({"errorCode": 404})], [line({"errorCode": 500})]),
    *expect("[S1]", "{ $.number[0] = 1e+3 }", [line({"number": [1000]})], [line({"number": [100]})]),
    *expect("[S1]", "{ $.number[0] != 1e-3 }", [line({"number": [1]})], [line({"number": [0.001]})]),
    *expect("[S1]", "{ $.number[0] = 1e-3 }", [line({"number": [0.001]})], [line({"number": [1]})]),
    *expect("[S3]", "{ $.latency >= 500 }", [line({"latency": 500})], [line({"latency": 499})]),
    *expect("[S3]", "{ $.numbers[0] < 10e3 }", [line({"numbers": [9999]})], [line({"numbers": [10000]})]),
    *expect("[S3]", "{ $.numbers[0] < 10e-3 }", [line({"numbers": [0.009]})], [line({"numbers": [0.01]})]),
    *expect("[S3]", "{ $.processes[4].averageRuntime <= 55.5 }",
            [line({"processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}]})],
            [line({"processes": [{"averageRuntime": 1}]})]),
    *expect("[S3]", "{ $.latency > +1000 }", [line({"latency": 1001})], [line({"latency": 1000})]),
]

METRIC_JSON = [
    Case("[S6]", "{ $.latency = * }", line({"latency": 50, "requestType": "GET"}), True,
         value="$.latency", published=50.0),
    Case("[S6]", "{ $.latency = * }", line({"requestType": "GET"}), False, value="$.latency"),
    Case("[S6]", '{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', TRAIL, True,
         dimensions={"eventType": "$.eventType"}, published_dimensions={"eventType": "UpdateTrail"}),
    Case("[S17]", '{ $.Type = "Container" && $.ContainerName = "stress-ng" }', CONTAINER, True,
         value="$.MemoryUtilized", published=270.0,
         dimensions={"TaskDefinitionFamily": "$.TaskDefinitionFamily"},
         published_dimensions={"TaskDefinitionFamily": "stress-ng"}),
    Case("[S17]", "{ $.CpuUtilized > 20 }", CONTAINER, True, value="$.CpuUtilized", published=24.915774739583338),
    Case("[S17]", "{ $.TaskDefinitionRevision = 2 }", CONTAINER, False,
         note="the revision is a string: quote it (semantics.NUMBER_OPERAND_MATCHES_STRING)"),
    Case("[S17]", '{ $.TaskDefinitionRevision = "2" }', CONTAINER, True),
    Case("[S2]", '{ $.eventType = "UpdateTrail" }', TRAIL, True, fields={}, note="JSON extracts no fields"),
]

# --- CloudTrail [S15] and Security Hub [S16] patterns, events built ---------------------------

SECURITY = [
    *expect("[S15]", '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
            [trail(errorCode="Client.UnauthorizedOperation"), trail(errorCode="AccessDeniedException")],
            [trail(errorCode="ThrottlingException")]),
    *expect("[S15]", '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
            [trail(eventName="ConsoleLogin", errorMessage="Failed authentication")],
            [trail(eventName="ConsoleLogin")]),
    *expect("[S15]", "{ ($.eventName = RunInstances) && ($.requestParameters.instanceType = *.8xlarge) }",
            [trail(eventName="RunInstances", requestParameters={"instanceType": "c5.8xlarge"})],
            [trail(eventName="RunInstances", requestParameters={"instanceType": "t3.micro"})]),
    *expect("[S15]", "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || "
                     "($.eventName = PutBucketPolicy)) }",
            [trail(eventSource="s3.amazonaws.com", eventName="PutBucketPolicy")],
            [trail(eventSource="s3.amazonaws.com", eventName="GetObject")]),
    *expect("[S15]", "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)}",
            [trail(eventName="DeleteRolePolicy")], [trail(eventName="PutRolePolicy")]),
    *expect("[S16]", '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && '
                     '$.eventType !="AwsServiceEvent"}',
            [trail(userIdentity={"type": "Root"}, eventType="AwsApiCall")],
            [trail(userIdentity={"type": "Root", "invokedBy": "s3.amazonaws.com"}, eventType="AwsApiCall"),
             trail(userIdentity={"type": "Root"}, eventType="AwsServiceEvent")]),
    *expect("[S16]", "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||"
                     "($.eventName=ScheduleKeyDeletion))}",
            [trail(eventSource="kms.amazonaws.com", eventName="DisableKey")],
            [trail(eventSource="kms.amazonaws.com", eventName="Decrypt")]),
]

# --- Space-delimited [S1][S3][S5][S14][S18] ---------------------------------------------------

APACHE_FIELDS = {"$ip": "127.0.0.1", "$identity": "-", "$user_id": "frank",
                 "$timestamp": "10/Oct/2000:13:25:15 -0700", "$request": "GET /apache_pb.gif HTTP/1.0",
                 "$status_code": "200", "$size": "1534"}
POSITIONS = {"$1": "127.0.0.1", "$2": "-", "$3": "frank", "$4": "10/Oct/2000:13:25:15 -0700",
             "$5": "GET /apache_pb.gif HTTP/1.0", "$6": "200", "$7": "1534"}


def positions(*numbers: int) -> dict:
    """Some of A1's positional fields."""
    return {f"${n}": POSITIONS[f"${n}"] for n in numbers}


DELIMITED = [
    Case("[S5]", "[ip, identity, user_id, timestamp, request, status_code, size]", A1, True, fields=APACHE_FIELDS,
         note='the doc prints "$size": "1534," - a typo; the event has 1534'),
    *expect("[S5]", "[ip, identity, user_id, timestamp, request, status_code, size]", [A2, A3]),
    Case("[S5]", "[..., size]", A1, True, fields={**positions(1, 2, 3, 4, 5, 6), "$size": "1534"}),
    Case("[S5]", "[..., size]", A2, True,
         fields={"$1": "127.0.0.1", "$2": "-", "$3": "frank", "$4": "10/Oct/2000:13:35:22 -0700",
                 "$5": "GET /apache_pb.gif HTTP/1.0", "$6": "500", "$size": "5324"}),
    Case("[S5]", "[]", A1, True, fields=POSITIONS),
    Case("[S5]", "[..., status_code=200, size]", A1, True,
         fields={**positions(1, 2, 3, 4, 5), "$status_code": "200", "$size": "1534"}),
    *expect("[S5]", "[..., status_code=200, size]", [A3], [A2]),
    Case("[S5]", "[..., request=*.html*, status_code=4*,]", B[0], True,
         fields={"$1": "127.0.0.1", "$2": "-", "$3": "frank", "$4": "10/Oct/2000:13:25:15 -0700",
                 "$request": "GET /index.html HTTP/1.0", "$status_code": "404", "$7": "1534"}),
    Case("[S5]", "[..., request=*.html*, status_code=4*,]", B[3], True,
         fields={"$1": "127.0.0.1", "$2": "-", "$3": "frank", "$4": "10/Oct/2000:13:25:15 -0700",
                 "$request": "GET /products/index.html HTTP/1.0", "$status_code": "400", "$7": "1534"}),
    *expect("[S5]", "[..., request=*.html*, status_code=4*,]", [], [B[1], B[2]]),
    *expect("[S1]", "[ip, user, username, timestamp, request, status_code, bytes]", [A1, A2, A3],
            ["127.0.0.1 - frank 200 1534"]),
    Case("[S1]", "[..., status_code, bytes]", A1, True,
         fields={**positions(1, 2, 3, 4, 5), "$status_code": "200", "$bytes": "1534"}),
    Case("[S1]", "[ip, user, ..., status_code, bytes]", A1, True,
         fields={"$ip": "127.0.0.1", "$user": "-", **positions(3, 4, 5), "$status_code": "200", "$bytes": "1534"}),
    Case("[S1]", "[ip, user, ...]", A1, True,
         fields={"$ip": "127.0.0.1", "$user": "-", **positions(3, 4, 5, 6, 7)}),
    *expect("[S1]", "[ip, user, username, timestamp, request, status_code, bytes > 1000]", [A1, A2, A3], [BYTES[0]]),
    *expect("[S1]", "[ip, user, username, timestamp, request, status_code = 200, bytes]", [A1, A3], [A2]),
    *expect("[S1]", "[ip, user, username, timestamp, request, status_code = 4*, bytes]", [NOT_FOUND], [A1, A2]),
    *expect("[S3]", "[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", [B[0]], [B[2]]),
    *expect("[S3]", "[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]",
            [NOT_FOUND], [A1]),
    *expect("[S3a]", "[ip, user, username, timestamp, request, status_code = 4* && status_code = 5*, bytes]",
            [], [NOT_FOUND, A2], "can never match"),
    *expect("[S3a]", "[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]",
            [NOT_FOUND], [A1]),
    *expect("[S1]", r"[ip=%127\.0\.0\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]",
            [PROD], [PROD.replace("127.0.0.1", "192.168.0.1")]),
    Case("[S1]", "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]",
         PROD, True, fields={"$bytes": "1534", "$status_code": "404", "$request": "GET /index.html HTTP/1.0",
                             "$timestamp": "10/Oct/2000:13:25:15 -0700", "$username": "frank",
                             "$user": "Prod", "$ip": "127.0.0.1"}),
    *expect("[S1]", "[..., request =*.html*, status_code = 4*, bytes]", [PROD], [A1]),
    *expect("[S1]", "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
            [W[0]], [W[1], W[2], W[3]]),
    *expect("[S1]", "[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]",
            [W[1]], [W[0], W[2], W[3]]),
    *expect("[S1]", "[w1=ERROR, w2]", [W[3]], W[:3], 'doc: "returns log events where the first word is ERROR"; '
            "the last field takes the rest of the line (semantics.EXACT_FIELD_COUNT)", disputed=True),
    *expect("[S1]", "[w1=ERROR || w1=WARNING, w2]", W[2:], W[:2], "as above", disputed=True),
    *expect("[S1]", "[w1!=ERROR && w1!=WARNING, w2]", W[:2], W[2:], "as above", disputed=True),
    *expect("[S1]", "[w1=ERROR || w1=WARNING, w2]", ["ERROR message", "WARNING message"], ["INFO message"]),
    *expect("[S3]", "[w1=ERROR, w2]", [OR2], [OR3]),
    *expect("[S3]", "[w1=ERROR, w2]", [OR1], [], "the 2020 doc says no match; the last field takes the rest "
            "of the line (semantics.EXACT_FIELD_COUNT)", disputed=True),
    *expect("[S3]", "[w1=ERROR || w1=WARN, w2]", [OR2, OR3]),
    *expect("[S3]", "[w1=ERROR || w1=WARN, w2]", [OR1], [], "as above: the 2020 doc says no match", disputed=True),
    *expect("[S3]", "[w1!=ERROR&&w1!=WARN, w2]", [], [OR1, OR2, OR3],
            "the 2020 doc claims a match on ERROR WARN message, which no reading allows", disputed=True),
    *expect("[prod]", '[(w1="*ERROR*" && w1!="*UNAUTHORIZED*") || w1="*Task timed out*"]',
            ["2024-01-01T00:00:00Z abc-123 Task timed out after 3.00 seconds", "ERROR db down"],
            ["ERROR 401 UNAUTHORIZED", "INFO all good"],
            "the one-field idiom of alarms in public repositories (events built); no doc shows it",
            disputed=True),
    *expect("[S6]", "[w1=ERROR || w1=%WARN%, w2]", ["WARNING message", "ERROR message"], ["INFO message"]),
    *expect("[S14]", "[IP, UserInfo, User, Timestamp, RequestInfo, StatusCode=404, Bytes]", [NOT_FOUND], [A1]),
    *expect("[S14]", "[ip, id, user, timestamp, request, status_code=404, size]", [BOB_404], [BOB_200]),
    Case("[S14]", "[ip, id, user, timestamp, request, status_code, size]", BYTES[0], True,
         value="$size", published=287.0),
    Case("[S14a]", "[ip, id, user, timestamp, request, status_code, size]", BYTES[1], True,
         value="$7", published=3.0, note="the seventh token, though it is named size"),
    Case("[S6]", "[ip, server, username, timestamp, request, status_code, bytes > 1000]", PROD, True,
         fields={"$bytes": "1534", "$status_code": "404", "$request": "GET /index.html HTTP/1.0",
                 "$timestamp": "10/Oct/2000:13:25:15 -0700", "$username": "frank", "$server": "Prod",
                 "$ip": "127.0.0.1"},
         dimensions={"server": "$server"}, published_dimensions={"server": "Prod"}),
    *expect("[S18]", '[version, account, eni, source, destination, srcport, destport="22", protocol="6", '
                     'packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]',
            [FLOW.format("REJECT")], [FLOW.format("ACCEPT")]),
]

CASES = TERMS + REGEX + JSON + NUMERIC + METRIC_JSON + SECURITY + DELIMITED
