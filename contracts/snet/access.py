"""service_credentials as the daemon applies them: body ones tolerated, header ones in the daemon's
canonical spelling accepted, and a secret (header or query) actually required."""

from __future__ import annotations

from ..check import CORE, check, probe
from ..context import Context
from ..snetd.credentials import of
from ..snetd.protos import message_class
from ..snetd.request import canonical_header
from .daemon import API, WRONG_SECRET, call, daemon
from .judging import refusal_expected, reply_expected

MISSING, WRONG = "missing-secret-refused", "wrong-secret-refused"


@check(API, "body-credentials-tolerated", CORE)
def body_credentials(ctx: Context) -> None:
    """every rpc answers a body carrying the body credentials as extra top-level fields"""
    used = daemon(ctx)
    extra = of(used.credentials, "body")
    if not extra:
        ctx.skip(f"no body credential configured ({used.credentials_from}): the daemon adds none")
        return
    names = ", ".join(c.key for c in extra)
    for method in used.catalog.served():
        done = call(ctx, method, message_class(method.input)())
        reply_expected(ctx, done, f"a reply with the body credential(s) {names} set as top-level fields")


@check(API, "header-credentials-canonical", CORE)
def header_credentials(ctx: Context) -> None:
    """header credentials are accepted under the daemon's canonical names (X-API-Key is sent as X-Api-Key)"""
    used = daemon(ctx)
    headers = [c for c in of(used.credentials, "header") if isinstance(c.value, str)]
    if not headers:
        ctx.skip(f"no string header credential configured ({used.credentials_from})")
        return
    method = used.catalog.served()[0]
    done = call(ctx, method, message_class(method.input)())
    spelled = ", ".join(f"{c.key} as {canonical_header(c.key)}" for c in headers)
    reply_expected(ctx, done, f"a reply with the header credentials sent as Go's Header.Set spells them ({spelled})")


@probe(
    API,
    {
        MISSING: (CORE, "a request without a header or query credential is refused (else anyone bypasses the daemon)"),
        WRONG: (CORE, "a request with a wrong header or query credential is refused"),
    },
)
def secrets_required(ctx: Context) -> None:
    used = daemon(ctx)
    secrets = used.secrets
    if not secrets:
        ctx.skip(f"no header or query credential configured ({used.credentials_from}): nothing secret to require")
        return
    method = used.catalog.served()[0]
    message = message_class(method.input)()
    for secret in secrets:
        where = f"{secret.location} credential {secret.key}"
        done = call(ctx, method, message, used.without(secret))
        refusal_expected(ctx, done, f"a refusal (not a 2xx) for a request without the {where}", check=MISSING)
        done = call(ctx, method, message, used.with_value(secret, WRONG_SECRET))
        refusal_expected(ctx, done, f"a refusal for a request whose {where} is wrong", check=WRONG)
