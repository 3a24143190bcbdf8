"""What an upload of export files may be called: the desk saves each under a bounded, safe name (its suffix
tells the reader the format) and the record keeps the name as given, cut to its column."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import SuspiciousFileOperation
from django.utils.text import get_valid_filename

from opsdesk.imports.models import ImportRecord
from opsdesk.lib.forms import column

# Well below every file system's 255-byte name limit, even for names in Chinese (3 bytes a character).
SAVED_NAME_MAX = 60
SUFFIX_MAX = 10


def upload_name(name: str | None) -> str:
    """'../../很长的名字….xlsx' → a name safe to write in the upload folder (stem cut, suffix kept)."""
    base = PurePath(text_safe(name or "") or "upload").name
    try:
        safe = get_valid_filename(base)
    except SuspiciousFileOperation:  # Django refuses names like '..' (SuspiciousFileOperation)
        safe = "upload"
    path = PurePath(safe)
    suffix = path.suffix[:SUFFIX_MAX] if len(path.suffix) > 1 else ""
    return path.stem[: SAVED_NAME_MAX - len(suffix)] + suffix


def text_safe(text: str) -> str:
    """A name from the command line that is not UTF-8 (its bytes came in as surrogates) as storable text."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def record_name(name: str) -> str:
    """The name as given, storable and within ImportRecord.file_name (the end of a long path is kept)."""
    return text_safe(name)[-column(ImportRecord, "file_name").max_length:]
