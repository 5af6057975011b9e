"""Pack a one-folder build behind the launcher: the one file dist/opstui.

    python packaging/bundle.py LAUNCHER FOLDER OUT --version VERSION

The layout is the one `packaging/launcher.c` reads (its opening comment): the launcher's
bytes, then every directory and file under FOLDER in sorted order (directories before what
they hold), then a trailer naming the folder `VERSION-HASH`, HASH being the first 16 hex
digits of the packed folder's SHA-256, so two builds that differ in any byte unpack apart.
The same FOLDER and launcher always give the same file. `read_packed(OUT)` lists it back
(the binary's tests read it). Run by packaging/build-binary.sh.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import stat
import struct
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"opstuiP1"
ID_SIZE = 64
TRAILER = struct.Struct(f"<{ID_SIZE}sQQ8s")
ENTRY = struct.Struct("<cIIQ")
ID_CHARACTERS = re.compile(r"[A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class Entry:
    """One directory (`data` empty) or file of the packed folder."""

    kind: str
    mode: int
    path: str
    data: bytes


def folder_entries(folder: Path) -> Iterator[Entry]:
    """Every directory and file under `folder`, in an order that depends on nothing but
    their names; a link or any other kind of file is refused (the launcher unpacks neither)."""
    for directory, subdirectories, files in os.walk(folder):
        subdirectories.sort()
        base = Path(directory)
        for name in [*subdirectories, *sorted(files)]:
            path = base / name
            relative = path.relative_to(folder).as_posix()
            status = path.lstat()
            if stat.S_ISDIR(status.st_mode):
                yield Entry("d", status.st_mode & 0o755, relative, b"")
            elif stat.S_ISREG(status.st_mode):
                yield Entry("f", status.st_mode & 0o755, relative, path.read_bytes())
            else:
                raise SystemExit(f"bundle.py: {path} is neither a file nor a directory")


def pack(entries: Sequence[Entry]) -> bytes:
    parts: list[bytes] = []
    for entry in entries:
        path = entry.path.encode("utf-8")
        parts += [ENTRY.pack(entry.kind.encode(), entry.mode, len(path), len(entry.data)), path]
        parts.append(entry.data)
    return b"".join(parts)


def bundle(launcher: Path, folder: Path, out: Path, version: str) -> str:
    """Write `out`; returns the name of the folder it unpacks to (`VERSION-HASH`)."""
    if not (folder / "opstui").is_file():
        raise SystemExit(f"bundle.py: {folder} holds no program named opstui")
    packed = pack(list(folder_entries(folder)))
    name = f"{version}-{hashlib.sha256(packed).hexdigest()[:16]}"
    if not ID_CHARACTERS.fullmatch(name) or name.startswith(".") or len(name) > ID_SIZE:
        raise SystemExit(f"bundle.py: {name!r} cannot name a folder (version {version!r})")
    front = launcher.read_bytes()
    trailer = TRAILER.pack(name.encode(), len(front), len(packed), MAGIC)
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.with_name(out.name + ".partial")
    scratch.write_bytes(front + packed + trailer)
    scratch.chmod(0o755)
    scratch.replace(out)
    return name


def read_packed(path: Path) -> tuple[str, list[Entry]]:
    """The name `path` unpacks to, and its entries, as the launcher reads them."""
    data = path.read_bytes()
    name, offset, length, magic = TRAILER.unpack(data[-TRAILER.size :])
    if magic != MAGIC or offset + length != len(data) - TRAILER.size:
        raise ValueError(f"{path} does not end with a packed folder")
    entries: list[Entry] = []
    at, end = offset, offset + length
    while at < end:
        kind, mode, path_size, data_size = ENTRY.unpack_from(data, at)
        at += ENTRY.size
        entry_path = data[at : at + path_size].decode("utf-8")
        at += path_size
        entries.append(Entry(kind.decode(), mode, entry_path, data[at : at + data_size]))
        at += data_size
    return name.rstrip(b"\0").decode(), entries


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bundle.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("launcher", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--version", required=True)
    args = parser.parse_args(argv)
    name = bundle(args.launcher, args.folder, args.out, args.version)
    print(f"{args.out}: unpacks to binary-{name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
