"""Fault switches: deliberate contract violations, so that every check can be shown to fail.

Each names the check that must report it first, then the others it trips as well; a fault that
shows only in the upstream profile says so.
"""

from ..fault import Fault, table
from .wire import UPSTREAM

FAULTS = table(
    Fault("wrong-status", "/service_run answers a successful run with 202 instead of 200", ("sync-run-succeeds",)),
    Fault("missing-field", "/service_run leaves `message` out of its envelope", ("response-conformance",)),
    Fault("mistyped-field", '/service_run sends `success` as the string "true"', ("response-conformance",)),
    Fault(
        "wrong-result",
        "/service_run answers `Your input was {input}.` instead of the agent's text",
        ("echo-result",),
    ),
    Fault(
        "bad-request-id",
        "request ids are uppercase UUIDs with dashes, not 32 lowercase hex digits (agentUniverse's form)",
        ("request-id-unique",),
        profile="upstream",  # the seed asks only for "a randomly generated string"
    ),
    Fault(
        "reworded-errors",
        "/service_run_result words an unknown request_id its own way, not agentUniverse's (upstream)",
        ("upstream-error-texts",),
        profile="upstream",
    ),
    Fault("repeated-request-id", "every call gets the same request_id", ("request-id-unique",)),
    Fault("missing-request-id-header", "/service_run_stream sends no X-Request-ID header", ("stream-format",)),
    Fault(
        "mismatched-request-id-header",
        "/service_run_stream's X-Request-ID is not the id its run is stored under",
        ("stream-request-id-identifies-run",),
    ),
    Fault("stream-wrong-content-type", "/service_run_stream answers with Content-Type text/plain", ("stream-format",)),
    Fault("malformed-event", "/service_run_stream sends an event whose data is not JSON", ("stream-format",)),
    Fault("no-final-event", "/service_run_stream ends without its final result event", ("stream-format",)),
    Fault(
        "endless-stream",
        "/service_run_stream never ends: it keeps sending process events",
        ("stream-terminates",),
    ),
    Fault(
        "blocking-async",
        "/service_run_async answers only after the run has finished (2 s)",
        ("async-answers-at-once",),
    ),
    Fault("stuck-task", "async tasks never leave the `running` state", ("async-reaches-terminal-state",)),
    Fault(
        "state-goes-backwards",
        "a finished task reads `running` again on the next poll",
        ("async-states-move-forward",),
    ),
    Fault(
        "async-result-differs",
        "the async result differs from the sync result for the same input",
        ("async-result-matches-sync",),
    ),
    Fault(
        "unknown-service-accepted",
        "an unknown service_id is run as if it were demo_service",
        ("unknown-service",),
    ),
    Fault(
        "unknown-request-id-crash",
        "/service_run_result answers an unknown request_id with 500",
        ("unknown-request-id",),
    ),
    Fault(
        "error-on-malformed-body",
        "a malformed JSON body is answered with 500 and a traceback",
        ("no-server-errors", "invalid-input-rejected"),
    ),
    Fault("hang", "/service_run never answers", ("sync-run-succeeds",)),
    Fault(
        "sync-run-not-stored",
        "a /service_run's request_id is never found at /service_run_result",
        ("sync-run-retrievable",),
    ),
    Fault("saved-ignored", "every run is stored, whatever `saved` says (upstream)", ("saved-flag",), UPSTREAM),
    Fault(
        "missing-service-id-accepted",
        "a run without service_id is run as demo_service",
        ("missing-service-id",),
    ),
    Fault(
        "stream-result-differs",
        "the stream's final result differs from the sync result",
        ("stream-result",),
    ),
    Fault("no-body-limit", "bodies up to 64 MiB are read and run", ("oversized-body-refused",)),
    Fault(
        "allow-header-wrong",
        "405 answers list every method in Allow, not the ones the path supports",
        ("method-not-allowed",),
    ),
    Fault(
        "deep-nesting-crash",
        "a JSON body nested deeper than 64 levels is answered with 500 (a recursive parser's RecursionError)",
        ("no-server-errors",),
    ),
    Fault(
        "surrogate-crash",
        'a body holding a lone surrogate ("\\ud800") is answered with 500 (a UnicodeEncodeError)',
        ("no-server-errors",),
    ),
    Fault(
        "text-errors",
        "error answers are labelled text/plain, not the documented JSON error",
        ("error-answer-documented",),
    ),
)
