"""Web Push out: encrypt a message to a browser's keys (RFC 8291, aes128gcm, by pywebpush),
sign it for the push service (VAPID, RFC 8292, by py-vapid) and post it (httpx).

The address is checked again here, just before posting: the host is resolved, every address
must be public (domain/push.py), and the request goes to the address that was checked (the
TLS name stays the host's), so a name that resolves elsewhere a moment later changes nothing.
"""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from stretchcoach.domain.push import (
    EndpointRule,
    Subscription,
    allowed_for_tests,
    default_port,
    endpoint_parts,
    endpoint_refusal,
)
from stretchcoach.services.push import Delivery, Outcome

TTL_S = 4 * 3600  # a reminder older than this is no use: the push service may drop it
TIMEOUT_S = 10.0
JWT_LIFE_S = 12 * 3600


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (OSError when it does not)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in found})


def new_private_key() -> str:
    """A new VAPID key (P-256), as PKCS#8 PEM."""
    from py_vapid import Vapid02

    key = Vapid02()
    key.generate_keys()
    pem: bytes = key.private_pem()
    return pem.decode()


def public_key(private_pem: str) -> str:
    """The key's public half as browsers take it (`applicationServerKey`): base64url of the
    uncompressed point."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid02

    point = Vapid02.from_pem(private_pem.encode()).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class WebPushSender:
    """Sends messages signed with the server's VAPID key; `contact` is the `sub` claim a push
    service may use to reach whoever runs the server (mailto: or https:)."""

    private_pem: str
    contact: str
    test_rules: Sequence[EndpointRule] = ()
    resolver: Callable[[str, int], list[str]] = resolve

    def send(self, subscription: Subscription, message: dict[str, object]) -> Outcome:
        import httpx

        endpoint = subscription.endpoint
        try:
            url, host_header, extensions = self._target(endpoint)
        except _Refused as refused:
            return Outcome(Delivery.REFUSED, str(refused))
        body = self._encrypt(subscription, json.dumps(message).encode())
        parts = endpoint_parts(endpoint)
        headers = {
            **self._vapid(f"{parts.scheme}://{parts.netloc}"),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(TTL_S),
            "Urgency": "normal",
            "Host": host_header,
        }
        try:
            with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False) as client:
                request = client.build_request(
                    "POST", url, content=body, headers=headers, extensions=extensions
                )
                response = client.send(request)
        except httpx.HTTPError as error:
            return Outcome(Delivery.FAILED, f"{parts.hostname} did not answer ({error})")
        if response.status_code in (404, 410):
            return Outcome(Delivery.GONE, f"{parts.hostname} no longer knows this phone")
        if 200 <= response.status_code < 300:
            return Outcome(Delivery.SENT)
        return Outcome(Delivery.FAILED, f"{parts.hostname} answered {response.status_code}")

    def _target(self, endpoint: str) -> tuple[str, str, dict[str, object]]:
        """Where to post: the URL (with the checked address in place of the host), the Host
        header, and the TLS name to ask for."""
        parts = endpoint_parts(endpoint)
        host = parts.hostname or ""
        if allowed_for_tests(endpoint, self.test_rules):
            return endpoint, parts.netloc, {}
        port = default_port(parts)
        try:
            addresses = self.resolver(host, port)
        except OSError:
            addresses = []
        refusal = endpoint_refusal(endpoint, addresses)
        if refusal is not None:
            raise _Refused(refusal)
        address = addresses[0]
        shown = f"[{address}]" if ":" in address else address
        pinned = parts._replace(netloc=f"{shown}:{port}").geturl()
        return pinned, parts.netloc, {"sni_hostname": host}

    def _encrypt(self, subscription: Subscription, data: bytes) -> bytes:
        from pywebpush import WebPusher

        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        encoded = WebPusher(info).encode(data, content_encoding="aes128gcm")
        body: bytes = encoded["body"]
        return body

    def _vapid(self, audience: str) -> dict[str, str]:
        from py_vapid import Vapid02

        claims = {"aud": audience, "exp": int(time.time()) + JWT_LIFE_S, "sub": self.contact}
        signed: dict[str, str] = Vapid02.from_pem(self.private_pem.encode()).sign(claims)
        return signed


class _Refused(Exception):
    """Our own rule says no to this address."""
