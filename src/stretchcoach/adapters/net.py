"""Whether the web app can listen where it was asked to, checked before any worker starts."""

from __future__ import annotations

import errno
import socket

from stretchcoach.errors import InvalidInput


def check_can_listen(host: str, port: int) -> None:
    """Bind and release (host, port) once; InvalidInput in one line when that fails."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise InvalidInput(f"--host {host!r} is not an address here: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InvalidInput(
                    f"--port {port} is in use on {host} by another program: stop it, or "
                    "choose another port with --port P"
                ) from None
            raise InvalidInput(f"cannot listen on {host}:{port}: {error.strerror}") from None
