"""The service's heartbeat, as `service_heartbeat_type: http` polls it (metrics/heartbeat.go)."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..check import CORE
from ..context import Context
from ..snetd.request import GO_USER_AGENT
from ..snetd.verdict import heartbeat
from .suite import HEARTBEAT, SOURCES, SUITE, heartbeat_path

HEADERS = {"User-Agent": GO_USER_AGENT, "Accept-Encoding": "gzip"}


@SUITE.check(
    "heartbeat-serving",
    CORE,
    ground=SOURCES.real(
        "with service_heartbeat_type http, the daemon reports SERVING only for a 200 with a non-empty body",
        "snet-daemon metrics/heartbeat.go",
    ),
    requires=(HEARTBEAT,),
)
def heartbeat_serving(ctx: Context) -> None:
    """with --heartbeat PATH (or URL), a GET of it answers 200 with a non-empty body, so the daemon reports SERVING"""
    path = heartbeat_path(ctx)
    target = urlsplit(str(path))
    if target.scheme and target.netloc:  # the daemon's heartbeat_endpoint is a full URL
        base, where = f"{target.scheme}://{target.netloc}", target.path or "/"
        where += f"?{target.query}" if target.query else ""
    else:
        base, where = None, str(path) if str(path).startswith("/") else f"/{path}"
    exchange = ctx.call(f"GET {where.split('?')[0]}", path=where, headers=HEADERS, base_url=base)
    why = heartbeat(exchange)
    ctx.expect(
        why is None,
        exchange,
        "200 with a non-empty body",
        f"{exchange.outcome()}; the daemon would report the service NOT_SERVING ({why})",
    )
