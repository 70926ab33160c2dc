"""Hostile servers written in a few lines each: raw sockets on 127.0.0.1, port 0.

Each behaviour gets an accepted connection and an event set when the test is done; every loop
is bounded in count and checks the event, every socket operation has a timeout, and `serving`
closes the listener and joins every thread on exit.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

Behaviour = Callable[[socket.socket, threading.Event], None]

LIFETIME = 60.0  # no hostile connection outlives this, whatever the test does


def _read_request(conn: socket.socket) -> bytes:
    """The request head (and whatever came with it), read for at most 2 s."""
    conn.settimeout(2)
    data = b""
    with suppress(OSError):
        while b"\r\n\r\n" not in data and len(data) < 1 << 20:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def _send(conn: socket.socket, data: bytes) -> bool:
    try:
        conn.sendall(data)
        return True
    except OSError:
        return False


def _linger(conn: socket.socket, done: threading.Event, seconds: float = LIFETIME) -> None:
    done.wait(seconds)


def drip(conn: socket.socket, done: threading.Event) -> None:
    """Answers one byte a second, for ever (until the test ends)."""
    _read_request(conn)
    answer = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a": "'
    answer += b"x" * 1000
    for byte in answer[: int(LIFETIME)]:
        if not _send(conn, bytes([byte])) or done.wait(1.0):
            return


def drip_body(conn: socket.socket, done: threading.Event) -> None:
    """Sends the headers at once, then the body one byte every 0.2 s."""
    _read_request(conn)
    if not _send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"):
        return
    for _ in range(int(LIFETIME * 5)):
        if done.wait(0.2) or not _send(conn, b" "):
            return


def endless_sse(conn: socket.socket, done: threading.Event) -> None:
    """Every route: an event stream that never ends."""
    while not done.is_set():
        if not _read_request(conn):
            return
        if not _send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"):
            return
        for n in range(int(LIFETIME * 20)):
            if done.wait(0.05) or not _send(conn, b'data: {"n": %d}\n\n' % n):
                return
        return


def silent(conn: socket.socket, done: threading.Event) -> None:
    """Accepts the connection and never answers."""
    _read_request(conn)
    _linger(conn, done)


def probe_then_silent(conn: socket.socket, done: threading.Event) -> None:
    """Answers the first contact (GET of the base URL) with a 404, then never answers anything else."""
    head = _read_request(conn)
    if head.startswith(b"GET / "):
        _send(conn, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    _linger(conn, done)


def http10_without_length(conn: socket.socket, done: threading.Event) -> None:
    """HTTP/1.0, no Content-Length: the body ends when the connection closes, which it never does."""
    _read_request(conn)
    if _send(conn, b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"output": "'):
        _linger(conn, done)


def huge_header(conn: socket.socket, done: threading.Event) -> None:
    """A 64 MB header, sent as fast as the client takes it."""
    _read_request(conn)
    conn.settimeout(2)
    if not _send(conn, b"HTTP/1.1 200 OK\r\nX-Huge: "):
        return
    block = b"a" * (1 << 16)
    for _ in range(1024):  # 1024 x 64 KB
        if done.is_set() or not _send(conn, block):
            return
    _send(conn, b"\r\nContent-Length: 0\r\n\r\n")


def redirect_loop(conn: socket.socket, done: threading.Event) -> None:
    """Every request is sent back to where it came from."""
    for _ in range(1000):
        if done.is_set() or not _read_request(conn):
            return
        if not _send(conn, b"HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n"):
            return


def mid_body_close(conn: socket.socket, done: threading.Event) -> None:
    """Promises 100 bytes, sends 12, and hangs up."""
    _read_request(conn)
    _send(conn, b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"output": "')
    _hang_up(conn)


def _hang_up(conn: socket.socket) -> None:
    """Close with a FIN, never a reset: a request body still unread when the socket closes would make
    the kernel send RST, and the client would see "connection reset" instead of an early end."""
    with suppress(OSError):
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(1)
        while conn.recv(65536):
            pass


def not_http(conn: socket.socket, done: threading.Event) -> None:
    """Something else entirely answers on the port."""
    _read_request(conn)
    _send(conn, b"SSH-2.0-OpenSSH_9.6\r\n\x1b[2Jgarbage\r\n\r\n")
    _linger(conn, done, 2)


def tls(context: ssl.SSLContext, then: Behaviour) -> Behaviour:
    """`then`, spoken over TLS with `context`."""

    def speak(conn: socket.socket, done: threading.Event) -> None:
        conn.settimeout(5)
        try:
            wrapped = context.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            return  # the client refused the certificate: what the test expects
        with wrapped:
            then(wrapped, done)

    return speak


def ok(conn: socket.socket, done: threading.Event) -> None:
    """A 404 at once, to whatever came first (as a web server answers a TLS hello it cannot read)."""
    conn.settimeout(2)
    with suppress(OSError):
        conn.recv(65536)
    _send(conn, b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")


@contextmanager
def serving(behaviour: Behaviour, connections: int = 200) -> Iterator[str]:
    """Serve `behaviour` on every connection (at most `connections`); yields the base URL."""
    done = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    threads: list[threading.Thread] = []

    def handle(conn: socket.socket) -> None:
        with conn, suppress(OSError):
            behaviour(conn, done)

    def accept() -> None:
        started = time.monotonic()
        while not done.is_set() and len(threads) < connections and time.monotonic() - started < LIFETIME * 5:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=handle, args=(conn,), daemon=True)
            threads.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        acceptor.join(timeout=5)
        listener.close()
        for worker in threads:
            worker.join(timeout=5)
