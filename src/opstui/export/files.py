"""Writing an exported document to a file."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, document: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a document.

    Raises OSError (one line) when the folder does not exist or the write fails; the
    target is then untouched.
    """
    if not path.parent.is_dir():
        raise OSError(f"{path.parent}: no such directory")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(document)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
