"""Fixtures for the store tests: temporary workspaces, a full charter, child processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from qidesk.core.project import (
    Aim,
    EvaluationLevel,
    Involvement,
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    TeamMember,
    TeamRole,
    WorkType,
)
from qidesk.store.database import Workspace, create_workspace

REPO_ROOT = Path(__file__).resolve().parents[3]
USER = "alice@Ward 7"


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    """Where a test's workspace lives (the folder does not exist yet)."""
    return tmp_path / "data" / "workspace.qidesk"


@pytest.fixture
def ws(ws_path: Path) -> Iterator[Workspace]:
    """A freshly created workspace, closed after the test."""
    workspace = create_workspace(
        ws_path, user=USER, site_name="Ward 7", division="Medicine", organisation="NHS Trust"
    )
    yield workspace
    workspace.close()


def make_project(title: str = "Reduce falls on Ward 7") -> Project:
    """A charter with every field set to something other than its default."""
    return Project(
        title=title,
        work_type=WorkType.STRATEGIC,
        division="Medicine",
        directorate="Older people",
        ward="Ward 7",
        programme="Safer care",
        status=Status.ACTIVE,
        phase=JourneyPhase.TESTING,
        score=ProgressScore(
            value=2.5, set_by="QI coach", set_on=date(2025, 2, 1), evidence="PDSA 3 — café"
        ),
        problem="Falls with harm rose in 2024; 'quotes' and \"double\" and emoji 🩺.",
        aim=Aim(
            what="inpatient falls",
            for_whom="patients over 65 on Ward 7",
            from_value="8 per 1,000 bed days",
            to_value="4 per 1,000 bed days",
            by_when=date(2025, 12, 31),
        ),
        team=(
            TeamMember("Dr Sponsor", TeamRole.SPONSOR),
            TeamMember("Nurse Lead", TeamRole.LEAD),
            TeamMember("Pat Partner", TeamRole.PATIENT_PARTNER),
        ),
        start_date=date(2025, 1, 6),
        planned_end=date(2025, 12, 31),
        actual_end=date(2026, 1, 15),
        involvement=Involvement.CO_DESIGNED,
        involvement_note="Two patient partners on the steering group",
        evaluation_levels=frozenset(
            {EvaluationLevel.ORGANISATION, EvaluationLevel.INDIVIDUAL_TEAM}
        ),
        spread="Ward 8 next",
        sustainability="Added to induction",
        closure="Closed after sustained improvement",
        archived=True,
    )


@pytest.fixture
def full_project() -> Project:
    """A charter with every field set."""
    return make_project()


@pytest.fixture(name="make_project")
def make_project_fixture() -> Callable[..., Project]:
    """Factory of charters with every field set (pass a title to tell them apart)."""
    return make_project


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(path: Path) -> tuple[str, int, int]:
    """Bytes hash, size and modification time (ns) of a file: compare before and after."""
    return sha256(path), path.stat().st_size, path.stat().st_mtime_ns


@pytest.fixture(name="snapshot")
def snapshot_fixture() -> Callable[[Path], tuple[str, int, int]]:
    """The :func:`snapshot` function."""
    return snapshot


def child_env() -> dict[str, str]:
    """Environment for a child Python that imports qidesk from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


ChildRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_child(tmp_path: Path) -> ChildRunner:
    """Run a Python snippet in a separate process and wait for it."""

    def run(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        script = tmp_path / "child.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        return subprocess.run(
            [sys.executable, str(script), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=child_env(),
            cwd=tmp_path,
        )

    return run


@pytest.fixture
def start_child(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start a Python snippet in a separate process (killed at the end if still running)."""
    started: list[subprocess.Popen[str]] = []

    def start(code: str, *args: str) -> subprocess.Popen[str]:
        script = tmp_path / f"child{len(started)}.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
            cwd=tmp_path,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)
