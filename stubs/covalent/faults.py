"""Fault switches: deliberate contract violations, so that every check can be shown to fail.

Each names the check that must report it first, then the others it trips as well (the generated
cases meet some faults too).
"""

from ..fault import Fault, table

FAULTS = table(
    Fault(
        "auth-ignored",
        "the data plane serves calls without checking x-api-key at all",
        ("missing-key-refused",),
    ),
    Fault("wrong-key-accepted", "the data plane accepts any non-empty x-api-key", ("wrong-key-refused",)),
    Fault(
        "bearer-auth-only",
        "the data plane takes its key only as `Authorization: Bearer KEY`: x-api-key gets 401",
        ("key-accepted",),
    ),
    Fault(
        "override-ignored",
        "request arguments are ignored: endpoints always run with the initializer's defaults",
        ("hello-example", "stream-example"),
    ),
    Fault(
        "wrong-content-type",
        "plain endpoints answer their JSON with Content-Type text/plain",
        ("plain-answers-json", "response-conformance"),
    ),
    Fault(
        "content-type-required",
        "a body without Content-Type application/json is refused with 415 (the seed's curl fails)",
        ("json-body-any-content-type",),
    ),
    Fault(
        "stream-one-chunk",
        "streaming endpoints buffer their output and send it as one chunk at the end",
        ("stream-chunked",),
    ),
    Fault(
        "endless-stream",
        "streaming endpoints never end: they keep sending after their last chunk",
        ("stream-terminates", "no-server-errors"),
    ),
    Fault("wrong-item-join", "/stream joins items with ', ' instead of single spaces", ("stream-example",)),
    Fault("no-done-line", "/stream leaves out its closing `Done streaming` line", ("stream-example",)),
    Fault(
        "unknown-argument-500",
        "an unknown argument is answered with 500 and a traceback instead of 422",
        ("no-server-errors", "invalid-input-rejected"),
    ),
    Fault(
        "mistyped-argument-accepted",
        "arguments are not type-checked: a mistyped one reaches the endpoint",
        ("invalid-input-rejected",),
    ),
    Fault(
        "malformed-json-500",
        "a malformed JSON body is answered with 500 and a traceback instead of 400",
        ("invalid-input-rejected", "no-server-errors"),
    ),
    Fault(
        "record-missing-field",
        "the control-plane record of a function leaves out `invoke_url`",
        ("function-record",),
    ),
    Fault(
        "invoke-url-wrong",
        "the record's invoke_url has a wrong path prefix: nothing is served there",
        ("listed-endpoints-served",),
    ),
    Fault(
        "stuck-creating",
        "deployments never leave CREATING (and so never serve calls)",
        ("lifecycle-becomes-active",),
    ),
    Fault(
        "serves-while-creating",
        "a deployment that is still CREATING already answers calls",
        ("not-active-refused",),
    ),
    Fault(
        "teardown-ignored",
        "a torn-down deployment reads INACTIVE but its data plane keeps answering",
        ("teardown-stops-serving",),
    ),
    Fault(
        "dashed-route-missing",
        "routes with a dash (e.g. /custom-endpoint) are listed but answer 404",
        ("dashed-routes-served",),
    ),
    Fault(
        "allow-header-wrong",
        "405 answers list every method in Allow, not the endpoint's own",
        ("method-not-allowed",),
    ),
    Fault(
        "no-body-limit",
        "bodies up to 64 MiB are read and run",
        ("oversized-body-refused",),
    ),
    Fault(
        "text-errors",
        "error answers are labelled text/plain, not the documented JSON error",
        ("error-answer-documented",),
    ),
)
