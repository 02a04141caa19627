"""Reading the local files the hook is pointed at, every bound applied before a byte is read.

Values files (``-f``), the credentials file or directory (``--credentials``),
``--previous-config`` and ``--docker-config``: each must be a regular file once its
symlinks are resolved (a FIFO blocks for ever, ``/dev/zero`` never ends), no larger than
its cap, and it must hold what its size says.  That last rule refuses pseudo-files such as
``/proc/self/environ``, which report a size of 0 and yet have content: a credentials
directory entry linked there would otherwise send the process environment as a password.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from binderhub_registry_hook.errors import InputError

_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISFIFO: "a FIFO",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def read_bytes(path: Path | str, *, what: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file ``path``; one InputError otherwise."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise InputError(f"{path}: cannot read {what}: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS.items() if test(st.st_mode)), "a special file")
            raise InputError(f"{path}: cannot read {what}: not a regular file ({kind})")
        if st.st_size > limit:
            raise InputError(f"{path}: {what} larger than {limit} bytes")
        chunks, size = [], 0
        while size <= st.st_size:  # one byte more than the size says, to see whether there is more
            try:
                chunk = os.read(fd, st.st_size + 1 - size)
            except OSError as e:
                raise InputError(f"{path}: cannot read {what}: {e.strerror}") from None
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > st.st_size:
            raise InputError(
                f"{path}: cannot read {what}: not a regular file (it holds more than its size "
                f"of {st.st_size} bytes says: a pseudo-file such as /proc or /sys)"
            )
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path | str, *, what: str, limit: int) -> str:
    """:func:`read_bytes`, decoded as UTF-8 (one InputError naming the byte otherwise)."""
    raw = read_bytes(path, what=what, limit=limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: {what} is not valid UTF-8 (byte {e.start})") from None
