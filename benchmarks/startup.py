"""Start-up benchmark: cold start of qidesk to its main window shown, against a bare-Qt floor.

Run::

    .venv/bin/python benchmarks/startup.py              # 7 measured runs of each
    .venv/bin/python benchmarks/startup.py --runs 11
    .venv/bin/python benchmarks/startup.py --importtime # also: which imports dominate

What it does:

1. builds a realistic 150-project workspace (varied charters, 2-8 team members each) with
   ``WorkspaceService.create`` + ``ProjectService.create``;
2. **startup**: a new Python process per run that starts qidesk the way the ``qidesk`` command
   does (``qidesk.cli.main(["--db", <workspace>])``, the real composition root) and reports the
   moment the main window has been shown and painted once;
3. **floor**: a new Python process per run that imports PySide6, creates a ``QApplication`` and
   shows an empty ``QMainWindow`` of the same size, measured the same way.

Both are measured by this (parent) process: from just before the child is started to the
moment the child's "shown" line arrives on its stdout pipe, so interpreter start-up is included
and only the parent's clock is used. "Shown" = the first ``Paint`` event of a ``QMainWindow``
plus one more turn of the event loop (``QTimer.singleShot(0, ...)``), so every child widget of
the first paint pass has painted too. The child then quits. The probe is hooked in through
``QApplication.exec``, so qidesk's own start-up code runs unchanged. One warm-up run of each
is discarded (disk cache and ``.pyc`` files warm, process cold); runs are interleaved.
Each run gets fresh, empty ``QIDESK_DATA_DIR``/``QIDESK_CONFIG_DIR`` folders. Platform:
offscreen (``QT_QPA_PLATFORM=offscreen``).

Output: both medians with every run, then, as the last line exactly,
``startup_ratio=<startup median / floor median>`` with two decimals.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qidesk.core.project import Project

RUN_TIMEOUT_S = 120
WINDOW_SIZE = (1280, 800)

# The probe shared by both children: hooks QApplication.exec, waits for the first paint of a
# QMainWindow, prints "shown <class> <in-process seconds>" and quits the event loop.
_PROBE = r"""
import time
T0 = time.perf_counter()
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

_PAINT = QEvent.Type.Paint
_ORIGINAL_EXEC = QApplication.exec


class _Probe(QObject):
    done = False

    def report(self, window):
        print(f"shown {type(window).__name__} {time.perf_counter() - T0:.6f}", flush=True)
        window.close()  # as a user would: the app saves its state and releases the workspace
        QApplication.quit()

    def fire(self, window):
        if not self.done:
            self.done = True
            QTimer.singleShot(0, lambda: self.report(window))

    def eventFilter(self, obj, event):
        if not self.done and event.type() == _PAINT and isinstance(obj, QMainWindow):
            self.fire(obj)
        return False


_probe = _Probe()


def _exec(*_args):
    app = QApplication.instance()
    app.installEventFilter(_probe)
    for widget in app.topLevelWidgets():  # painted before the loop started (processEvents)?
        handle = widget.windowHandle()
        if isinstance(widget, QMainWindow) and handle is not None and handle.isExposed():
            _probe.fire(widget)
    return _ORIGINAL_EXEC()


QApplication.exec = _exec
"""

_APP_CHILD = _PROBE + r"""
from qidesk.cli import main

