"""A push service of our own for the tests: a real HTTP server on 127.0.0.1 that takes what
the app posts, as a browser's push service would.

Each `Phone` is a browser's subscription made here, with its own keys (P-256 and the auth
secret, as a browser makes them). The service decrypts every message with the phone's
private key (RFC 8291, aes128gcm: http_ece, written apart from the sender's pywebpush) and
checks the VAPID header (RFC 8292): the JWT's ES256 signature against the key in `k=`, its
audience, its expiry and its contact. An endpoint can be made to answer 410 (gone).
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Phone:
    """One browser's subscription: its endpoint and keys, and what reached it."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    gone: bool = False  # answer 410, as a push service does for an expired subscription
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    def to_json(self) -> dict[str, Any]:
        """What the browser's PushSubscription.toJSON() gives."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }

    @property
    def titles(self) -> list[str]:
        return [m["title"] for m in self.received]


@dataclass
class Delivery:
    """A request the service could not take as a valid push, with why."""

    path: str
    problem: str


class PushService:
    def __init__(self, *, server_public_key: str | None = None) -> None:
        self.phones: dict[str, Phone] = {}
        self.problems: list[Delivery] = []
        self.server_public_key = server_public_key  # the app's applicationServerKey, if known
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                status = service.take(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> PushService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def new_phone(self) -> Phone:
        path = f"/push/{next(self._numbers)}"
        phone = Phone(f"{self.base}{path}", ec.generate_private_key(ec.SECP256R1()), _random(16))
        self.phones[path] = phone
        return phone

    def take(self, path: str, headers: dict[str, str], body: bytes) -> int:
        """Check and decrypt one push; the HTTP status a push service would answer."""
        headers = {k.lower(): v for k, v in headers.items()}
        phone = self.phones.get(path)
        if phone is None:
            return self._problem(path, "no such subscription", 404)
        if phone.gone:
            return 410
        problem = self._vapid_problem(headers.get("authorization", ""))
        if problem:
            return self._problem(path, problem, 401)
        if headers.get("content-encoding") != "aes128gcm":
            return self._problem(path, f"encoding {headers.get('content-encoding')!r}", 400)
        if not headers.get("ttl", "").isdigit():
            return self._problem(path, "no TTL", 400)
        try:
            plain = http_ece.decrypt(
                body, private_key=phone.private_key, auth_secret=phone.auth, version="aes128gcm"
            )
        except Exception as error:
            return self._problem(path, f"cannot decrypt: {error!r}", 400)
        with self._lock:
            phone.received.append(json.loads(plain))
        return 201

    def _vapid_problem(self, header: str) -> str | None:
        """What is wrong with a `vapid t=JWT,k=KEY` header; None when it is right."""
        scheme, _, params = header.partition(" ")
        if scheme != "vapid":
            return f"authorization scheme {scheme!r}"
        fields = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        token, key = fields.get("t", ""), fields.get("k", "")
        if self.server_public_key is not None and key != self.server_public_key:
            return "signed with another key than the server's"
        try:
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
            head, claims, signature = token.split(".")
            raw = unb64url(signature)
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception as error:
            return f"bad VAPID signature: {error!r}"
        if json.loads(unb64url(head)) != {"typ": "JWT", "alg": "ES256"}:
            return "JWT header"
        body = json.loads(unb64url(claims))
        if body.get("aud") != self.base:
            return f"audience {body.get('aud')!r}, not {self.base!r}"
        if not time.time() < body.get("exp", 0) <= time.time() + 24 * 3600:
            return "expiry outside the next 24 hours"
        if not str(body.get("sub", "")).startswith(("mailto:", "https://")):
            return "no contact"
        return None

    def _problem(self, path: str, problem: str, status: int) -> int:
        with self._lock:
            self.problems.append(Delivery(path, problem))
        return status

    def everything(self) -> Iterator[tuple[Phone, dict[str, Any]]]:
        for phone in self.phones.values():
            for message in phone.received:
                yield phone, message


def _random(size: int) -> bytes:
    import os

    return os.urandom(size)
