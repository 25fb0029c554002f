"""No request leaves the machine in the suite (tests/network.py, installed by tests/conftest.py)."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.network import NetworkRefused


def test_a_request_to_another_machine_is_refused():
    with pytest.raises(NetworkRefused, match=r"refused to reach comtradeapi\.un\.org:443"):
        requests.get("https://comtradeapi.un.org/", timeout=5)


@pytest.mark.parametrize("method", ["connect", "connect_ex"])
def test_a_socket_to_an_address_beyond_the_loopback_is_refused(method):
    with socket.socket() as sock, pytest.raises(NetworkRefused, match=r"192\.0\.2\.1:80"):
        getattr(sock, method)(("192.0.2.1", 80))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_connections_to_this_machine_still_work(host):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection((host, port), timeout=5):
            accepted, _ = server.accept()
            accepted.close()