raise SystemExit(main(["--db", sys.argv[1]]))
"""

_FLOOR_CHILD = _PROBE + rf"""
app = QApplication(sys.argv)
window = QMainWindow()
window.resize({WINDOW_SIZE[0]}, {WINDOW_SIZE[1]})
window.setWindowTitle("floor")
window.show()
raise SystemExit(app.exec())
"""

# ------------------------------------------------------------------------------------ workspace

_DIVISIONS = {
    "Emergency and Acute Medicine": (["Emergency Department", "Acute Medical Unit",
                                      "Same Day Emergency Care"], ["Type 1 ED", "AMU", "SDEC",
                                                                   "Majors", "Resus"]),
    "Medicine": (["Elderly Care", "Respiratory", "Cardiology", "Gastroenterology", "Pharmacy"],
                 ["Ward 5", "Ward 7", "Ward 9", "CCU", "Endoscopy"]),
    "Surgery": (["General Surgery", "Orthopaedics", "Theatres", "Urology"],
                ["Ward 12", "Ward 14", "Day Surgery Unit", "Recovery", "Theatre 3"]),
    "Women and Children": (["Maternity", "Paediatrics", "Neonatal Unit", "Gynaecology"],
                           ["Labour Ward", "Birth Centre", "Children's Ward", "NICU"]),
    "Clinical Support": (["Outpatients", "Radiology", "Pathology", "Therapies"],
                         ["Main Outpatients", "CT", "MRI", "Blood Sciences", "Physio Gym"]),
    "Community": (["District Nursing", "Community Hospitals", "Mental Health Liaison"],
                  ["North Locality", "South Locality", "Ward 3 (Community)"]),
    "Corporate": (["Quality and Safety", "Nursing", "Workforce", "Digital"],
                  ["Trust-wide", "Board", "Education Centre"]),
}
_PROGRAMMES = ["", "", "Urgent and emergency care", "Patient safety", "Flow", "QI Academy",
               "Patient experience", "Outpatient transformation", "Deteriorating patient",
               "Green plan"]
_TOPICS = [
    ("inpatient falls per 1,000 bed-days", "patients on {ward}", "9", "6"),
    ("pressure ulcers (category 2+) per month", "patients on {ward}", "4", "1"),
    ("the share of discharges before 12:00", "inpatients on {ward}", "14%", "33%"),
    ("median minutes from arrival to triage", "adults attending {ward}", "38", "15"),
    ("sepsis screens completed within 1 hour", "adults in {ward}", "52%", "90%"),
    ("medication omissions per 100 patients", "patients on {ward}", "11", "4"),
    ("VTE risk assessments within 14 hours", "admissions to {ward}", "71%", "95%"),
    ("did-not-attend rate", "outpatient clinics in {directorate}", "11%", "6%"),
    ("days from referral to first appointment", "referrals to {directorate}", "46", "28"),
    ("staff who would recommend the unit as a place to work", "staff in {directorate}",
     "54%", "70%"),
    ("catheter-associated infections per 1,000 catheter days", "patients on {ward}",
     "3.1", "1.5"),
    ("patients with a completed What Matters To Me board", "patients on {ward}",
     "20%", "80%"),
    ("reports turned around within 48 hours", "requests to {directorate}", "63%", "90%"),
    ("first theatre cases starting on time", "elective lists in {directorate}", "48%", "80%"),
]
_PROBLEMS = [
    "Audit shows we are well short of the national standard and the gap has widened this year.",
    "Staff describe workarounds and duplicated paperwork; patients wait without updates.",
    "Incident reports have risen for three quarters running, with two moderate-harm events.",
    "Performance varies widely between shifts and weekdays; the process depends on who is on.",
    "Patients and carers raised this repeatedly in complaints and the Friends and Family Test.",
]
_FIRST = ["Amara", "Sam", "Grace", "Daniel", "Rachel", "Nia", "Tom", "Priya", "Ali", "Claire",
          "Ben", "Hannah", "Kate", "Lewis", "Ruth", "Fiona", "Jo", "Margaret", "Helen", "Omar",
          "Sofia", "Michael", "Aisha", "Owen", "Beth", "Tariq", "Lucy", "Gareth", "Mei", "Ifeoma"]
_LAST = ["Okafor", "Patel", "Mensah", "Osei", "Young", "Roberts", "Reid", "Shah", "Hassan",
         "Dunn", "Ward", "Price", "Ng", "Carr", "Adeyemi", "Blake", "Kim", "Ellis", "Marsh",
         "Khan", "Jones", "Evans", "Davies", "Hughes", "Murphy", "Chen", "Nowak", "Ahmed"]
_TITLES = ["Dr ", "Sister ", "Mr ", "Ms ", "Prof. ", "", "", "", ""]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_TITLES)}{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def make_projects(count: int, seed: int = 20260501) -> list[Project]:
    """``count`` varied, realistic project charters (deterministic for a given seed)."""
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

    rng = random.Random(seed)
    projects: list[Project] = []
    for i in range(count):
        division = rng.choice(list(_DIVISIONS))
        directorates, wards = _DIVISIONS[division]
        directorate, ward = rng.choice(directorates), rng.choice(wards)
        what, whom, base, target = rng.choice(_TOPICS)
        whom = whom.format(ward=ward, directorate=directorate)
        status = rng.choices(list(Status), weights=[2, 6, 1, 2, 1])[0]
        phase = {
            Status.PROPOSED: JourneyPhase.SCOPING,
            Status.COMPLETED: JourneyPhase.CLOSED,
            Status.CANCELLED: JourneyPhase.CLOSED,
        }.get(status) or rng.choice([JourneyPhase.SCOPING, JourneyPhase.TESTING,
                                     JourneyPhase.IMPLEMENTATION, JourneyPhase.SPREAD,
                                     JourneyPhase.SUSTAIN])
        start = date(2023, 1, 2) + timedelta(days=rng.randrange(0, 1000))
        planned = start + timedelta(days=rng.randrange(90, 720))
        actual = (planned + timedelta(days=rng.randrange(-60, 90))
                  if status is Status.COMPLETED else None)
        if actual is not None and actual < start:
            actual = start + timedelta(days=30)
        lead = _person(rng)
        roles = [TeamRole.SPONSOR, TeamRole.QI_COACH, TeamRole.MEMBER, TeamRole.MEMBER,
                 TeamRole.DATA_COLLECTOR, TeamRole.PATIENT_PARTNER, TeamRole.MEMBER]
        team = [TeamMember(name=lead, role=TeamRole.LEAD)]
        team += [TeamMember(name=_person(rng), role=role)
                 for role in rng.sample(roles, rng.randrange(1, 8))]
        score_value = {Status.PROPOSED: 0.5, Status.COMPLETED: rng.choice([3.5, 4.0, 4.5, 5.0]),
                       Status.CANCELLED: 1.0}.get(status, rng.choice([1.0, 1.5, 2.0, 2.5, 3.0,
                                                                      3.5, 4.0]))
        complete_aim = rng.random() < 0.75
        projects.append(Project(
            title=f"{what[0].upper()}{what[1:]} - {ward}"[:120] + ("" if i < 100 else f" ({i})"),
            work_type=rng.choices(list(WorkType), weights=[2, 6, 2, 1])[0],
            division=division,
            directorate=directorate,
            ward=ward,
            programme=rng.choice(_PROGRAMMES),
            status=status,
            phase=phase,
            score=ProgressScore(score_value, lead, start + timedelta(days=rng.randrange(30, 400)),
                                rng.choice(["Monthly report", "Run chart review", "PDSA log",
                                            "Board paper", ""])),
            problem=rng.choice(_PROBLEMS) + f" Baseline for {what}: {base}.",
            aim=Aim(what, whom, base, target if complete_aim else "",
                    planned if complete_aim else None),
            team=tuple(team),
            start_date=start,
            planned_end=planned,
            actual_end=actual,
            involvement=rng.choice(list(Involvement)),
            involvement_note=rng.choice(["", "Two patient partners attend the fortnightly "
                                         "huddle.", "Carers' survey shaped the change ideas."]),
            evaluation_levels=frozenset(rng.sample(list(EvaluationLevel), rng.randrange(0, 4))),
            spread="Adopted by two neighbouring wards." if phase is JourneyPhase.SPREAD else "",
            sustainability=("Measure added to the ward dashboard."
                            if phase in {JourneyPhase.SUSTAIN, JourneyPhase.CLOSED} else ""),
            closure="Aim met; handed over to the service." if status is Status.COMPLETED else "",
            archived=status is Status.CANCELLED and rng.random() < 0.5,
        ))
    return projects


def build_workspace(path: Path, count: int) -> tuple[int, int, float]:
    """Create ``path`` with ``count`` projects; returns (projects, team members, seconds)."""
    from qidesk.services.projects import ProjectService
    from qidesk.services.workspace import WorkspaceService

    start = time.perf_counter()
    projects = make_projects(count)
    service = WorkspaceService.create(path, user="benchmark", site_name="Benchmark Hospital")
    try:
        project_service = ProjectService(service.workspace)
        with service.workspace.atomic():
            for project in projects:
                project_service.create(project)
    finally:
        service.close()
    members = sum(len(p.team) for p in projects)
    return len(projects), members, time.perf_counter() - start


# ---------------------------------------------------------------------------------- measuring

def _child_env(base: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QIDESK_")}
    env.update(QT_QPA_PLATFORM="offscreen", QIDESK_USER="benchmark",
               QIDESK_DATA_DIR=str(base / "data"), QIDESK_CONFIG_DIR=str(base / "config"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # normal start-up uses the .pyc cache
    return env


def measure(code: str, args: list[str], base: Path, what: str,
            python_flags: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """Start a child; returns (seconds until its "shown" line, its own in-process seconds, stderr).

    stderr goes to a file (``-X importtime`` writes far more than a pipe buffer holds).
    """
    cmd = [sys.executable, *python_flags, "-c", code, *args]
    err_path = base / "stderr.txt"
    with err_path.open("w", encoding="utf-8") as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=_child_env(base), stdout=subprocess.PIPE,
                                stderr=err_file, text=True, cwd=base)
        watchdog = threading.Timer(RUN_TIMEOUT_S, proc.kill)  # a hung child must not hang us
        watchdog.start()
        shown_at, line = None, ""
        try:
            assert proc.stdout is not None
            for raw in proc.stdout:
                if raw.startswith("shown "):
                    shown_at, line = time.perf_counter(), raw
                    break
            proc.communicate()
        finally:
            watchdog.cancel()
    err = err_path.read_text(encoding="utf-8", errors="replace")
    if shown_at is None:
        raise SystemExit(f"{what}: the main window was never shown (exit {proc.returncode}; "
                         f"killed after {RUN_TIMEOUT_S} s if negative).\nstderr:\n{err[-3000:]}")
    if proc.returncode != 0:
        raise SystemExit(f"{what}: exit code {proc.returncode} after the window was shown.\n"
                         f"stderr:\n{err[-3000:]}")
    _, cls, inside = line.split()
    if what.startswith("startup") and cls == "QMainWindow":
        raise SystemExit(f"{what}: a plain QMainWindow was shown, not qidesk's main window")
    return shown_at - start, float(inside), err


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v * 1000:.0f}" for v in values)


def _summary(label: str, total: list[float], inside: list[float]) -> str:
    return (f"{label}: median {statistics.median(total) * 1000:.0f} ms, best "
            f"{min(total) * 1000:.0f} ms; runs (ms): {_fmt(total)}; in-process median "
            f"{statistics.median(inside) * 1000:.0f} ms")


def importtime_report(code: str, args: list[str], base: Path, top: int) -> None:
    """Run one startup child with ``-X importtime`` and print the slowest top-level imports."""
    _, _, err = measure(code, args, base, "startup (importtime)", ("-X", "importtime"))
    rows = []
    for match in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", err):
        self_us, cum_us, indent, name = match.groups()
        rows.append((int(cum_us), int(self_us), len(indent) // 2, name))
    total = sum(cum for cum, _, level, _ in rows if level == 0)
    print(f"\n-X importtime: {total / 1000:.0f} ms of imports in total (top-level sum)")
    print("slowest top-level imports (cumulative ms):")
    for cum, _, _, name in sorted((r for r in rows if r[2] == 0), reverse=True)[:top]:
        print(f"  {cum / 1000:8.1f}  {name}")
    print("slowest imports at any level (cumulative ms):")
    for cum, _, level, name in sorted(rows, reverse=True)[:top]:
        print(f"  {cum / 1000:8.1f}  {'  ' * level}{name}")
    names = {name for *_x, name in rows}
    watch = ("openpyxl", "defusedxml", "pyqtgraph", "numpy", "sqlite_utils", "click", "dateutil",
             "pluggy", "PySide6.QtSvg", "PySide6.QtPrintSupport", "qidesk.sync")
    print("heavy modules imported (start-up to first paint, then close): "
          + ", ".join(f"{n} {'YES' if _loaded(n, names) else 'no'}" for n in watch))


def _loaded(module: str, names: set[str]) -> bool:
    return any(name == module or name.startswith(module + ".") for name in names)


def main(argv: list[str] | None = None) -> int:
    """Build the workspace, measure both medians and print ``startup_ratio=...`` last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--projects", type=int, default=150, help="projects in the workspace")
    parser.add_argument("--importtime", action="store_true",
                        help="also profile one start-up with -X importtime")
    parser.add_argument("--top", type=int, default=20, help="rows in the import report")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="qidesk-startup-") as tmp_name:
        tmp = Path(tmp_name)
        workspace = tmp / "bench.qidesk"
        projects, members, build_s = build_workspace(workspace, args.projects)
        print(f"workspace: {projects} projects, {members} team members, "
              f"{workspace.stat().st_size / 1024:.0f} KiB, built in {build_s:.2f} s")

        app_total: list[float] = []
        app_inside: list[float] = []
        floor_total: list[float] = []
        floor_inside: list[float] = []
        for i in range(args.runs + 1):  # run 0 is the warm-up, discarded
            base_app, base_floor = tmp / f"app{i}", tmp / f"floor{i}"
            base_app.mkdir()
            base_floor.mkdir()
            total, inside, _ = measure(_APP_CHILD, [str(workspace)], base_app,
                                       f"startup run {i}")
            f_total, f_inside, _ = measure(_FLOOR_CHILD, [], base_floor, f"floor run {i}")
            if i:
                app_total.append(total)
                app_inside.append(inside)
                floor_total.append(f_total)
                floor_inside.append(f_inside)

        app_med, floor_med = statistics.median(app_total), statistics.median(floor_total)
        print(_summary(f"startup (qidesk, {projects}-project workspace, main window shown)",
                       app_total, app_inside))
        print(_summary("floor (bare PySide6: QApplication + empty QMainWindow shown)",
                       floor_total, floor_inside))
        print(f"qidesk's own start-up cost above the floor: {(app_med - floor_med) * 1000:.0f} ms")
        if args.importtime:
            base = tmp / "importtime"
            base.mkdir()
            importtime_report(_APP_CHILD, [str(workspace)], base, args.top)
        print(f"startup_ratio={app_med / floor_med:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
