"""Following redirects as Go's http.Client does for the daemon: up to 10; 307/308 repeat the request
with its body; 301/302/303 turn a POST into a bodiless GET; each hop sends a Referer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from ..exchange import Exchange, Sent

MAX_REDIRECTS = 10
KEEP_METHOD, TO_GET = {307, 308}, {301, 302, 303}
_SENSITIVE = {"authorization", "www-authenticate", "cookie", "cookie2"}


def next_request(exchange: Exchange) -> Sent | None:
    """The request Go's client sends after this answer, or None when it is the final one."""
    received = exchange.received
    if received is None or received.status not in KEEP_METHOD | TO_GET:
        return None
    location = received.headers.get("location")
    if not location:
        return None  # Go returns a 3xx without Location as the answer
    sent = exchange.sent
    url = urljoin(sent.url, location)
    headers = dict(sent.headers)
    if urlsplit(url).hostname != urlsplit(sent.url).hostname:
        headers = {k: v for k, v in headers.items() if k.lower() not in _SENSITIVE}
    if urlsplit(sent.url).scheme == urlsplit(url).scheme:  # Go sends no Referer from https to http
        headers["Referer"] = sent.url.split("#")[0]
    if received.status in KEEP_METHOD:
        return replace(sent, url=url, headers=headers)
    method = sent.method if sent.method == "HEAD" else "GET"
    headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
    return Sent(method, url, headers, None)


def follow(first: Exchange, send: Callable[[Sent], Exchange]) -> tuple[Exchange, list[Exchange]]:
    """The final exchange and every hop before it. After ten redirects Go gives up with an error."""
    hops = [first]
    current = first
    while True:
        following = next_request(current)
        if following is None:
            return current, hops[:-1]
        if len(hops) > MAX_REDIRECTS:
            stopped = Exchange(current.operation, following, None, "stopped after 10 redirects")
            return stopped, hops
        current = send(following)
        hops.append(current)
