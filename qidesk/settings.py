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
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTINGS_VERSION = 1
MAX_RECENT = 8

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """One preference: its key, type, default and a description shown in the preferences UI.

    ``minimum`` bounds a whole-number setting from below (``None``: no bound).
    """

    key: str
    kind: type
    default: Any
    description: str
    minimum: int | None = None

    def accepts(self, value: Any) -> bool:
        """True when ``value`` is a valid value of this setting.

        ``True``/``False`` are not numbers here, and a list must hold text only (a damaged or
        hand-edited file can hold anything).
        """
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            return False
        if isinstance(value, list):
            return all(isinstance(item, str) and "\0" not in item for item in value)
        if isinstance(value, str):
            return "\0" not in value  # a path with a NUL in it cannot even be looked at
        return self.minimum is None or (isinstance(value, int) and value >= self.minimum)


REGISTRY: tuple[Setting, ...] = (
    Setting("user_name", str, "", "Your name, recorded with every change you make."),
    Setting("site_name", str, "", "Your team or ward, recorded with every change."),
    Setting("recent_files", list, [], "Workspaces opened recently (newest first)."),
    Setting("last_workspace", str, "", "The workspace opened last time."),
    Setting(
        "backups_to_keep", int, 7, "How many automatic backups to keep per workspace.", minimum=1
    ),
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
        #: why the last save failed, in plain words (``None`` when it worked)
        self.save_error: str | None = None
        self.load()

    def load(self) -> None:
        """Read the file (defaults when missing or damaged; a damaged file is kept aside).

        Values of the wrong type or out of range fall back to their defaults one by one.
        """
        self._values = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            self._keep_aside()
            return
        values = self._upgraded(raw)
        if values is None:
            self._keep_aside()
            return
        for key, value in values.items():
            setting = _BY_KEY.get(key)
            if setting is not None and setting.accepts(value):
                self._values[key] = value

    @staticmethod
    def _upgraded(raw: Any) -> dict[str, Any] | None:
        """The values of a settings file, upgraded to this version (``None``: not readable)."""
        if not isinstance(raw, dict):
            return None
        version, values = raw.get("version", 1), raw.get("values", {})
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            return None
        while version < SETTINGS_VERSION and isinstance(values, dict):
            step = UPGRADES.get(version)
            if step is None:
                return None
            values, version = step(values), version + 1
        return values if isinstance(values, dict) else None

    def _keep_aside(self) -> None:
        if self.path.is_file():
            with contextlib.suppress(OSError):
                self.path.replace(self.path.with_suffix(".damaged.json"))

    def get(self, key: str) -> Any:
        """The value of ``key`` (its default when unset)."""
        setting = _BY_KEY[key]
        value = self._values.get(key, setting.default)
        return list(value) if isinstance(value, list) else value

    def set(self, key: str, value: Any) -> None:
        """Change ``key`` and save the file."""
        setting = _BY_KEY[key]
        if not isinstance(value, setting.kind) or (setting.kind is int and isinstance(value, bool)):
            raise TypeError(f"{key} must be {setting.kind.__name__}")
        if not setting.accepts(value):
            raise ValueError(f"{value!r} is not a valid value of {key}")
        self._values[key] = value
        self.save()

    def add_recent(self, path: str) -> None:
        """Put ``path`` at the top of the recent-files list."""
        recent = [p for p in self.get("recent_files") if p != path]
        self._values["recent_files"] = [path, *recent][:MAX_RECENT]
        self._values["last_workspace"] = path
        self.save()

    def save(self) -> bool:
        """Write the file atomically; False (and ``save_error`` says why) when it cannot be.

        A settings folder that cannot be written (a locked-down profile, a full disk) never
        stops qidesk: the settings stay in force for this session and the file is untouched.
        """
        payload = json.dumps({"version": SETTINGS_VERSION, "values": self._values}, indent=2)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".tmp")
        except OSError as exc:
            return self._failed(exc)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return self._failed(exc)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.save_error = None
        return True

    def _failed(self, exc: OSError) -> bool:
        self.save_error = (
            f"Your preferences and recent files cannot be saved in {self.path.parent} "
            f"({exc.strerror or exc}); they will be forgotten when qidesk closes."
        )
        _log.warning("%s", self.save_error)
        return False


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
