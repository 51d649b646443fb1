"""Build the one-folder program (and optionally its zip and Windows installer); print the figures.

    python bundle/build.py                  # dist/aftersales/ (PyInstaller, bundle/aftersales.spec)
    python bundle/build.py --zip            # ... and dist/aftersales-<version>-<platform>.zip
    python bundle/build.py --installer      # ... and dist/aftersales-<version>-setup.exe (NSIS)

PyInstaller builds for the system it runs on: a Windows folder on Windows, a Linux one here. The
installer script compiles with makensis on either, against the folder that was built.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app import __version__  # noqa: E402

SPEC = ROOT / "bundle" / "aftersales.spec"
NSIS_SCRIPT = ROOT / "bundle" / "aftersales.nsi"
NSIS_FOLDERS = (r"C:\Program Files (x86)\NSIS", r"C:\Program Files\NSIS")


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def build_folder(dist: Path, work: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(work)]
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT)
    folder = dist / "aftersales"
    size, count = folder_size(folder)
    print(f"folder: {folder} {megabytes(size)} in {count} files, built in {time.monotonic() - started:.0f} s")
    return folder


def write_zip(folder: Path) -> Path:
    target = folder.parent / f"aftersales-{__version__}-{sys.platform}-{platform.machine().lower()}.zip"
    started = time.monotonic()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(folder.rglob("*")):
            archive.write(path, Path(folder.name) / path.relative_to(folder))
    print(f"zip: {target} {megabytes(target.stat().st_size)}, written in {time.monotonic() - started:.0f} s")
    return target


def makensis() -> str:
    found = shutil.which("makensis")
    if found:
        return found
    for folder in NSIS_FOLDERS:
        candidate = Path(folder) / "makensis.exe"
        if candidate.exists():
            return str(candidate)
    raise SystemExit("makensis not found: install NSIS (https://nsis.sourceforge.io) or put it on PATH")


def write_installer(folder: Path, out: Path | None = None, *, compress: bool = True) -> Path:
    target = out or folder.parent / f"aftersales-{__version__}-setup.exe"
    option = "-" if os.name != "nt" else "/"
    command = [makensis(), f"{option}V2", f"{option}DDIST={folder.resolve()}", f"{option}DOUTFILE={target.resolve()}"]
    if not compress:
        command.append(f"{option}DNOCOMPRESS")
    command.append(str(NSIS_SCRIPT))
    started = time.monotonic()
    subprocess.run(command, check=True)
    print(f"installer: {target} {megabytes(target.stat().st_size)}, compiled in {time.monotonic() - started:.0f} s")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", action="store_true", help="also write the folder as a zip")
    parser.add_argument("--installer", action="store_true", help="also compile the NSIS installer")
    parser.add_argument("--fast-installer", action="store_true", help="an uncompressed installer (a quick check)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the folder goes")
    args = parser.parse_args()
    folder = build_folder(args.dist, ROOT / "build" / "pyinstaller")
    if args.zip:
        write_zip(folder)
    if args.installer or args.fast_installer:
        write_installer(folder, compress=not args.fast_installer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
