"""Writing files so that a crash never leaves half a file: write beside the
target, flush to disk, then rename over it (atomic on POSIX)."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path``. A failure is an :class:`OSError` naming
    ``path`` (never the temporary file beside it, which the user never named)."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file, is there", str(path))
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and not path.is_file():
        # A pipe or a device (-o /dev/stdout, a FIFO): written as the stream it
        # is. Renaming over it would replace the device node itself (as root,
        # '/dev/full' or '/dev/stdout' became a regular file).
        with open(path, "wb") as stream:
            stream.write(data)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write there ({exc.strerror})", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
