"""Bad input at the command line: every case is a plain message naming the file, never a traceback.

Each test runs the real entry point (``python -m qidesk``) in a subprocess with its own data and
config folders, and checks the exit code (0 done / clean, 1 problems found, 2 refused or cannot
open), the words the user reads, and that the file was not changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

PAGE = 4096


def run(
    *args: str, tmp: Path, config: Path | None = None, **popen: object
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QIDESK_DATA_DIR": str(tmp / "data"),
        "QIDESK_CONFIG_DIR": str(config or tmp / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "qidesk", *args],
        capture_output="stdout" not in popen,
        text=True,
        env=env,
        timeout=180,
        check=False,
        **popen,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain(out: subprocess.CompletedProcess[str]) -> str:
    """stderr, after checking that it holds no traceback."""
    assert "Traceback" not in out.stderr, out.stderr
    assert "Traceback" not in (out.stdout or "")
    return out.stderr


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace made once; tests copy it."""
    tmp = tmp_path_factory.mktemp("demo")
    path = tmp / "demo.qidesk"
    out = run("demo", "--db", str(path), tmp=tmp)
    assert out.returncode == 0, out.stderr
    return path


@pytest.fixture
def workspace(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace in this test's folder."""
    path = tmp_path / "ward 7 ✓.qidesk"
    path.write_bytes(demo_file.read_bytes())
    return path


HOLD = """
    import sys
    from qidesk.store.database import open_workspace
    ws = open_workspace(sys.argv[1], user="nurse@Ward 7", backup=False)
    print("HELD", flush=True)
    sys.stdin.readline()  # hold the workspace open until told to stop
    ws.close()
    print("CLOSED", flush=True)
"""


@pytest.fixture
def held(workspace: Path, tmp_path: Path) -> Iterator[Path]:
    """``workspace`` held open for writing by another qidesk process."""
    script = tmp_path / "hold.py"
    script.write_text(textwrap.dedent(HOLD), encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, str(script), str(workspace)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "HELD"
        yield workspace
        stdout, _ = proc.communicate("\n", timeout=30)  # let it close, then it exits
        assert stdout.strip() == "CLOSED"


# -- the command line itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("info",), "the following arguments are required: --db"),
        (("check", "--db"), "argument --db: expected one argument"),
        (("frobnicate", "--db", "x.qidesk"), "invalid choice: 'frobnicate'"),
        (("demo",), "the following arguments are required: --db"),
    ],
)
def test_usage_mistakes_are_explained(tmp_path: Path, args: tuple[str, ...], says: str) -> None:
    out = run(*args, tmp=tmp_path)
    assert out.returncode == 2
    assert says in plain(out)
    assert "usage: qidesk" in out.stderr


def test_the_help_names_the_workspace_argument_plainly(tmp_path: Path) -> None:
    out = run("check", "--help", tmp=tmp_path)
    assert out.returncode == 0
    assert "--db PATH" in out.stdout
    assert "SUB_DB" not in out.stdout


# -- info and check on files that are not good workspaces ---------------------------------------


def _corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // PAGE * PAGE
    data[middle : middle + PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])


@pytest.mark.parametrize("damage", [_corrupt_middle, _truncate], ids=["bad-page", "truncated"])
def test_check_reports_damage_as_problems_with_exit_1(
    workspace: Path, tmp_path: Path, damage: object
) -> None:
    damage(workspace)  # type: ignore[operator]
    before = sha(workspace)
    out = run("check", "--db", str(workspace), tmp=tmp_path)
    plain(out)
    assert out.returncode == 1, out.stdout + out.stderr
    assert f"{workspace}: 1 problem(s) found" in out.stdout
    assert "damaged" in out.stdout
    assert sha(workspace) == before

    info = run("info", "--db", str(workspace), tmp=tmp_path)
    assert info.returncode == 2
    assert str(workspace) in plain(info) and "damaged" in info.stderr
    assert sha(workspace) == before


def test_info_and_check_work_while_another_qidesk_has_the_file_open(
    held: Path, tmp_path: Path
) -> None:
    before = sha(held)
    info = run("info", "--db", str(held), "--json", tmp=tmp_path)
    assert info.returncode == 0, plain(info)
    assert json.loads(info.stdout)["counts"]["project"] >= 8
    check = run("check", "--db", str(held), tmp=tmp_path)
    assert check.returncode == 0, plain(check)
    assert "passed" in check.stdout
    assert sha(held) == before


