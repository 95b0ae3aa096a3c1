"""A running qidesk closes cleanly on SIGTERM: its workspace lock is released."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_closes_the_window_and_releases_the_lock(tmp_path: Path):
    env = {
        **os.environ,
        "QIDESK_DATA_DIR": str(tmp_path / "data"),
        "QIDESK_CONFIG_DIR": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "qidesk", "--demo"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lock = tmp_path / "data" / "demo.qidesk.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert lock.exists(), proc.communicate(timeout=5)
    time.sleep(1.0)  # let the window finish starting
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert not lock.exists()
