"""The desk's sessions: Django's database sessions, taken only from a key Django itself could have made."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class SessionStore(db.SessionStore):
    """A cookie whose key has other characters (a NUL: PostgreSQL refuses it in the lookup, and every page answered
    500 to that browser) is no session, as a key that is too short already is: the request goes on logged out."""

    def _validate_session_key(self, key: str | None) -> bool:
        return key is not None and len(key) >= 8 and set(key) <= _KEY_CHARS