def test_info_and_check_read_a_file_from_an_older_qidesk(workspace: Path, tmp_path: Path) -> None:
    """Hub staff get files from wards on older versions: info must not ask to upgrade them."""
    conn = sqlite3.connect(workspace)
    conn.execute("PRAGMA user_version = 1")  # pretend it predates the later migrations
    conn.commit()
    conn.close()
    before = sha(workspace)
    info = run("info", "--db", str(workspace), tmp=tmp_path)
    assert info.returncode == 0, plain(info)
    assert "Schema version: 1 (older than this qidesk's" in info.stdout
    check = run("check", "--db", str(workspace), tmp=tmp_path)
    assert check.returncode == 0, plain(check)
    assert sha(workspace) == before


def test_info_and_check_read_a_file_from_a_newer_qidesk(workspace: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(workspace)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = sha(workspace)
    info = run("info", "--db", str(workspace), tmp=tmp_path)
    assert info.returncode == 0, plain(info)
    assert "Schema version: 999 (made by a newer qidesk" in info.stdout
    check = run("check", "--db", str(workspace), tmp=tmp_path)
    assert check.returncode == 0, plain(check)
    assert "passed" in check.stdout
    assert sha(workspace) == before


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.write_bytes(b""), "is empty, so it is not a qidesk workspace"),
        (lambda p: p.write_text("minutes\n" * 40), "is not a qidesk workspace"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(400)), "it is not a database file"),
        (_other_program, "it is a database of another program"),
        (lambda p: p.mkdir(), "is a folder, not a workspace file"),
        (lambda p: None, "There is no workspace file at"),
    ],
    ids=["empty", "text", "xlsx", "other-program", "folder", "missing"],
)
@pytest.mark.parametrize("command", ["info", "check"])
def test_not_a_workspace_exits_2_naming_the_file(
    tmp_path: Path, command: str, make: object, says: str
) -> None:
    path = tmp_path / "ward 7.qidesk"
    make(path)  # type: ignore[operator]
    before = sha(path) if path.is_file() else None
    out = run(command, "--db", str(path), tmp=tmp_path)
    assert out.returncode == 2
    message = plain(out)
    assert message.startswith("qidesk: ") and str(path) in message
    assert says in message
    assert (sha(path) if path.is_file() else None) == before


def test_a_name_too_long_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / ("a" * 300 + ".qidesk")
    for command in ("info", "check", "demo"):
        out = run(command, "--db", str(path), tmp=tmp_path)
        assert out.returncode == 2, command
        assert "File name too long" in plain(out)
        assert str(path) in out.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_device_or_pipe_is_not_called_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "pipe.qidesk"
    os.mkfifo(path)
    out = run("info", "--db", str(path), tmp=tmp_path)
    assert out.returncode == 2
    assert f"qidesk: {path} is not a workspace file (it is not an ordinary file)." in plain(out)


