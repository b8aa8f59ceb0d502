"""A small FUSE filesystem that, like LazyFS, keeps written data in memory until fsync.

    python lazyfs.py BACKING_DIR MOUNTPOINT

Writes and truncations stay in a per-file overlay that reads see; fsync (or fdatasync)
applies them to the backing file and syncs it. Sending SIGUSR1 to this process simulates
power loss: every overlay not yet synced is thrown away. Metadata (create, rename, unlink)
goes straight through, which is kinder than real power loss, so a pass here is necessary
rather than sufficient. Needs fuse3 (Debian: apt-get install fuse3) and `pip install mfusepy`.
This is a test harness for scripts/powerloss/run.py, not part of lt-interview.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading

import mfusepy as fuse


class Overlay:
    def __init__(self) -> None:
        self.writes: list[tuple[int, bytes]] = []
        self.size: int | None = None  # logical size if changed since the last sync


class LazyFS(fuse.Operations):
    use_ns = True

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self._mutex = threading.RLock()
        self.pending: dict[str, Overlay] = {}
        self.dropped = 0

    def _full(self, path: str) -> str:
        return os.path.join(self.root, path.lstrip("/"))

    def _logical_size(self, path: str, real: int) -> int:
        overlay = self.pending.get(path)
        if overlay is None:
            return real
        size = overlay.size if overlay.size is not None else real
        for offset, data in overlay.writes:
            size = max(size, offset + len(data))
        return size

    # --- power loss ----------------------------------------------------------------------
    def crash(self, *_: object) -> None:
        with self._mutex:
            self.dropped += sum(len(o.writes) for o in self.pending.values())
            self.pending.clear()
        sys.stderr.write(f"lazyfs: power loss simulated, dropped {self.dropped} unsynced writes\n")

    # --- metadata ------------------------------------------------------------------------
    def getattr(self, path, fh=None):
        try:
            st = os.lstat(self._full(path))
        except FileNotFoundError:
            raise fuse.FuseOSError(errno.ENOENT) from None
        keys = ("st_atime", "st_ctime", "st_gid", "st_mode", "st_mtime", "st_nlink", "st_size", "st_uid")
        attrs = {key: getattr(st, key) for key in keys}
        with self._mutex:
            attrs["st_size"] = self._logical_size(path, st.st_size)
        return attrs

    def readdir(self, path, fh):
        return [".", "..", *os.listdir(self._full(path))]

    def access(self, path, amode):
        if not os.access(self._full(path), amode):
            raise fuse.FuseOSError(errno.EACCES)
        return 0

    def chmod(self, path, mode):
        os.chmod(self._full(path), mode)
        return 0

    def chown(self, path, uid, gid):
        os.chown(self._full(path), uid, gid)
        return 0

    def mkdir(self, path, mode):
        os.mkdir(self._full(path), mode)
        return 0

    def rmdir(self, path):
        os.rmdir(self._full(path))
        return 0

    def unlink(self, path):
        with self._mutex:
            self.pending.pop(path, None)
        os.unlink(self._full(path))
        return 0

    def rename(self, old, new):
        with self._mutex:
            if old in self.pending:
                self.pending[new] = self.pending.pop(old)
        os.rename(self._full(old), self._full(new))
        return 0

    def utimens(self, path, times=None):
        os.utime(self._full(path), ns=times) if times else os.utime(self._full(path))
        return 0

    def statfs(self, path):
        st = os.statvfs(self._full(path))
        keys = ("f_bavail", "f_bfree", "f_blocks", "f_bsize", "f_favail", "f_ffree", "f_files",
                "f_flag", "f_frsize", "f_namemax")
        return {key: getattr(st, key) for key in keys}

    # --- data ----------------------------------------------------------------------------
    def open(self, path, flags):
        return 0

    def create(self, path, mode, fi=None):
        fd = os.open(self._full(path), os.O_CREAT | os.O_WRONLY, mode)
        os.close(fd)
        return 0

    def read(self, path, size, offset, fh):
        with self._mutex:
            with open(self._full(path), "rb") as handle:
                real = os.fstat(handle.fileno()).st_size
                overlay = self.pending.get(path)
                logical = self._logical_size(path, real)
                end = min(offset + size, logical)
                if end <= offset:
                    return b""
                handle.seek(offset)
                buffer = bytearray(handle.read(end - offset).ljust(end - offset, b"\0"))
                if overlay is not None:
                    if overlay.size is not None and overlay.size < real:
                        for i in range(max(overlay.size, offset), end):
                            buffer[i - offset] = 0
                    for w_offset, data in overlay.writes:
                        lo, hi = max(offset, w_offset), min(end, w_offset + len(data))
                        if lo < hi:
                            buffer[lo - offset:hi - offset] = data[lo - w_offset:hi - w_offset]
                return bytes(buffer)

    def write(self, path, data, offset, fh):
        with self._mutex:
            self.pending.setdefault(path, Overlay()).writes.append((offset, bytes(data)))
        return len(data)

    def truncate(self, path, length, fh=None):
        with self._mutex:
            overlay = self.pending.setdefault(path, Overlay())
            overlay.writes = [(o, d[: max(0, length - o)]) for o, d in overlay.writes if o < length]
            overlay.size = length
        return 0

    def fsync(self, path, datasync, fh):
        with self._mutex:
            overlay = self.pending.pop(path, None)
            if overlay is not None:
                fd = os.open(self._full(path), os.O_WRONLY)
                try:
                    if overlay.size is not None:
                        os.ftruncate(fd, overlay.size)
                    for offset, data in overlay.writes:
                        os.pwrite(fd, data, offset)
                    os.fsync(fd)
                finally:
                    os.close(fd)
        return 0

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        return 0


def main() -> None:
    backing, mountpoint = sys.argv[1], sys.argv[2]
    filesystem = LazyFS(backing)
    signal.signal(signal.SIGUSR1, filesystem.crash)
    fuse.FUSE(filesystem, mountpoint, foreground=True, nothreads=True, allow_other=False)


if __name__ == "__main__":
    main()
