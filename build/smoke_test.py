"""Build qidesk with PyInstaller (build/qidesk.spec) and check that the frozen app works.

Run from anywhere with the project's Python::

    .venv/bin/python build/smoke_test.py            # build, then check
    .venv/bin/python build/smoke_test.py --no-build # check an existing dist/qidesk

Steps (any failure ends the script with a non-zero exit code and a message saying what broke):

1. ``pyinstaller --noconfirm --clean --log-level WARN --workpath .pyi-work --distpath dist
   build/qidesk.spec`` (work and output folders stay outside the tracked ``build/`` folder);
2. check that nothing new appeared in ``build/``, that ``resources/`` was bundled and that the
   excluded Qt modules stayed out while the ones pyqtgraph needs (QtOpenGL...) are in;
3. run the frozen ``qidesk --version``, ``qidesk --demo --smoke-test`` (offscreen, temporary
   data and settings folders, three times for a median start-to-exit time),
   ``qidesk info --db <demo file>`` and ``qidesk check --db <demo file>``;
4. check that none of those runs wrote anything into the app folder; on Linux with
   ``xvfb-run``, run the smoke test once more on a real X server (the xcb platform plugin);
5. check portable mode: with ``portable.txt`` beside the executable, data goes to
   ``qidesk-data`` beside it.

It prints the build time, the folder size and the frozen smoke-test time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_DIR = ROOT / "build"
SPEC = BUILD_DIR / "qidesk.spec"
WORK = ROOT / ".pyi-work"
DIST = ROOT / "dist"
APP_DIR = DIST / "qidesk"
IS_WINDOWS = sys.platform == "win32"
EXE = APP_DIR / ("qidesk.exe" if IS_WINDOWS else "qidesk")

BUILD_TIMEOUT_S = 1800
RUN_TIMEOUT_S = 180

#: Qt modules that must be in the bundle (pyqtgraph imports QtOpenGL, QtOpenGLWidgets and QtSvg
#: when it is imported). QtPrintSupport is not excluded either, but it is bundled only once
#: qidesk imports it (PDF reports).
REQUIRED_QT = ("QtCore", "QtGui", "QtWidgets", "QtOpenGL", "QtOpenGLWidgets", "QtSvg")
#: Python modules that must NOT be in the bundle (qidesk is offline; no QML/web/3D).
FORBIDDEN_QT = ("QtNetwork", "QtQml", "QtQuick", "QtWebEngineCore", "Qt3DCore",
                "QtMultimedia", "QtBluetooth")


#: Build warnings seen on every Linux build that do not matter (docs/frozen-build.md).
KNOWN_HARMLESS_WARNINGS = (
    "'pyqtgraph.opengl'",  # 3D plotting needs PyOpenGL; excluded on purpose
    "user32 required via ctypes",  # a Windows-only code path in a dependency
    "libgtk-3.so.0", "libgdk-3.so.0",  # the GTK3 platform theme; Qt skips it when GTK is absent
    "libtiff.so.5",  # the TIFF image plugin; qidesk reads no TIFF files
)


class SmokeError(Exception):
    """A check failed; the message says what and how to look into it."""


def _version() -> str:
    text = (ROOT / "qidesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise SmokeError("no __version__ in qidesk/__init__.py")
    return match.group(1)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Relative path -> (size, mtime_ns) for every file under ``folder``."""
    out: dict[str, tuple[int, int]] = {}
    if folder.exists():
        for path in folder.rglob("*"):
            if path.is_file() or path.is_symlink():
                st = path.lstat()
                out[path.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def _diff(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    added = [f"new: {p}" for p in sorted(after.keys() - before.keys())]
    changed = [f"changed: {p}" for p in sorted(before.keys() & after.keys())
               if before[p] != after[p]]
    removed = [f"removed: {p}" for p in sorted(before.keys() - after.keys())]
    return added + changed + removed


def _folder_bytes(folder: Path) -> tuple[int, int]:
    """Total size of the regular files under ``folder`` (symlinks not followed) and their count."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def check_version_resource(version: str) -> None:
    """build/version_info.txt must carry the same version as qidesk.__version__."""
    text = (BUILD_DIR / "version_info.txt").read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r"\d+", version)][:4]
    numbers += [0] * (4 - len(numbers))
    expected_tuple = "(" + ", ".join(str(n) for n in numbers) + ")"
    problems = []
    for field in ("filevers", "prodvers"):
        match = re.search(rf"{field}=\(([^)]*)\)", text)
        if not match or "(" + match.group(1).strip() + ")" != expected_tuple:
            problems.append(f"{field} should be {expected_tuple}")
    for field in ("FileVersion", "ProductVersion"):
        if f"StringStruct('{field}', '{version}')" not in text:
            problems.append(f"{field} should be '{version}'")
    if problems:
        raise SmokeError(
            f"build/version_info.txt does not match qidesk {version}: " + "; ".join(problems)
        )


def build() -> float:
    """Run PyInstaller on the spec; return the build time in seconds."""
    cmd = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--workpath", str(WORK), "--distpath", str(DIST), str(SPEC),
    ]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    print("$ " + " ".join(cmd), flush=True)
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=BUILD_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise SmokeError(f"PyInstaller did not finish within {BUILD_TIMEOUT_S} s") from exc
    elapsed = time.perf_counter() - start
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise SmokeError(
            f"PyInstaller failed (exit {proc.returncode}). Last lines:\n{_tail(output, 40)}\n"
            "Hints: Linux builds need objdump (apt install binutils); see docs/frozen-build.md."
        )
    warnings = [line for line in output.splitlines() if "WARNING" in line or "ERROR" in line]
    unknown = [line for line in warnings if not any(k in line for k in KNOWN_HARMLESS_WARNINGS)]
    print(f"PyInstaller warnings: {len(warnings)}, of which {len(warnings) - len(unknown)} "
          "known to be harmless")
    for line in unknown[:10]:
        print(f"  {line}")
    if not EXE.exists():
        raise SmokeError(f"PyInstaller succeeded but {EXE} is missing")
    return elapsed


def check_bundle() -> None:
    """resources/ is bundled; the Qt modules pyqtgraph needs are in and the excluded ones out."""
    internal = APP_DIR / "_internal"
    if not internal.is_dir():
        raise SmokeError(f"{internal} is missing (expected a PyInstaller 6 one-folder build)")
    src = ROOT / "resources"
    expected = {
        p.relative_to(src).as_posix() for p in src.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
        and p.suffix not in {".pyc", ".pyo", ".swp", ".tmp"}
        and p.name not in {".DS_Store", "Thumbs.db", "desktop.ini"}
    }
    bundled = {p.relative_to(internal / "resources").as_posix()
               for p in (internal / "resources").rglob("*") if p.is_file()}
    missing = sorted(expected - bundled)
    if missing:
        raise SmokeError(f"resources not bundled ({len(missing)}): {missing[:10]}")

    pyside = internal / "PySide6"
    present = {p.name.split(".")[0] for p in pyside.glob("Qt*")} if pyside.is_dir() else set()
    lacking = [m for m in REQUIRED_QT if m not in present]
    if lacking:
        raise SmokeError(f"Qt modules missing from the bundle: {lacking} (do not exclude them)")
    leaked = [m for m in FORBIDDEN_QT if m in present]
    if leaked:
        raise SmokeError(f"excluded Qt modules ended up in the bundle: {leaked} "
                         "(something imports them; find it with .pyi-work/qidesk/xref-qidesk.html)")
    tk = [p.name for p in internal.rglob("*tkinter*")]
    if tk:
        raise SmokeError(f"tkinter ended up in the bundle: {tk[:5]}")


def _env(base: Path | None) -> dict[str, str]:
    """Environment for a frozen run: offscreen Qt and, unless ``base`` is None, temp folders."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("QIDESK_", "PYTHON")) and k not in {"QT_PLUGIN_PATH",
                                                                     "QT_QPA_PLATFORM_PLUGIN_PATH"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QIDESK_USER"] = "smoke-test"
    if base is not None:
        env["QIDESK_DATA_DIR"] = str(base / "data")
        env["QIDESK_CONFIG_DIR"] = str(base / "config")
    return env


def run_app(args: Sequence[str], env: dict[str, str], cwd: Path,
            what: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run the frozen executable; fail unless it exits 0. Returns (seconds, result)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run([str(EXE), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise SmokeError(f"{what}: no exit within {RUN_TIMEOUT_S} s") from exc
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SmokeError(
            f"{what}: exit code {proc.returncode} (expected 0)\n"
            f"stdout:\n{_tail(proc.stdout)}\nstderr:\n{_tail(proc.stderr)}"
        )
    return elapsed, proc


def check_frozen(runs: int, version: str, tmp: Path) -> list[float]:
    """Run the frozen app's commands; return the smoke-test times (seconds)."""
    cwd = tmp / "cwd"  # not the repo: the frozen app must not pick anything up from the source
    cwd.mkdir()
    _, proc = run_app(["--version"], _env(tmp / "v"), cwd, "qidesk --version")
    if not IS_WINDOWS and proc.stdout.strip() != f"qidesk {version}":
        raise SmokeError(f"qidesk --version printed {proc.stdout.strip()!r}, "
                         f"expected 'qidesk {version}'")

    times = []
    demo_file = None
    for i in range(runs):
        base = tmp / f"smoke{i}"
        elapsed, _ = run_app(["--demo", "--smoke-test"], _env(base), cwd,
                             f"qidesk --demo --smoke-test (run {i + 1})")
        times.append(elapsed)
        demo_file = base / "data" / "demo.qidesk"
        if not demo_file.is_file():
            raise SmokeError(f"--demo did not create {demo_file} (QIDESK_DATA_DIR not honoured?)")
    assert demo_file is not None

    _, proc = run_app(["info", "--db", str(demo_file)], _env(tmp / "info"), cwd, "qidesk info")
    if not IS_WINDOWS and "Schema version" not in proc.stdout:
        raise SmokeError(f"qidesk info printed no schema version:\n{_tail(proc.stdout)}")
    run_app(["check", "--db", str(demo_file)], _env(tmp / "info"), cwd, "qidesk check")
    return times


def check_xcb(tmp: Path) -> bool:
    """On Linux with Xvfb installed, run the smoke test once on a real X server (xcb plugin).

    Returns False when it was skipped (no ``xvfb-run``).
    """
    xvfb = shutil.which("xvfb-run")
    if IS_WINDOWS or sys.platform == "darwin" or xvfb is None:
        return False
    env = _env(tmp / "xcb")
    env["QT_QPA_PLATFORM"] = "xcb"
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [xvfb, "-a", "-s", "-screen 0 1366x768x24", str(EXE), "--demo", "--smoke-test"],
            cwd=tmp, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        raise SmokeError(f"xcb smoke test under Xvfb: no exit within {RUN_TIMEOUT_S} s") from exc
    if proc.returncode != 0:
        raise SmokeError(
            f"xcb smoke test under Xvfb: exit code {proc.returncode} after "
            f"{time.perf_counter() - start:.1f} s (QT_DEBUG_PLUGINS=1 shows which library the "
            f"xcb plugin lacks)\nstdout:\n{_tail(proc.stdout)}\nstderr:\n{_tail(proc.stderr)}"
        )
    return True


def check_portable(tmp: Path) -> None:
    """portable.txt beside the executable puts data and settings in qidesk-data beside it."""
    marker = APP_DIR / "portable.txt"
    data = APP_DIR / "qidesk-data"
    if marker.exists() or data.exists():
        raise SmokeError(f"{marker} or {data} exists before the portable check; remove them")
    env = _env(None)
    home = tmp / "home"  # if portable mode failed, data would land here, not in the real profile
    env.update(HOME=str(home), USERPROFILE=str(home), LOCALAPPDATA=str(home / "local"),
               XDG_DATA_HOME=str(home / "xdg-data"), XDG_CONFIG_HOME=str(home / "xdg-config"))
    marker.write_text("qidesk portable mode (created by build/smoke_test.py)\n", encoding="utf-8")
    try:
        run_app(["--demo", "--smoke-test"], env, tmp, "portable qidesk --demo --smoke-test")
        if not (data / "demo.qidesk").is_file():
            stray = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
            raise SmokeError(f"portable mode: no {data / 'demo.qidesk'}; files under the fake "
                             f"home instead: {stray[:10]}")
    finally:
        marker.unlink(missing_ok=True)
        shutil.rmtree(data, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Build and check; returns the exit code (0 = the frozen app is healthy)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true",
                        help="check the existing dist/qidesk instead of building")
    parser.add_argument("--runs", type=int, default=3,
                        help="smoke-test runs for the median time (default 3)")
    args = parser.parse_args(argv)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        version = _version()
        check_version_resource(version)
        build_before = _tree(BUILD_DIR)
        build_s = None
        if not args.no_build:
            build_s = build()
        elif not EXE.exists():
            raise SmokeError(f"--no-build given but {EXE} does not exist")
        build_changes = _diff(build_before, _tree(BUILD_DIR))
        if build_changes:
            raise SmokeError("the build wrote into the tracked build/ folder:\n  "
                             + "\n  ".join(build_changes[:20]))
        check_bundle()
        size, files = _folder_bytes(APP_DIR)

        app_before = _tree(APP_DIR)
        with tempfile.TemporaryDirectory(prefix="qidesk-frozen-") as tmp_name:
            tmp = Path(tmp_name)
            times = check_frozen(max(1, args.runs), version, tmp)
            xcb_checked = check_xcb(tmp)
            app_changes = _diff(app_before, _tree(APP_DIR))
            if app_changes:
                raise SmokeError("the frozen app wrote into its own folder (it must write only "
                                 "to the data/config folders):\n  " + "\n  ".join(app_changes[:20]))
            check_portable(tmp)
    except SmokeError as exc:
        print(f"FROZEN BUILD SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1

    print(f"frozen app:        {EXE.relative_to(ROOT)} (qidesk {version})")
    if build_s is not None:
        print(f"build time:        {build_s:.1f} s")
    print(f"folder size:       {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB, {files} files)")
    print(f"frozen smoke test: {statistics.median(times):.2f} s median start-to-exit "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"xcb under Xvfb:    {'passed' if xcb_checked else 'skipped (no xvfb-run)'}")
    print(f"portable mode:     passed (data in {APP_DIR.name}/qidesk-data beside the executable)")
    print("FROZEN BUILD OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
