from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.app.test_cli import kontor
from tests.conftest import POSTGRES_URL, new_database
from tests.corpus import REPO_ROOT


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kontor.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return certfile, keyfile


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    tmp_path: Path, env: dict[str, str], url: str, verify: ssl.SSLContext | bool = True
) -> Iterator[str]:
    """A real `kontor serve` subprocess; yields its base URL once it answers."""
    port = free_port()
    database = new_database("sqlite", tmp_path)
    full_env = {
        **os.environ,
        "KONTOR_DATABASE_URL": database,
        "KONTOR_DATA_DIR": str(tmp_path),
        "KONTOR_MODEL__BACKEND": "fake",
        "KONTOR_PORT": str(port),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--no-worker"],
        cwd=REPO_ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"{url}://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base, verify)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stderr is not None
        process.stderr.close()


def _wait_until_up(process: subprocess.Popen[bytes], base: str, verify: ssl.SSLContext | bool) -> None:
    for _ in range(300):
        if process.poll() is not None:
            assert process.stderr is not None
            pytest.fail(f"kontor serve exited: {process.stderr.read().decode()[-2000:]}")
        try:
            httpx.get(f"{base}/healthz", verify=verify, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("kontor serve did not come up")


def test_serve_with_a_certificate_speaks_https_only(tmp_path: Path) -> None:
    certfile, keyfile = self_signed(tmp_path)
    env = {"KONTOR_TLS__CERTFILE": str(certfile), "KONTOR_TLS__KEYFILE": str(keyfile)}
    trust = ssl.create_default_context(cafile=str(certfile))
    with serving(tmp_path, env, "https", verify=trust) as base:
        response = httpx.get(f"{base}/healthz", verify=trust)
        assert response.status_code == 200
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
        login = httpx.get(f"{base}/review/login", verify=trust)
        assert "secure" in login.headers["set-cookie"].lower()
        with pytest.raises(httpx.TransportError):
            httpx.get(base.replace("https://", "http://") + "/healthz", timeout=5)


def test_behind_a_trusted_proxy_forwarded_https_gets_hsts_and_secure_cookies(tmp_path: Path) -> None:
    with serving(tmp_path, {"KONTOR_TLS__TRUSTED_PROXIES": "127.0.0.1"}, "http") as base:
        proxied = httpx.get(f"{base}/review/login", headers={"X-Forwarded-Proto": "https"})
        direct = httpx.get(f"{base}/review/login")
    assert "strict-transport-security" in proxied.headers
    assert "secure" in proxied.headers["set-cookie"].lower()
    assert "strict-transport-security" not in direct.headers
    assert "secure" not in direct.headers["set-cookie"].lower()


def test_production_refuses_plain_http_on_the_network(tmp_path: Path) -> None:
    env = {
        "KONTOR_ENVIRONMENT": "production",
        "KONTOR_DATABASE_URL": POSTGRES_URL,
        "KONTOR_DATA_DIR": str(tmp_path),
    }
    refused = kontor("serve", "--host", "0.0.0.0", env=env)
    assert refused.returncode == 2
    assert "refuses plain HTTP on 0.0.0.0" in refused.stderr
