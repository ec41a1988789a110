"""A deterministic zip of the built site, for deposit and offline reading.

Same site, same bytes: entries sorted, every timestamp fixed (SOURCE_DATE_EPOCH, else 1980-01-01,
the earliest a zip can hold), fixed permissions, no extra fields. Everything sits under one top
folder, so unzipping gives `<root_name>/index.html`, which opens from disk with no server.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o100644  # regular file, rw-r--r--
_DIR_MODE = 0o040755  # directory, rwxr-xr-x


def _timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return _ZIP_EPOCH
    stamp = time.gmtime(int(epoch))[:6]
    return max(stamp, _ZIP_EPOCH)  # zip cannot store dates before 1980


def _entry(name: str, mode: int, stamp) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.external_attr = mode << 16
    info.create_system = 3  # Unix, so the permissions above are honoured
    info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    return info


def write_zip(site_dir: Path, zip_path: Path, root_name: str) -> Path:
    stamp = _timestamp()
    root = root_name.strip("/")
    files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    dirs = sorted({"/".join(rel.split("/")[:i]) for rel in files for i in range(1, rel.count("/") + 1)})
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr(_entry(f"{root}/", _DIR_MODE, stamp), b"")
        for rel in sorted([d + "/" for d in dirs] + files):
            if rel.endswith("/"):
                archive.writestr(_entry(f"{root}/{rel}", _DIR_MODE, stamp), b"")
            else:
                data = (site_dir / rel).read_bytes()
                archive.writestr(_entry(f"{root}/{rel}", _FILE_MODE, stamp), data, compresslevel=9)
    return zip_path
