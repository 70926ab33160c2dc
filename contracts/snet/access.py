"""service_credentials as the daemon applies them: body ones tolerated, header ones in the daemon's
canonical spelling accepted, and a secret (header or query) actually required."""

from __future__ import annotations

from ..check import CORE
from ..context import Context
from ..snetd.credentials import of
from ..snetd.protos import message_class
from ..snetd.request import canonical_header
from .daemon import WRONG_SECRET, Daemon, call
from .judging import refusal_expected, reply_expected
from .suite import BODY_CREDENTIALS, DAEMON, HEADER_CREDENTIALS, SECRET, SOURCES, SUITE

MISSING, WRONG = "missing-secret-refused", "wrong-secret-refused"


@SUITE.check(
    "body-credentials-tolerated",
    CORE,
    ground=SOURCES.seed(
        "With this example daemon will add example_body_param with value 12345 in body to all request to HTTP service."
    ),
    requires=(BODY_CREDENTIALS,),
)
def body_credentials(ctx: Context) -> None:
    """every rpc answers a body carrying the body credentials as extra top-level fields"""
    used: Daemon = ctx.state
    extra = of(used.credentials, "body")
    names = ", ".join(c.key for c in extra)
    for method in used.catalog.served():
        done = call(ctx, method, message_class(method.input)())
        reply_expected(ctx, done, f"a reply with the body credential(s) {names} set as top-level fields")


@SUITE.check(
    "header-credentials-canonical",
    CORE,
    ground=SOURCES.real(
        "header credentials are set with Go's Header.Set, which canonicalises names (X-API-Key → X-Api-Key)", DAEMON
    ),
    requires=(HEADER_CREDENTIALS,),
)
def header_credentials(ctx: Context) -> None:
    """header credentials are accepted under the daemon's canonical names (X-API-Key is sent as X-Api-Key)"""
    used: Daemon = ctx.state
    headers = [c for c in of(used.credentials, "header") if isinstance(c.value, str)]
    method = used.catalog.served()[0]
    done = call(ctx, method, message_class(method.input)())
    spelled = ", ".join(f"{c.key} as {canonical_header(c.key)}" for c in headers)
    reply_expected(ctx, done, f"a reply with the header credentials sent as Go's Header.Set spells them ({spelled})")


SECRET_GROUND = (
    SOURCES.seed(
        "If you need to send any additional parameters for all methods (for example, the secret api key), "
        "you can specify them in daemon config parameter service_credentials."
    )
    + ": a service that does not require the secret can be called by anyone who reaches it, around the daemon"
)


@SUITE.probe(
    {
        MISSING: (
            CORE,
            "a request without a header or query credential is refused (else anyone bypasses the daemon)",
            SECRET_GROUND,
        ),
        WRONG: (CORE, "a request with a wrong header or query credential is refused", SECRET_GROUND),
    },
    requires=(SECRET,),
)
def secrets_required(ctx: Context) -> None:
    used: Daemon = ctx.state
    secrets = used.secrets
    method = used.catalog.served()[0]
    message = message_class(method.input)()
    for secret in secrets:
        where = f"{secret.location} credential {secret.key}"
        done = call(ctx, method, message, used.without(secret))
        refusal_expected(ctx, done, f"a refusal (not a 2xx) for a request without the {where}", check=MISSING)
        done = call(ctx, method, message, used.with_value(secret, WRONG_SECRET))
        refusal_expected(ctx, done, f"a refusal for a request whose {where} is wrong", check=WRONG)
