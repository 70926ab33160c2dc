"""Fault switches: deliberate contract violations, so that every check can be shown to fail."""

FAULTS: dict[str, str] = {
    "wrong-status": "/service_run answers a successful run with 202 instead of 200",
    "missing-field": "/service_run leaves `message` out of its envelope",
    "mistyped-field": '/service_run sends `success` as the string "true"',
    "wrong-result": "/service_run answers `Your input was {input}.` instead of the agent's text",
    "bad-request-id": "request ids are uppercase UUIDs with dashes, not 32 lowercase hex digits",
    "repeated-request-id": "every call gets the same request_id",
    "missing-request-id-header": "/service_run_stream sends no X-Request-ID header",
    "mismatched-request-id-header": "/service_run_stream's X-Request-ID is not the id its run is stored under",
    "stream-wrong-content-type": "/service_run_stream answers with Content-Type text/plain",
    "malformed-event": "/service_run_stream sends an event whose data is not JSON",
    "no-final-event": "/service_run_stream ends without its final result event",
    "endless-stream": "/service_run_stream never ends: it keeps sending process events",
    "blocking-async": "/service_run_async answers only after the run has finished (2 s)",
    "stuck-task": "async tasks never leave the `running` state",
    "state-goes-backwards": "a finished task reads `running` again on the next poll",
    "async-result-differs": "the async result differs from the sync result for the same input",
    "unknown-service-accepted": "an unknown service_id is run as if it were demo_service",
    "unknown-request-id-crash": "/service_run_result answers an unknown request_id with 500",
    "error-on-malformed-body": "a malformed JSON body is answered with 500 and a traceback",
    "hang": "/service_run never answers",
}
