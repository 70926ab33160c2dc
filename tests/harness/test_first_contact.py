"""The first contact with a target: an HTTP answer of any status is evidence; anything else stops
the run with one line saying why."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import pytest

from aicontract.contracts.client import Bounds, Client
from aicontract.contracts.settings import Transport
from aicontract.contracts.target import Unreachable, probe_reachable
from aicontract.contracts.transport import parse_header

from . import hostile

BOUND = 1.0
pytestmark = pytest.mark.timeout(60)


def test_any_http_status_even_404_is_evidence_the_target_speaks_http() -> None:
    with hostile.serving(hostile.ok) as url:
        probe_reachable(url, BOUND)
        probe_reachable(url + "/api/prefix", BOUND)


def test_a_refused_port_is_one_line_connection_refused() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    with pytest.raises(Unreachable, match=r"^connection refused by 127\.0\.0\.1:\d+$"):
        probe_reachable(f"http://127.0.0.1:{port}", BOUND)


def test_a_server_that_accepts_and_never_answers_is_called_silent() -> None:
    with hostile.serving(hostile.silent) as url, pytest.raises(Unreachable) as caught:
        probe_reachable(url, BOUND)
    assert str(caught.value).endswith("accepted the connection but sent no HTTP answer within 1 s (silent)")


def test_a_server_dripping_its_answer_gives_no_http_answer_within_the_bound() -> None:
    with hostile.serving(hostile.drip) as url, pytest.raises(Unreachable, match=r"sent \d+ bytes but no HTTP answer"):
        probe_reachable(url, BOUND)


def test_a_server_that_is_not_http_is_named_so_without_its_control_bytes() -> None:
    with hostile.serving(hostile.not_http) as url, pytest.raises(Unreachable) as caught:
        probe_reachable(url, BOUND)
    assert "does not speak HTTP" in str(caught.value) and "\x1b" not in str(caught.value)


def test_a_base_url_with_a_query_or_another_scheme_is_refused_up_front() -> None:
    for url in ("ftp://127.0.0.1/", "http://127.0.0.1:9/?x=1", "127.0.0.1:9"):
        with pytest.raises(Unreachable):
            probe_reachable(url, BOUND)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key: from `cryptography` if installed, else openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        import datetime
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor the openssl command is here to make a certificate")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    made = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(made.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, key


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> tuple[hostile.Behaviour, Path]:
    cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return hostile.tls(context, hostile.ok), cert


def _https(url: str) -> str:
    return url.replace("http://", "https://")


def test_an_untrusted_certificate_is_said_so_with_the_options_that_help(
    tls_server: tuple[hostile.Behaviour, Path],
) -> None:
    behaviour, _ = tls_server
    with hostile.serving(behaviour) as url, pytest.raises(Unreachable) as caught:
        probe_reachable(_https(url), BOUND)
    assert "TLS certificate of 127.0.0.1" in str(caught.value) and "is not trusted" in str(caught.value)
    assert "--ca-bundle" in str(caught.value) and "--no-tls-verify" in str(caught.value)


def test_a_ca_bundle_or_no_verification_reaches_a_self_signed_target(
    tls_server: tuple[hostile.Behaviour, Path],
) -> None:
    behaviour, cert = tls_server
    with hostile.serving(behaviour) as url:
        probe_reachable(_https(url), BOUND, Transport(verify=str(cert)))
        probe_reachable(_https(url), BOUND, Transport(verify=False))
        with Client(_https(url), Bounds(timeout=BOUND), transport=Transport(verify=str(cert))) as client:
            assert client.call("GET /agents").status == 404


def test_ssl_cert_file_is_honoured_by_default(
    tls_server: tuple[hostile.Behaviour, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    behaviour, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with hostile.serving(behaviour) as url:
        probe_reachable(_https(url), BOUND)


def test_https_to_a_plain_http_server_is_a_tls_failure_in_one_line() -> None:
    with hostile.serving(hostile.ok) as url, pytest.raises(Unreachable) as caught:
        probe_reachable(_https(url), BOUND)
    why = str(caught.value)
    assert why.startswith("the TLS handshake with 127.0.0.1:") and why.endswith("(is it plain http?)")


def test_a_ca_bundle_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(Unreachable, match=r"^cannot use .* as a CA bundle"):
        probe_reachable("https://127.0.0.1:9", BOUND, Transport(verify=str(tmp_path / "missing.pem")))


def test_extra_headers_go_with_every_request_and_into_its_curl_line() -> None:
    transport = Transport(headers=(parse_header("Authorization: Bearer t"), ("x-api-key", "gateway")))
    with Client("http://127.0.0.1:9/api", Bounds(), {"X-API-KEY": "suite"}, transport=transport) as client:
        sent = client.prepare("POST /service_run", json={}, headers={"authorization": "Bearer other"})
    assert sent.url == "http://127.0.0.1:9/api/service_run"
    assert sent.headers == {"X-API-KEY": "suite", "authorization": "Bearer other", "Content-Type": "application/json"}
    assert "-H 'X-API-KEY: suite'" in sent.curl()


def test_a_header_option_that_is_not_name_colon_value_is_refused() -> None:
    assert parse_header("x-a:b:c") == ("x-a", "b:c")
    for bad in ("no-colon", ": empty", "bad name: v", "x: a\r\nInjected: 1"):
        with pytest.raises(ValueError, match="not a header NAME:VALUE"):
            parse_header(bad)


def _recording_proxy(seen: list[bytes]) -> hostile.Behaviour:
    def proxy(conn: socket.socket, done: object) -> None:
        conn.settimeout(2)
        seen.append(conn.recv(65536).split(b"\r\n", 1)[0])
        conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")

    return proxy


def test_the_proxy_from_the_environment_carries_requests_except_to_loopback_and_no_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bytes] = []
    with hostile.serving(_recording_proxy(seen)) as proxy, hostile.serving(hostile.ok) as direct:
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("NO_PROXY", "skipped.invalid")
        with Client("http://target.invalid/api", Bounds(timeout=BOUND)) as client:
            assert client.call("GET /agents").status == 204
            bypassed = client.call("GET /x", base_url="http://host.skipped.invalid")
        with Client(direct, Bounds(timeout=BOUND)) as client:
            assert client.call("GET /agents").status == 404  # loopback: never through the proxy
        with Client("http://target.invalid", Bounds(timeout=BOUND), transport=Transport(proxy_from_env=False)) as c:
            unproxied = c.call("GET /agents")
    assert seen == [b"GET http://target.invalid/api/agents HTTP/1.1"]
    assert bypassed.received is None and unproxied.received is None
