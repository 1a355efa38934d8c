"""HTTPS for `kontor serve`: TLS from settings, trusted reverse proxies, HSTS, and the production guard."""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import ConfigurationError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def uvicorn_options(settings: Settings, host: str) -> dict[str, Any]:
    """TLS and proxy options for `uvicorn.run`; refuses plain HTTP on the network in production."""
    tls = settings.tls
    if settings.environment == "production" and not (tls.enabled or tls.trusted_proxies or is_loopback(host)):
        raise ConfigurationError(
            f"KONTOR_ENVIRONMENT=production refuses plain HTTP on {host}: set KONTOR_TLS__CERTFILE and "
            "KONTOR_TLS__KEYFILE, or put a TLS reverse proxy in front and set KONTOR_TLS__TRUSTED_PROXIES."
        )
    options: dict[str, Any] = {"proxy_headers": bool(tls.trusted_proxies)}
    if tls.trusted_proxies:
        options["forwarded_allow_ips"] = tls.trusted_proxies
    if tls.enabled:
        options |= {"ssl_certfile": str(tls.certfile), "ssl_keyfile": str(tls.keyfile)}
    return options


class HSTSMiddleware:
    """Adds Strict-Transport-Security to every HTTPS response (scheme as the trusted proxy says)."""

    def __init__(self, app: ASGIApp, max_age: int) -> None:
        self.app = app
        self.header = (b"strict-transport-security", f"max-age={max_age}; includeSubDomains".encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        await self.app(scope, receive, send_with_hsts)
