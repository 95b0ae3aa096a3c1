"""The real entry point, run as a subprocess in a temporary data folder."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qidesk import __version__


def run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QIDESK_DATA_DIR": str(tmp / "data"),
        "QIDESK_CONFIG_DIR": str(tmp / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        [sys.executable, "-m", "qidesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_version(tmp_path):
    out = run("--version", tmp=tmp_path)
    assert out.returncode == 0
    assert out.stdout.strip() == f"qidesk {__version__}"


def test_cli_module_does_not_import_qt():
    code = (
        "import sys, qidesk.cli; "
        "print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_demo_info_check_roundtrip(tmp_path):
    db = tmp_path / "demo.qidesk"
    out = run("demo", "--db", str(db), tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    assert db.exists()

    again = run("demo", "--db", str(db), tmp=tmp_path)
    assert again.returncode == 2
    assert "--force" in again.stderr

    forced = run("demo", "--db", str(db), "--force", tmp=tmp_path)
    assert forced.returncode == 0, forced.stderr

    info = run("info", "--db", str(db), "--json", tmp=tmp_path)
    assert info.returncode == 0, info.stderr
    payload = json.loads(info.stdout)
    assert payload["schema_version"] >= 1
    assert payload["counts"]["project"] >= 8
    assert payload["counts"]["team_member"] >= 10
    assert payload["counts"]["measure"] >= 5
    assert payload["counts"]["observation"] == 5 * 36  # the real A&E series, 36 months each

    text = run("info", "--db", str(db), tmp=tmp_path)
    assert text.returncode == 0 and "Schema version" in text.stdout

    check = run("check", "--db", str(db), tmp=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "passed" in check.stdout


@pytest.mark.parametrize("content", [b"", b"hello, this is not a database\n" * 50])
def test_not_a_workspace_is_refused_in_plain_words(tmp_path, content):
    bad = tmp_path / "bad.qidesk"
    bad.write_bytes(content)
    for command in ("info", "check"):
        out = run(command, "--db", str(bad), tmp=tmp_path)
        assert out.returncode == 2
        assert "Traceback" not in out.stderr
        assert str(bad) in out.stderr or "bad.qidesk" in out.stderr
    assert bad.read_bytes() == content


def test_check_reports_foreign_key_problems(tmp_path):
    db = tmp_path / "demo.qidesk"
    assert run("demo", "--db", str(db), tmp=tmp_path).returncode == 0
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("UPDATE team_member SET project_id='no-such-project' WHERE rowid=1")
    con.commit()
    con.close()
    out = run("check", "--db", str(db), tmp=tmp_path)
    assert out.returncode == 1
    assert "problem" in out.stdout


def test_smoke_test_opens_demo(tmp_path):
    out = run("--demo", "--smoke-test", tmp=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
