"""Test-wide set-up: offscreen Qt, temporary data and config folders, tier markers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QIDESK_USER", "tester")

SHARED = Path(os.environ.get("QIDESK_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by tier from their folder."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gui" in parts:
            item.add_marker(pytest.mark.gui)
        if "e2e" in parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the user's real data or settings."""
    base = tmp_path_factory.mktemp("qidesk-home")
    monkeypatch.setenv("QIDESK_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("QIDESK_CONFIG_DIR", str(base / "config"))
