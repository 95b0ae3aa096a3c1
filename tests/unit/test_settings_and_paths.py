import json
import os

import pytest

from qidesk import paths
from qidesk.settings import MAX_RECENT, load_settings


def test_defaults_then_roundtrip(tmp_path):
    s = load_settings(tmp_path)
    assert s.get("backups_to_keep") == 7
    s.set("user_name", "Grace")
    assert load_settings(tmp_path).get("user_name") == "Grace"
    with pytest.raises(TypeError):
        s.set("backups_to_keep", "seven")
    with pytest.raises(KeyError):
        s.get("no_such_setting")


def test_recent_files_newest_first_without_duplicates(tmp_path):
    s = load_settings(tmp_path)
    for i in range(MAX_RECENT + 3):
        s.add_recent(f"/w/{i}.qidesk")
    s.add_recent("/w/5.qidesk")
    recent = load_settings(tmp_path).get("recent_files")
    assert recent[0] == "/w/5.qidesk" and len(recent) == MAX_RECENT
    assert len(set(recent)) == len(recent)
    assert load_settings(tmp_path).get("last_workspace") == "/w/5.qidesk"


def test_damaged_file_is_kept_aside_and_defaults_used(tmp_path):
    (tmp_path / "settings.json").write_text("{not json")
    s = load_settings(tmp_path)
    assert s.get("user_name") == ""
    assert (tmp_path / "settings.damaged.json").exists()


def test_wrong_types_and_unknown_keys_ignored(tmp_path):
    (tmp_path / "settings.json").write_text(
        json.dumps({"version": 1, "values": {"backups_to_keep": "x", "bogus": 1, "user_name": "A"}})
    )
    s = load_settings(tmp_path)
    assert s.get("backups_to_keep") == 7 and s.get("user_name") == "A"
    (tmp_path / "settings.json").write_text("[1, 2]")
    assert load_settings(tmp_path).get("user_name") == ""


def test_save_leaves_no_temp_files(tmp_path):
    s = load_settings(tmp_path)
    s.set("site_name", "Ward 7")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_overrides_and_portable_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("QIDESK_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("QIDESK_CONFIG_DIR", str(tmp_path / "c"))
    assert paths.data_dir() == tmp_path / "d"
    assert paths.config_dir() == tmp_path / "c"
    assert paths.log_dir() == tmp_path / "d" / "logs"
    assert paths.default_workspace().name == "workspace.qidesk"
    monkeypatch.delenv("QIDESK_DATA_DIR")
    monkeypatch.delenv("QIDESK_CONFIG_DIR")
    monkeypatch.setenv("QIDESK_PORTABLE", "1")
    assert paths.is_portable()
    assert paths.data_dir() == paths.executable_dir() / "qidesk-data"
    assert paths.config_dir() == paths.executable_dir() / "qidesk-data" / "config"


def test_default_data_dir_is_local_not_roaming(monkeypatch, tmp_path):
    monkeypatch.delenv("QIDESK_DATA_DIR")
    monkeypatch.delenv("QIDESK_PORTABLE", raising=False)
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert paths.data_dir() == tmp_path / "Local" / "qidesk"
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "qidesk"


def test_resources_found_in_source_checkout():
    assert (paths.resource("demo") / "README.md").exists()
    assert not paths.is_frozen()
    assert os.fspath(paths.resource_dir()).endswith("resources")
