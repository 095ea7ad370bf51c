"""The object-store interface both backends implement, and the local-directory backend.

A backend stores immutable blobs under `/`-separated keys. `create` is an exclusive create:
it writes the object only if no object exists under that key, atomically, so that the first
writer of a key wins and nobody ever sees a half-written object.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from palimpsest.storage.errors import InvalidStoreSpec, ObjectNotFound, StorageError


class Backend(Protocol):
    location: str
    read_concurrency: int  # how many reads are worth running at once (bulk reads, fixity)

    def read(self, key: str) -> bytes:
        """The object's bytes; ObjectNotFound if there is none."""
        ...

    def create(self, key: str, data: bytes) -> bool:
        """Write `data` under `key` unless an object exists there; True if this call wrote it."""
        ...

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> Iterator[str]:
        """Keys starting with `prefix`, in lexicographic order."""
        ...

    def children(self, prefix: str) -> builtins.list[str]:
        """Immediate sub-"directories" of `prefix` (names without slashes), sorted."""
        ...


def _check_key(key: str) -> None:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in {"", ".", ".."} for p in parts[:-1]):
        raise StorageError(f"invalid object key {key!r}", subject=key)
    if parts[-1] in {".", ".."}:
        raise StorageError(f"invalid object key {key!r}", subject=key)


TMP_PREFIX = ".tmp-"  # a write in progress (or killed): never listed as an object
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK}


def _create_exclusive(path: Path, data: bytes) -> bool:
    """Exclusive create for file systems without hard links (some network and FAT mounts).

    `open(..., "xb")` is still first-writer-wins, but a concurrent reader may see the file
    before it is complete (it then reports a CorruptObject naming the key, and a re-read
    succeeds); the link in `LocalBackend.create` avoids even that where it is available.
    """
    try:
        with open(path, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except FileExistsError:
        return False
    return True


class LocalBackend:
    """Objects as files under a root directory (created on the first write).

    Exclusive create: the data goes to a temporary file in the target directory, then
    `os.link` gives it its final name, which fails if the name exists. Readers therefore
    see either nothing or the complete object, and the first writer wins.
    """

    # Reading local files is fast and the hashing that follows holds the GIL: measured by
    # tests/storage/bench_storage.py, a thread pool makes the fixity check slower here.
    read_concurrency = 1

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.location = str(root)
        if self.root.exists() and not self.root.is_dir():
            raise InvalidStoreSpec(f"store {self.location} exists and is not a directory")

    def _path(self, key: str) -> Path:
        _check_key(key)
        return self.root / key

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            raise ObjectNotFound(key, self.location) from None
        except OSError as exc:
            raise StorageError(
                f"cannot read {key} in {self.location}: {exc.strerror}", subject=key
            ) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def create(self, key: str, data: bytes) -> bool:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    return False
                except OSError as exc:
                    if exc.errno not in _NO_HARD_LINKS:
                        raise
                    return _create_exclusive(path, data)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        except OSError as exc:
            raise StorageError(
                f"cannot write {key} in {self.location}: {exc.strerror}", subject=key
            ) from None
        return True

    def leftovers(self) -> list[tuple[str, float]]:
        """(path relative to the root, age in seconds) of every `.tmp-*` file: a write that was
        killed before `create` could link or unlink it."""
        if not self.root.is_dir():
            return []
        now = time.time()
        found = []
        for path in self.root.rglob(f"{TMP_PREFIX}*"):
            with contextlib.suppress(FileNotFoundError):
                found.append((path.relative_to(self.root).as_posix(), now - path.stat().st_mtime))
        return sorted(found)

    def remove_leftover(self, name: str) -> None:
        path = self.root / name
        if not path.name.startswith(TMP_PREFIX):
            raise StorageError(f"{name} in {self.location} is not a temporary file")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def list(self, prefix: str) -> Iterator[str]:
        base, _, _ = prefix.rpartition("/")
        start = self.root / base if base else self.root
        if not start.is_dir():
            return iter(())
        keys = []
        for dirpath, dirnames, filenames in os.walk(start):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for name in filenames:
                if name.startswith(TMP_PREFIX):
                    continue
                key = name if rel == "." else f"{rel}/{name}"
                if key.startswith(prefix):
                    keys.append(key)
        return iter(sorted(keys))

    def children(self, prefix: str) -> builtins.list[str]:
        path = self.root / prefix.rstrip("/") if prefix else self.root
        if not path.is_dir():
            return []
        return sorted(p.name for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
