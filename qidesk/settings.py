"""One typed registry of user preferences, with defaults, a version and upgrade steps.

Preferences live in ``settings.json`` in :func:`qidesk.paths.config_dir`; window geometry and
other UI state are kept apart by the UI (Qt's own state blobs). The file is written atomically
(temporary file, flush, fsync, rename) so a crash never leaves half a file. A missing,
unreadable or damaged file falls back to the defaults (the damaged file is kept aside).

Standard library only.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_VERSION = 1
MAX_RECENT = 8


@dataclass(frozen=True)
class Setting:
    """One preference: its key, type, default and a description shown in the preferences UI."""

    key: str
    kind: type
    default: Any
    description: str


REGISTRY: tuple[Setting, ...] = (
    Setting("user_name", str, "", "Your name, recorded with every change you make."),
    Setting("site_name", str, "", "Your team or ward, recorded with every change."),
    Setting("recent_files", list, [], "Workspaces opened recently (newest first)."),
    Setting("last_workspace", str, "", "The workspace opened last time."),
    Setting("backups_to_keep", int, 7, "How many automatic backups to keep per workspace."),
    Setting("default_rule_preset", str, "anhoej", "Rule preset for new run charts."),
    Setting(
        "confirm_identifier_warnings",
        bool,
        True,
        "Warn before saving text that looks like a patient identifier.",
    ),
)

_BY_KEY = {s.key: s for s in REGISTRY}

#: upgrade steps: version N -> N+1, applied in order to the raw dict.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Settings:
    """Preferences backed by a JSON file. Unknown keys are rejected; values are type-checked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._values: dict[str, Any] = {}
        self.load()

    def load(self) -> None:
        """Read the file (defaults when missing or damaged)."""
        self._values = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                self.path.replace(self.path.with_suffix(".damaged.json"))
            return
        if not isinstance(raw, dict):
            return
        version = raw.get("version", 1)
        values = raw.get("values", {})
        while isinstance(version, int) and version < SETTINGS_VERSION:
            values = UPGRADES[version](values)
            version += 1
        for key, value in values.items():
            setting = _BY_KEY.get(key)
            if setting is not None and isinstance(value, setting.kind):
                self._values[key] = value

    def get(self, key: str) -> Any:
        """The value of ``key`` (its default when unset)."""
        setting = _BY_KEY[key]
        value = self._values.get(key, setting.default)
        return list(value) if isinstance(value, list) else value

    def set(self, key: str, value: Any) -> None:
        """Change ``key`` and save the file."""
        setting = _BY_KEY[key]
        if not isinstance(value, setting.kind):
            raise TypeError(f"{key} must be {setting.kind.__name__}")
        self._values[key] = value
        self.save()

    def add_recent(self, path: str) -> None:
        """Put ``path`` at the top of the recent-files list."""
        recent = [p for p in self.get("recent_files") if p != path]
        self._values["recent_files"] = [path, *recent][:MAX_RECENT]
        self._values["last_workspace"] = path
        self.save()

    def save(self) -> None:
        """Write the file atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"version": SETTINGS_VERSION, "values": self._values}, indent=2)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def load_settings(config_dir: Path) -> Settings:
    """The settings stored in ``config_dir``."""
    return Settings(config_dir / "settings.json")


def user_name(settings: Settings) -> str:
    """Who is working: the settings' name, else ``QIDESK_USER``, else the login name."""
    name = str(settings.get("user_name") or os.environ.get("QIDESK_USER", ""))
    if not name:
        with contextlib.suppress(Exception):
            name = getpass.getuser()
    return name or "unknown"


def recorded_user(settings: Settings) -> str:
    """The name stored with every change: ``"alice@Ward 7"`` when a site is set."""
    name, site = user_name(settings), str(settings.get("site_name"))
    return f"{name}@{site}" if site else name
