"""Sessions read from the cache and written through to the database, surviving a cache outage."""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.db import DatabaseError

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    """Django's cached_db store, falling back to the database alone while Redis is down."""

    def load(self):
        try:
            return super().load()
        except DatabaseError:
            raise  # the database itself is down: the 503 middleware answers
        except Exception:  # noqa: BLE001 - the cache is unreachable
            logger.warning("Session cache unreachable; reading the session from the database")
            session = self._get_session_from_db()
            return self.decode(session.session_data) if session else {}

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except DatabaseError:
            raise
        except Exception:  # noqa: BLE001 - the cache is unreachable; the database row is gone
            logger.warning("Session cache unreachable; session deleted from the database only")
