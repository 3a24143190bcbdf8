"""The one exception services raise when they refuse work; the CLI turns it into exit 1, the desk into a message."""

from __future__ import annotations


class Refused(Exception):
    """The work was refused and nothing was written. ``str()`` is a message for the person who asked."""


class Unknown(Refused):
    """Refused because what was named does not exist (the desk answers 404)."""
