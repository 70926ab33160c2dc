"""Fault switches: deliberate contract violations, so that every check can be shown to fail."""

FAULTS: dict[str, str] = {
    "auth-ignored": "the data plane serves calls without checking x-api-key at all",
    "wrong-key-accepted": "the data plane accepts any non-empty x-api-key",
    "bearer-auth-only": "the data plane takes its key only as `Authorization: Bearer KEY`: x-api-key gets 401",
    "override-ignored": "request arguments are ignored: endpoints always run with the initializer's defaults",
    "wrong-content-type": "plain endpoints answer their JSON with Content-Type text/plain",
    "content-type-required": "a body without Content-Type application/json is refused with 415 (the seed's curl fails)",
    "stream-one-chunk": "streaming endpoints buffer their output and send it as one chunk at the end",
    "endless-stream": "streaming endpoints never end: they keep sending after their last chunk",
    "wrong-item-join": "/stream joins items with ', ' instead of single spaces",
    "no-done-line": "/stream leaves out its closing `Done streaming` line",
    "unknown-argument-500": "an unknown argument is answered with 500 and a traceback instead of 422",
    "mistyped-argument-accepted": "arguments are not type-checked: a mistyped one reaches the endpoint",
    "malformed-json-500": "a malformed JSON body is answered with 500 and a traceback instead of 400",
    "record-missing-field": "the control-plane record of a function leaves out `invoke_url`",
    "invoke-url-wrong": "the record's invoke_url has a wrong path prefix: nothing is served there",
    "stuck-creating": "deployments never leave CREATING (and so never serve calls)",
    "serves-while-creating": "a deployment that is still CREATING already answers calls",
    "teardown-ignored": "a torn-down deployment reads INACTIVE but its data plane keeps answering",
    "dashed-route-missing": "routes with a dash (e.g. /custom-endpoint) are listed but answer 404",
    "allow-header-wrong": "405 answers list every method in Allow, not the endpoint's own",
}
