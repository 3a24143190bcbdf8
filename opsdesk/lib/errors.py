"""The one exception services raise when they refuse work; the CLI turns it into exit 1, the desk into a message."""

from __future__ import annotations


class Refused(Exception):
    """The work was refused and nothing was written. ``str()`` is a message for the person who asked."""


class Unknown(Refused):
    """Refused because what was named does not exist (the desk answers 404)."""


class OutcomeUnknown(Refused):
    """A send whose outcome is not known (the line broke after the message was handed over): a person checks
    whether it arrived; it is never sent again blindly."""
