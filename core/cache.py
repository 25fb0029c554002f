"""A Redis connection pool that stops asking a Redis that failed to answer, for a few seconds.

django-redis ignores the cache's errors (a miss, a dropped write), but each call still waits for
its own timeout: a page that reads and writes a few figures would wait for each of them while
Redis hangs. After a connection or a command of the pool fails, the pool refuses every
connection for RETRY_SECONDS at once, so that a slow or dead Redis costs one short timeout,
then misses that cost nothing, until it is tried again.
"""

from __future__ import annotations

import time

from redis.connection import Connection, ConnectionPool
from redis.exceptions import ConnectionError, TimeoutError

RETRY_SECONDS = 5.0


class Breaker:
    """Whether a Redis failed within the last RETRY_SECONDS."""

    def __init__(self) -> None:
        self.failed_at = float("-inf")

    def trip(self) -> None:
        self.failed_at = time.monotonic()

    def is_open(self) -> bool:
        return time.monotonic() - self.failed_at < RETRY_SECONDS


class BreakerConnection(Connection):
    """A connection that trips its pool's breaker when connecting or reading fails."""

    def __init__(self, *args, breaker: Breaker, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.breaker = breaker

    def connect(self) -> None:
        try:
            super().connect()
        except (ConnectionError, TimeoutError):
            self.breaker.trip()
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (ConnectionError, TimeoutError):
            self.breaker.trip()
            raise


class BreakerConnectionPool(ConnectionPool):
    """redis-py's pool of BreakerConnections, refusing connections while the breaker is open."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["connection_class"] = BreakerConnection
        super().__init__(*args, breaker=Breaker(), **kwargs)

    def get_connection(self, *args, **kwargs) -> Connection:
        if self.connection_kwargs["breaker"].is_open():
            raise ConnectionError("Redis failed to answer a moment ago; not asked again yet")
        return super().get_connection(*args, **kwargs)
