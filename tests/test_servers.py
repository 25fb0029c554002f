"""The private servers of the fault tests, and the check that the shared ones are left alone.

A server stopped and started again is another server to the check in tests/conftest.py: these
tests restart private ones to show that the check would see a restart of a shared one.
"""

from __future__ import annotations

import shutil

import psycopg
import pytest
import redis

from tests.servers import (
    PrivatePostgres,
    PrivateRedis,
    missing,
    postgres_bindir,
    postgres_identity,
    redis_identity,
)


def test_a_private_redis_restarted_on_its_port_is_seen_as_another_server(private_redis):
    before = redis_identity(private_redis.url())

    private_redis.stop()
    with pytest.raises(redis.ConnectionError):
        redis.Redis(port=private_redis.port, socket_connect_timeout=1).ping()
    private_redis.start()

    assert redis_identity(private_redis.url()) != before


def test_a_private_postgres_restarted_on_its_port_and_data_is_seen_as_another_server(
    private_postgres,
):
    private_postgres.create_database("kept")
    pid, started = postgres_identity(**private_postgres.connect())

    private_postgres.stop()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**private_postgres.connect(), connect_timeout=2)
    private_postgres.start()

    assert pid is not None
    after = postgres_identity(**private_postgres.connect())
    assert after[0] != pid and after[1] != started
    with psycopg.connect(**{**private_postgres.connect(), "dbname": "kept"}) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_closing_a_private_server_stops_it_and_removes_its_folder(tmp_path):
    """What the fixtures do at teardown, whatever the test did: even a paused Redis goes."""
    bindir = postgres_bindir()
    if bindir is None or shutil.which("redis-server") is None:
        missing("PostgreSQL's initdb and pg_ctl, and redis-server")
    postgres, cache = PrivatePostgres(bindir), PrivateRedis(tmp_path)
    try:
        postgres.initdb()
        postgres.start()
        cache.start()
        cache.pause()

        postgres.close()
        cache.close()

        assert not postgres.directory.exists()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(**postgres.connect(), connect_timeout=2)
        assert not cache.running()
        assert not cache.answers()
    finally:  # closing twice is harmless
        postgres.close()
        cache.close()
