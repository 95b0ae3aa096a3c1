"""Command-line entry point: ``qidesk`` (console script) and ``python -m qidesk``.

With no sub-command it opens the GUI. Sub-commands work headless for hub staff and scripts.
The GUI modules (PySide6, pyqtgraph) are imported only when the GUI starts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from qidesk import __version__
from qidesk.core.errors import QideskError

#: Exit code when the output's reader went away, as a shell reports a process ended by SIGPIPE
#: (kept apart from 1, which ``check`` uses for "problems found").
EXIT_BROKEN_PIPE = 141


def _user() -> str:
    """The name recorded with changes made from the command line (same rule as the GUI)."""
    from qidesk import paths
    from qidesk.settings import load_settings, recorded_user

    return recorded_user(load_settings(paths.config_dir()))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="qidesk",
        description="qidesk: offline quality-improvement workspace. "
        "With no command, opens the application.",
    )
    parser.add_argument("--version", action="version", version=f"qidesk {__version__}")
    parser.add_argument(
        "--db", "--workspace", dest="db", type=Path, metavar="PATH", help="workspace file to open"
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the demo workspace (created if missing)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start the GUI, show each main view once and exit (0 = healthy)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create the demo workspace")
    demo.add_argument(
        "--db", dest="sub_db", type=Path, required=True, metavar="PATH", help="file to create"
    )
    demo.add_argument("--force", action="store_true", help="overwrite an existing file")

    info = sub.add_parser("info", help="print the schema version and record counts")
    info.add_argument("--db", dest="sub_db", type=Path, required=True, metavar="PATH")
    info.add_argument("--json", action="store_true", help="machine-readable output")

    check = sub.add_parser("check", help="run the integrity and foreign-key checks")
    check.add_argument("--db", dest="sub_db", type=Path, required=True, metavar="PATH")
    return parser


def _cmd_demo(db: Path, force: bool) -> int:
    from qidesk.services.demo import create_demo

    path = create_demo(db, user=_user(), force=force)
    print(f"Demo workspace written to {path}")
    return 0


def _cmd_info(db: Path, as_json: bool) -> int:
    from qidesk.services.workspace import WorkspaceService

    info = WorkspaceService.inspect(db)  # read-only: works while the file is open elsewhere
    if as_json:
        payload = {
            "path": str(info.path),
            "schema_version": info.schema_version,
            "size_bytes": info.size_bytes,
            "counts": info.counts,
            "backups": [str(p) for p in info.backups],
        }
        print(json.dumps(payload, indent=2, sort_keys=True))
    else:
        print(f"Workspace:      {info.path}")
        print(f"Schema version: {info.schema_version}{_version_note(info.schema_version)}")
        print(f"Size:           {info.size_bytes:,} bytes")
        for name, count in sorted(info.counts.items()):
            print(f"  {name:<20} {count:>8,}")
        print(f"Backups:        {len(info.backups)}")
    return 0


def _version_note(version: int) -> str:
    from qidesk.services.workspace import SCHEMA_VERSION

    if version < SCHEMA_VERSION:
        return f" (older than this qidesk's {SCHEMA_VERSION}: opening it for editing upgrades it)"
    if version > SCHEMA_VERSION:
        return f" (made by a newer qidesk; this one knows up to {SCHEMA_VERSION}: please update)"
    return ""


def _cmd_check(db: Path) -> int:
    """Exit 0 when clean, 1 when damage or broken references were found, 2 when not checkable."""
    from qidesk.services.workspace import WorkspaceService

    problems = WorkspaceService.check_file(db)
    if problems:
        print(f"{db}: {len(problems)} problem(s) found")
        for line in problems:
            print(f"  {line}")
        return 1
    print(f"{db}: integrity and foreign-key checks passed")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run qidesk with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int | None = None
        if args.command == "demo":
            code = _cmd_demo(args.sub_db, args.force)
        elif args.command == "info":
            code = _cmd_info(args.sub_db, args.json)
        elif args.command == "check":
            code = _cmd_check(args.sub_db)
        if code is not None:
            sys.stdout.flush()  # a closed pipe shows here, not in the flush at exit
            return code
    except QideskError as exc:
        print(f"qidesk: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader stopped reading (``qidesk info … | head``)
        with contextlib.suppress(OSError):  # so that the flush at exit does not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    from qidesk.ui.app import run_gui

    return run_gui(workspace=args.db, demo=args.demo, smoke_test=args.smoke_test)
