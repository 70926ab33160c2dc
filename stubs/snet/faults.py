"""Fault switches: deliberate ways a service behind the daemon goes wrong, each caught by a check."""

from __future__ import annotations

from ..fault import Fault, table

FAULTS: dict[str, Fault] = table(
    Fault(
        "omitted-default-crash",
        "crashes with a 500 when a default-valued field is left out of the body (reads body[name])",
        ("default-values-omitted", "daemon-inputs-answered"),
    ),
    Fault(
        "omitted-field-required",
        "refuses with 400 a body that leaves out a field (the daemon leaves out every default value)",
        ("default-values-omitted", "daemon-inputs-answered"),
    ),
    Fault(
        "int64-string-rejected",
        "refuses a 64-bit integer sent as a JSON string (as protojson sends every one)",
        ("sixty-four-bit-strings", "daemon-inputs-answered"),
    ),
    Fault(
        "uint64-high-500",
        "answers 500 for a uint64 of 2^63 or more (it reads them into a signed 64-bit integer)",
        ("sixty-four-bit-strings",),
    ),
    Fault(
        "credential-field-rejected",
        "refuses with 400 a body with a field the proto does not declare (the daemon's body credentials)",
        ("body-credentials-tolerated", "daemon-inputs-answered"),
    ),
    Fault("non-json-answer", "answers text/plain `ok` instead of a JSON message", ("daemon-inputs-answered",)),
    Fault(
        "mistyped-answer-field",
        "answers a bool where the output message has a string (or a number)",
        ("daemon-inputs-answered",),
    ),
    Fault("array-answer", "answers a JSON array holding the output message", ("daemon-inputs-answered",)),
    Fault(
        "route-capitalised",
        "serves each rpc at its name with the first letter's case flipped (/Calculate), not as the proto names it",
        ("daemon-inputs-answered",),
    ),
    Fault(
        "route-wrong-method",
        "serves the rpc routes for PUT only: the daemon's POST gets 405",
        ("daemon-inputs-answered",),
    ),
    Fault(
        "credentials-ignored",
        "checks no credential at all: anyone who reaches the service bypasses the daemon",
        ("missing-secret-refused",),
    ),
    Fault(
        "wrong-key-accepted",
        "accepts any non-empty value for a header or query credential",
        ("wrong-secret-refused",),
    ),
    Fault(
        "header-exact-spelling",
        "compares header names case-sensitively with the configured spelling (X-API-Key), "
        "so the daemon's canonical X-Api-Key never matches",
        ("header-credentials-canonical", "daemon-inputs-answered"),
    ),
    Fault("hangs", "never answers an rpc (holds each request for 30 s)", ("answers-in-time",)),
    Fault("heartbeat-empty", "the heartbeat answers 200 with an empty body", ("heartbeat-serving",)),
    Fault(
        "overflow-wraps",
        "example: calculate wraps results modulo 2^64 instead of reporting that they do not fit",
        ("example-errors-reported",),
    ),
    Fault(
        "float-arithmetic",
        "example: calculate computes in float64, so results beyond 2^53 are off",
        ("example-arithmetic",),
    ),
    Fault(
        "error-as-number",
        "example: a division by zero or an unknown operation is answered status ok with result 0",
        ("example-errors-reported",),
    ),
)
