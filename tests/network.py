"""No request leaves the machine in the suite: connections and name lookups are allowed to this
machine's loopback addresses (and unix sockets) only; anything else raises NetworkRefused.

Installed around every test by the autouse fixture in tests/conftest.py. Recorded HTTP (vcrpy)
replays without opening a socket, so it works under the guard.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

import pytest

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
INTERNET_FAMILIES = (socket.AF_INET, socket.AF_INET6)


class NetworkRefused(RuntimeError):
    """A test tried to reach another machine. Not an OSError, so that no code under test takes
    it for a network failure to retry or to turn into a message."""


def is_local(host: object) -> bool:
    """Whether a host (a name or an address) is this machine's loopback."""
    if host is None:
        return True  # getaddrinfo(None, port): the wildcard of a server binding
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(host: object, port: object) -> None:
    raise NetworkRefused(
        f"The test suite refused to reach {host}:{port}: no request leaves the machine "
        "(replay a recorded response with vcrpy instead)."
    )


def _guarded_connect(original: Callable) -> Callable:
    def connect(sock: socket.socket, address, *args, **kwargs):
        if sock.family in INTERNET_FAMILIES and not is_local(address[0]):
            _refuse(address[0], address[1])
        return original(sock, address, *args, **kwargs)

    return connect


def _guarded_getaddrinfo(original: Callable) -> Callable:
    def getaddrinfo(host, port, *args, **kwargs):
        if not is_local(host):
            _refuse(host, port)
        return original(host, port, *args, **kwargs)

    return getaddrinfo


def network_guard_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse, for the test's duration, every connection or lookup beyond the loopback."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect(socket.socket.connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect(socket.socket.connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo(socket.getaddrinfo))
