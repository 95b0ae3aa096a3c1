r"""Where qidesk finds its resources and keeps user data, in every mode it runs in.

Modes:

* **source checkout** - resources come from ``<repo>/resources``;
* **frozen** (PyInstaller one-folder build) - resources come from the bundle (``sys._MEIPASS``);
* **portable** - a file named ``portable.txt`` beside the executable (or ``QIDESK_PORTABLE=1``)
  keeps data and settings in a ``qidesk-data`` folder beside the executable instead of the
  user's profile.

User data defaults to the *local* (never roaming) application-data folder: on Windows
``%LOCALAPPDATA%\\qidesk``; live SQLite files must never sit on a roaming profile or a network
share. ``QIDESK_DATA_DIR`` and ``QIDESK_CONFIG_DIR`` override both (tests always set them).

Standard library only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "qidesk"


def is_frozen() -> bool:
    """True when running from a PyInstaller build."""
    return bool(getattr(sys, "frozen", False))


def _bundle_root() -> Path:
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    return Path(__file__).resolve().parent.parent


def executable_dir() -> Path:
    """The folder of the running executable (frozen) or of the source checkout."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def resource_dir() -> Path:
    """The ``resources`` folder (icons, demo data, stylesheet)."""
    return _bundle_root() / "resources"


def resource(*parts: str) -> Path:
    """A path inside the resources folder."""
    return resource_dir().joinpath(*parts)


def is_portable() -> bool:
    """True in portable mode (data kept beside the executable)."""
    if os.environ.get("QIDESK_PORTABLE", "") == "1":
        return True
    return (executable_dir() / "portable.txt").exists()


def _local_app_data() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        if base:
            return Path(base) / APP_NAME
        return Path.home() / "AppData" / "Local" / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_NAME


def data_dir() -> Path:
    """Where workspaces, backups and logs live (created on demand by the caller)."""
    override = os.environ.get("QIDESK_DATA_DIR")
    if override:
        return Path(override)
    if is_portable():
        return executable_dir() / "qidesk-data"
    return _local_app_data()


def config_dir() -> Path:
    """Where settings live."""
    override = os.environ.get("QIDESK_CONFIG_DIR")
    if override:
        return Path(override)
    if is_portable():
        return executable_dir() / "qidesk-data" / "config"
    if sys.platform == "win32" or sys.platform == "darwin":
        return _local_app_data() / "config"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_NAME


def log_dir() -> Path:
    """Where the log file and crash reports are written."""
    return data_dir() / "logs"


def default_workspace() -> Path:
    """The workspace opened when the user has not chosen another."""
    return data_dir() / "workspace.qidesk"


def demo_workspace() -> Path:
    """Where the demo workspace is created when the app is asked to open demo data."""
    return data_dir() / "demo.qidesk"
