"""What each snet check rests on (issue 8's `ground=`), for the check declarations once the engine takes them."""

from __future__ import annotations

DAEMON = "the real system does this: snet-daemon v6.2.1+ (handler/grpc.go)"

EXAMPLE = "--semantics example: the reference semantics of the seed's example (stubs/snet/example.py)"

GROUNDS: dict[str, str] = {
    "daemon-inputs-answered": (
        f"{DAEMON}: a non-2xx becomes `Unavailable: upstream http status <code>: <body>`, and a 2xx body that "
        "protojson cannot read into the output message `Internal: jsonToProto error: ...`"
    ),
    "answers-in-time": (
        f"{DAEMON}: the HTTP client gives up after service_timeout (default 100 s); the caller gets "
        "`Internal: error executing HTTP service: ... context deadline exceeded`"
    ),
    "default-values-omitted": f"{DAEMON}: the body is protojson's output, which leaves out every field at its default",
    "sixty-four-bit-strings": f"{DAEMON}: protojson writes every 64-bit integer as a decimal JSON string",
    "body-credentials-tolerated": (
        "the seed: with service_credentials the daemon adds example_body_param in the body of every request"
    ),
    "header-credentials-canonical": (
        f"{DAEMON}: header credentials are set with Go's Header.Set, which canonicalises names (X-API-Key → X-Api-Key)"
    ),
    "missing-secret-refused": (
        "the seed: service_credentials carry the secret api key; a service that does not require it can be "
        "called by anyone who reaches it, around the daemon"
    ),
    "wrong-secret-refused": "the seed: service_credentials carry the secret api key (see missing-secret-refused)",
    "heartbeat-serving": (
        "the real system does this: with service_heartbeat_type http, the daemon reports SERVING only for "
        "a 200 with a non-empty body (metrics/heartbeat.go)"
    ),
    "example-arithmetic": EXAMPLE,
    "example-errors-reported": EXAMPLE,
}
