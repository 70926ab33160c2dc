"""How requests reach the target: sockets that keep a wall-clock deadline, TLS trust, proxies.

httpx's timeouts bound each socket operation, not an exchange: a server that sends one byte a
second never trips a read timeout. Here every blocking operation (connect, TLS handshake, each
read and write) waits at most until the current `Deadline`, and fails at once past it.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from .settings import Transport

_WRITE_CHUNK = 16 << 10  # a write is re-bounded by the time left after each chunk


class Deadline:
    """The monotonic moment the exchange under way must be over (None: only per-operation timeouts)."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.connected = 0  # TCP connections made, all exchanges together
        self.received = 0  # bytes read from the network, all exchanges together

    def left(self, timeout: float | None) -> float | None:
        """How long the next socket operation may wait: its own timeout, cut to the time left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        return left if timeout is None else min(timeout, left)

    @contextmanager
    def until(self, at: float) -> Iterator[None]:
        before, self.at = self.at, at
        try:
            yield
        finally:
            self.at = before


class _BoundedStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float | None:
        left = self._deadline.left(timeout)
        if left is not None and left <= 0:  # 0 would make the socket non-blocking, not bounded
            raise error("the exchange's deadline has passed")
        return left

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))
        self._deadline.received += len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        for start in range(0, len(buffer), _WRITE_CHUNK):
            self._stream.write(buffer[start : start + _WRITE_CHUNK], self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        left = self._left(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._stream.start_tls(ssl_context, server_hostname, left), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _BoundedBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend, deadline: Deadline) -> None:
        self._backend = backend
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = self._deadline.left(timeout)
        if left is not None and left <= 0:
            raise httpcore.ConnectTimeout("the exchange's deadline has passed")
        stream = self._backend.connect_tcp(host, port, left, local_address, socket_options)
        self._deadline.connected += 1
        return _BoundedStream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        stream = self._backend.connect_unix_socket(path, self._deadline.left(timeout), socket_options)
        return _BoundedStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _bounded(transport: httpx.HTTPTransport, deadline: Deadline) -> httpx.HTTPTransport:
    # httpx does not take a network backend; its pool (httpcore's) does. A loud failure if that moves.
    pool = transport._pool
    if not isinstance(getattr(pool, "_network_backend", None), httpcore.NetworkBackend):
        raise RuntimeError("this httpcore version hides its network backend: the deadlines cannot be kept")
    pool._network_backend = _BoundedBackend(pool._network_backend, deadline)
    return transport


def tls_context(verify: bool | str) -> ssl.SSLContext:
    """Trust for HTTPS targets: a CA bundle (file or directory), the default, or none at all.

    The default honours SSL_CERT_FILE / SSL_CERT_DIR, then the system's store, then certifi's.
    Raises ValueError (one line) for a CA bundle that cannot be read.
    """
    if verify is False:
        unverified = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        return unverified
    if verify is True:
        if os.environ.get("SSL_CERT_FILE"):
            return tls_context(os.environ["SSL_CERT_FILE"])
        if os.environ.get("SSL_CERT_DIR"):
            return tls_context(os.environ["SSL_CERT_DIR"])
        system = ssl.create_default_context()
        if system.cert_store_stats()["x509_ca"] == 0:
            import certifi

            system.load_verify_locations(certifi.where())
        return system
    try:
        if os.path.isdir(verify):
            return ssl.create_default_context(capath=verify)
        return ssl.create_default_context(cafile=verify)
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"cannot use {verify} as a CA bundle: {getattr(exc, 'strerror', None) or exc}") from None


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bypassed(host: str, no_proxy: str) -> bool:
    """NO_PROXY as curl reads it: `*`, or names matching the host or a domain it is in."""
    host = host.lower().strip("[]")
    for entry in (e.strip().lower().lstrip(".") for e in no_proxy.split(",")):
        if entry == "*" or (entry and (host == entry or host.endswith("." + entry))):
            return True
    return False


class _Routes(httpx.BaseTransport):
    """Each request goes direct or through the environment's proxy for its scheme (NO_PROXY
    honoured; loopback, such as the embedded stub, always direct)."""

    def __init__(self, direct: httpx.HTTPTransport, proxied: Mapping[str, httpx.HTTPTransport], no_proxy: str):
        self._direct = direct
        self._proxied = dict(proxied)
        self._no_proxy = no_proxy

    def _pick(self, url: httpx.URL) -> httpx.BaseTransport:
        via = self._proxied.get(url.scheme) or self._proxied.get("all")
        if via is None or _loopback(url.host):
            return self._direct
        return self._direct if _bypassed(url.host, self._no_proxy) else via

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pick(request.url).handle_request(request)

    def close(self) -> None:
        for transport in {id(t): t for t in [self._direct, *self._proxied.values()]}.values():
            transport.close()


def http_client(settings: Transport, deadline: Deadline, timeout: float) -> httpx.Client:
    """An httpx client for the target: bounded sockets, the TLS trust asked for, proxies from the
    environment if asked; nothing else from the environment (no netrc, no default auth)."""
    context = tls_context(settings.verify)

    def transport(proxy: str | None) -> httpx.HTTPTransport:
        return _bounded(httpx.HTTPTransport(verify=context, trust_env=False, proxy=proxy), deadline)

    proxies = urllib.request.getproxies_environment() if settings.proxy_from_env else {}
    proxied = {
        scheme: transport(url if "://" in url else f"http://{url}")
        for scheme, url in proxies.items()
        if scheme in {"http", "https", "all"} and url
    }
    return httpx.Client(
        transport=_Routes(transport(None), proxied, proxies.get("no", "")),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        # identity: bodies are judged as sent, and a curl line reproduces them byte for byte.
        headers={"accept-encoding": "identity"},
    )


def parse_header(text: str) -> tuple[str, str]:
    """`NAME:VALUE` (as `-H` takes it) as a pair; ValueError (one line) for anything else."""
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not colon or not name or any(c in name for c in " \t\r\n") or any(c in value for c in "\r\n\0"):
        raise ValueError(f"not a header NAME:VALUE: {text!r}")
    return name, value