@pytest.mark.skipif(sys.platform == "win32", reason="Windows reports a closed pipe differently")
def test_output_cut_short_by_its_reader_is_not_a_traceback(workspace: Path, tmp_path: Path) -> None:
    """``qidesk info … | head``: the reader went away before qidesk wrote."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to this pipe fails with EPIPE
    try:
        out = run("info", "--db", str(workspace), tmp=tmp_path, stdout=write_end, stderr=-1)
    finally:
        os.close(write_end)
    assert "Traceback" not in out.stderr and "BrokenPipeError" not in out.stderr
    assert out.returncode == 141


# -- demo --force -------------------------------------------------------------------------------


def test_demo_force_refuses_a_workspace_open_in_another_qidesk(held: Path, tmp_path: Path) -> None:
    """It used to delete the file (and its -wal) from under the running qidesk."""
    before = sha(held)
    sidecars = sorted(p.name for p in tmp_path.iterdir())
    out = run("demo", "--db", str(held), "--force", tmp=tmp_path)
    assert out.returncode == 2
    assert "is already open in qidesk: nurse@Ward 7" in plain(out)
    assert str(held) in out.stderr
    assert sha(held) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sidecars  # -wal, -shm and lock kept


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: p.write_text("my only copy of the audit\n"), "is not a qidesk workspace"),
        (_other_program, "is not a qidesk workspace, so qidesk will not replace it"),
    ],
    ids=["text-file", "other-program"],
)
def test_demo_force_never_replaces_a_file_that_is_not_a_workspace(
    tmp_path: Path, make: object, says: str
) -> None:
    path = tmp_path / "audit.xlsx"
    make(path)  # type: ignore[operator]
    before = sha(path)
    out = run("demo", "--db", str(path), "--force", tmp=tmp_path)
    assert out.returncode == 2
    assert says in plain(out) and str(path) in out.stderr
    assert sha(path) == before


def test_demo_force_on_a_folder_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "workspaces"
    (folder / "keep").mkdir(parents=True)
    out = run("demo", "--db", str(folder), "--force", tmp=tmp_path)
    assert out.returncode == 2
    assert f"qidesk: {folder} is a folder, not a workspace file." in plain(out)
    assert (folder / "keep").is_dir()


def test_demo_force_refuses_a_read_only_file(workspace: Path, tmp_path: Path) -> None:
    workspace.chmod(0o444)
    try:
        before = sha(workspace)
        out = run("demo", "--db", str(workspace), "--force", tmp=tmp_path)
        assert out.returncode == 2
        assert f"qidesk: {workspace} is read-only" in plain(out)
        assert sha(workspace) == before
    finally:
        workspace.chmod(0o644)


def test_demo_force_refuses_a_file_in_a_read_only_folder(workspace: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "w.qidesk"
    workspace.rename(path)
    folder.chmod(0o555)
    try:
        before = sha(path)
        out = run("demo", "--db", str(path), "--force", tmp=tmp_path)
        assert out.returncode == 2
        assert "read-only (or its folder is)" in plain(out)
        assert sha(path) == before
    finally:
        folder.chmod(0o755)


def test_demo_force_replaces_a_workspace_with_crash_leftovers(
    workspace: Path, tmp_path: Path
) -> None:
    """A stale lock and a -wal from a crash: --force replaces the lot, leaving one clean file."""
    Path(f"{workspace}-wal").write_bytes(b"")
    Path(f"{workspace}.lock").write_text(
        json.dumps({"pid": 999_999_999, "host": socket.gethostname(), "user": "x", "since": ""})
    )
    out = run("demo", "--db", str(workspace), "--force", tmp=tmp_path)
    assert out.returncode == 0, plain(out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("ward")) == [
        workspace.name
    ]
    assert run("check", "--db", str(workspace), tmp=tmp_path).returncode == 0


def test_demo_into_a_dangling_link_keeps_the_link(tmp_path: Path) -> None:
    link = tmp_path / "linked.qidesk"
    link.symlink_to(tmp_path / "gone" / "w.qidesk")
    out = run("demo", "--db", str(link), tmp=tmp_path)
    assert out.returncode == 2
    assert "already exists" in plain(out)
    assert link.is_symlink()


# -- settings the user cannot control -----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        '{"values": [1, 2]}',
        '{"version": 0, "values": {}}',
        '{"version": "one"}',
        '{"version": 1, "values": null}',
        '{"version": 1, "values": {"backups_to_keep": 0}}',
        '{"version": 1, "values": {"backups_to_keep": true}}',
        '{"version": 1, "values": {"recent_files": ["a.qidesk", 3, null]}}',
        '{"version": 1, "values": {"last_workspace": "bad\\u0000path"}}',
        "{not json",
    ],
)
def test_a_damaged_settings_file_never_stops_the_cli(
    workspace: Path, tmp_path: Path, content: str
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(content, encoding="utf-8")
    out = run("info", "--db", str(workspace), tmp=tmp_path)
    assert out.returncode == 0, plain(out)
    assert "Schema version" in out.stdout


@pytest.mark.parametrize(
    "content",
    [
        '{"values": [1, 2]}',
        '{"version": 1, "values": {"backups_to_keep": 0}}',
        '{"version": 1, "values": {"recent_files": ["a.qidesk", 3]}}',
    ],
)
def test_a_damaged_settings_file_never_stops_the_gui(
    workspace: Path, tmp_path: Path, content: str
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(content, encoding="utf-8")
    out = run("--db", str(workspace), "--smoke-test", tmp=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "smoke test passed" in out.stdout


def test_a_settings_folder_that_cannot_be_written_never_stops_the_gui(
    workspace: Path, tmp_path: Path
) -> None:
    """A file stands where the settings folder should be: nothing can be saved there."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    out = run("--db", str(workspace), "--smoke-test", tmp=tmp_path, config=blocker / "config")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "smoke test passed" in out.stdout
