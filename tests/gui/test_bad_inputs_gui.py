"""Bad input in the GUI: bad workspace files, a full disk, odd text and patient details.

Every case checks what the user is told (through the recording ``Prompts``), that the workspace
that was open stays open and usable, that a refused change leaves the undo history consistent,
and that no file is changed behind the user's back.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.project import Project, TeamMember
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui.commands import CreateProjectCommand
from qidesk.ui.main_window import MainWindow
from qidesk.ui.panels import charter, charter_new_project
from qidesk.ui.panels.charter import CharterPanel
from qidesk.ui.panels.charter_new_project import NewProjectDialog

MakeWindow = Callable[..., MainWindow]
RecordingPrompts = Any  # tests/gui/conftest.py
PAGE = 4096
NHS_NUMBER = "943 476 5919"  # passes the Modulus 11 check (synthetic)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def titles(window: MainWindow) -> list[str]:
    return sorted(r.project.title for r in window.context.projects.rows())


def charter_of(window: MainWindow) -> CharterPanel:
    return next(p for p in window.panels if isinstance(p, CharterPanel))


def child(code: str, *args: str) -> subprocess.Popen[str]:
    """A separate Python process running ``code`` (stdin/stdout are pipes)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def full_workspace(tmp_path: Path) -> Path:
    """A closed workspace with enough projects to span many pages."""
    path = tmp_path / "ward7.qidesk"
    service = WorkspaceService.create(path, user="tester")
    projects = charter_projects(service)
    for i in range(40):
        projects.create(Project(title=f"Project {i:02d} " + "x" * 150, problem="y" * 300))
    service.close()
    return path


def charter_projects(service: WorkspaceService) -> Any:
    from qidesk.services.projects import ProjectService

    return ProjectService(service.workspace)


# -- bad files through File > Open --------------------------------------------------------------


def _other_program(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


def _foreign_application_id(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE project (id TEXT)")
    conn.commit()
    conn.close()


def _copy_then(damage: Callable[[bytearray], bytes]) -> Callable[[Path, Path], None]:
    def make(path: Path, good: Path) -> None:
        path.write_bytes(damage(bytearray(good.read_bytes())))

    return make


def _bad_page(data: bytearray) -> bytes:
    middle = len(data) // 2 // PAGE * PAGE
    data[middle : middle + PAGE] = b"\xa5" * PAGE
    return bytes(data)


CASES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "xlsx-renamed": (
        lambda p, _g: p.write_bytes(b"PK\x03\x04" + bytes(500)),
        "is not a qidesk workspace (it is not a database file)",
    ),
    "other-program": (lambda p, _g: _other_program(p), "a database of another program"),
    "wrong-application-id": (lambda p, _g: _foreign_application_id(p), "another program"),
    "truncated": (_copy_then(lambda d: bytes(d[: len(d) // 2])), "is damaged"),
    "bad-page": (_copy_then(_bad_page), "is damaged"),
    "folder": (lambda p, _g: p.mkdir(), "is a folder, not a workspace file"),
    "missing": (lambda p, _g: None, "There is no workspace file at"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_in_plain_words_and_nothing_changes(
    make_window: MakeWindow,
    workspace_file: Path,
    full_workspace: Path,
    prompts: RecordingPrompts,
    tmp_path: Path,
    case: str,
) -> None:
    make, says = CASES[case]
    window = make_window(workspace_file)
    bad = tmp_path / "from the hub ✓.qidesk"
    make(bad, full_workspace)
    before = sha(bad) if bad.is_file() else None
    neighbours = sorted(p.name for p in tmp_path.iterdir())

    assert window.open_path(bad) is False

    ((title, text, _details),) = prompts.errors
    assert title == "Could not open workspace"
    assert str(bad) in text and says in text
    assert text.endswith("first.qidesk is still open.")
    assert "Traceback" not in text
    assert (sha(bad) if bad.is_file() else None) == before
    assert not Path(f"{bad}.lock").exists()
    assert not (tmp_path / f"{bad.stem}-backups").exists()
    new = {p.name for p in tmp_path.iterdir()} - set(neighbours)
    assert new <= {f"{bad.name}-wal", f"{bad.name}-shm"}  # SQLite's reader files at most
    assert window.workspace.path == workspace_file
    window.context.push(CreateProjectCommand(window.context, Project(title="Still works")))
    assert titles(window) == ["Still works"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_pipe_or_device_is_refused_without_hanging(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts, tmp_path: Path
) -> None:
    """A named pipe is neither a folder (as it used to be called) nor a workspace file."""
    window = make_window(workspace_file)
    pipe = tmp_path / "pipe.qidesk"
    os.mkfifo(pipe)
    assert window.open_path(pipe) is False
    assert "is not a workspace file (it is not an ordinary file)" in prompts.errors[0][1]


HOLD = """
    import sys
    from qidesk.store.database import open_workspace
    ws = open_workspace(sys.argv[1], user="bob@Ward 9", backup=False)
    print("HELD", flush=True)
    sys.stdin.readline()
"""


@pytest.fixture
def held_elsewhere(full_workspace: Path) -> Iterator[Path]:
    """``full_workspace`` open for writing in another qidesk process."""
    proc = child(HOLD, str(full_workspace))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "HELD", proc.stderr
    yield full_workspace
    proc.communicate("\n", timeout=30)


def test_a_workspace_open_in_another_qidesk_is_refused_naming_who_has_it(
    make_window: MakeWindow,
    workspace_file: Path,
    prompts: RecordingPrompts,
    held_elsewhere: Path,
) -> None:
    window = make_window(workspace_file)
    before = sha(held_elsewhere)
    assert window.open_path(held_elsewhere) is False
    ((_title, text, _),) = prompts.errors
    assert f"{held_elsewhere} is already open in qidesk: bob@Ward 9" in text
    assert sha(held_elsewhere) == before
    assert window.workspace.path == workspace_file


CRASH = """
    import os, signal, sys
    from qidesk.core.project import Project
    from qidesk.store.database import open_workspace
    from qidesk.store.projects_repo import ProjectRepository
    ws = open_workspace(sys.argv[1], user="crash", backup=False)
    ws.db.conn.execute("PRAGMA wal_autocheckpoint = 0")  # everything stays in the -wal
    with ws.atomic():
        ProjectRepository(ws).add(Project(title="Typed just before the power cut"))
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX kill")
def test_crash_leftovers_open_normally_and_nothing_committed_is_lost(
    make_window: MakeWindow, workspace_file: Path, full_workspace: Path, prompts: RecordingPrompts
) -> None:
    proc = child(CRASH, str(full_workspace))
    proc.communicate(timeout=60)
    wal = Path(f"{full_workspace}-wal")
    assert wal.stat().st_size > 0 and Path(f"{full_workspace}.lock").exists()  # the leftovers

    window = make_window(workspace_file)
    assert window.open_path(full_workspace) is True
    assert prompts.errors == []
    assert not window.workspace.read_only
    assert "Typed just before the power cut" in titles(window)
    assert len(titles(window)) == 41


# -- a full disk while saving -------------------------------------------------------------------


def _fill_the_disk(window: MainWindow) -> None:
    conn = window.workspace.workspace.db.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def _free_the_disk(window: MainWindow) -> None:
    window.workspace.workspace.db.conn.execute("PRAGMA max_page_count = 1073741823")


def test_a_full_disk_saves_nothing_keeps_the_typing_and_the_history(
    make_window: MakeWindow,
    workspace_file: Path,
    prompts: RecordingPrompts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(charter, "confirm_identifier_warning", lambda *_: True)
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="Falls")))
    project_id = window.context.projects.rows()[0].project.id
    window.context.select_project(project_id)
    panel = charter_of(window)
    first = "First version of the problem statement. " * 1000  # 40 KB: undoing it needs pages
    panel.form.problem.setPlainText(first)
    assert panel.save()
    assert window.undo_stack.count() == 2

    _fill_the_disk(window)  # from here every write that needs a new page fails
    long_text = "Falls with harm on the night shift. " * 2000
    panel.form.problem.setPlainText(long_text)
    assert panel.save() is False
    ((title, text, _),) = prompts.errors
    assert title == "Not saved"
    assert f"the disk holding {workspace_file} is full" in text
    assert "Nothing was changed." in text
    assert window.undo_stack.count() == 2  # the refused save never joined the history
    assert window.context.projects.get(project_id).problem == first
    assert panel.form.problem.toPlainText() == long_text  # nothing the user typed is lost
    assert panel.is_dirty()

    prompts.errors.clear()
    window.undo_stack.undo()  # undoing the earlier save also needs the disk
    QApplication.processEvents()
    ((title, text, _),) = prompts.errors
    assert title == "Could not undo"
    assert "The undo history has been cleared" in text
    assert window.undo_stack.count() == 0
    assert window.context.projects.get(project_id).problem == first

    _free_the_disk(window)
    prompts.errors.clear()
    assert panel.save()
    assert prompts.errors == []
    assert window.context.projects.get(project_id).problem == long_text
    window.undo_stack.undo()
    assert window.context.projects.get(project_id).problem == first
    window.undo_stack.redo()
    assert window.context.projects.get(project_id).problem == long_text


def test_a_full_disk_refuses_a_new_project_and_leaves_no_step(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts
) -> None:
    window = make_window(workspace_file)
    _fill_the_disk(window)
    big = Project(title="Needs room", problem="Falls with harm. " * 3000)  # 48 KB
    window.context.push(CreateProjectCommand(window.context, big))
    assert titles(window) == []
    assert window.undo_stack.count() == 0
    assert "is full" in prompts.errors[0][1]
    _free_the_disk(window)
    window.context.push(CreateProjectCommand(window.context, Project(title="Fits now")))
    assert titles(window) == ["Fits now"]


# -- odd text in the charter --------------------------------------------------------------------


@pytest.fixture
def window_on_a_project(
    make_window: MakeWindow, workspace_file: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, str]:
    monkeypatch.setattr(charter, "confirm_identifier_warning", lambda *_: True)
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="Falls")))
    project_id = window.context.projects.rows()[0].project.id
    window.context.select_project(project_id)
    return window, project_id


def test_pasted_line_breaks_and_control_characters_are_cleaned(
    window_on_a_project: tuple[MainWindow, str],
) -> None:
    """Excel cells end in a line break and other programs bring NUL, bell, escape…"""
    window, project_id = window_on_a_project
    form = charter_of(window).form
    clipboard = QApplication.clipboard()
    clipboard.setText("Reduce falls\x00 on\tWard 7\x07\r\n")
    form.title.clear()
    form.title.paste()
    assert "\n" in form.title.text()  # Qt keeps what was pasted in a one-line box
    form.ward.setText("Ward\x1b 7\n")
    form.team.model.add_member("Dr\x00 Amara\nOkafor")
    form.problem.setPlainText("Line one\x00\r\nLine two\x0b\tindented\x7f")
    assert charter_of(window).save()

    saved = window.context.projects.get(project_id)
    assert saved.title == "Reduce falls on Ward 7"
    assert saved.ward == "Ward 7"
    assert [m.name for m in saved.team] == ["Dr Amara Okafor"]
    assert saved.problem == "Line one\nLine two\tindented"
    assert not charter_of(window).is_dirty()


def test_a_title_of_control_characters_only_is_an_empty_title(
    window_on_a_project: tuple[MainWindow, str],
) -> None:
    window, _ = window_on_a_project
    panel = charter_of(window)
    panel.form.title.setText("\x00\x07\r\n")
    assert panel.problems() == {"title": "a project needs a title"}
    assert not panel.save_button.isEnabled()
    assert panel.save() is False


def test_long_text_rtl_and_emoji_round_trip_exactly(
    window_on_a_project: tuple[MainWindow, str],
) -> None:
    window, project_id = window_on_a_project
    panel = charter_of(window)
    long_text = ("ثبت سقوط‌ها · שלום · 👩‍⚕️🩺 · Ward 7 falls review. " * 400)[:10_000]
    panel.form.problem.setPlainText(long_text)
    panel.form.aim_what.setText(long_text.replace("\n", " "))
    rtl_title = "\u200fقسم الطوارئ\u200f — ED 🚑"  # with right-to-left marks
    panel.form.title.setText(rtl_title)
    assert panel.save()
    saved = window.context.projects.get(project_id)
    assert saved.problem == long_text and len(saved.problem) == 10_000
    assert saved.aim.what == long_text
    assert saved.title == rtl_title
    assert window.undo_stack.count() == 2


def test_a_title_over_200_characters_is_refused_at_the_field(
    window_on_a_project: tuple[MainWindow, str],
) -> None:
    window, project_id = window_on_a_project
    panel = charter_of(window)
    panel.form.title.setText("x" * 10_000)
    assert panel.problems() == {"title": "the title is longer than 200 characters"}
    assert panel.save() is False
    assert window.context.projects.get(project_id).title == "Falls"
    assert window.undo_stack.count() == 1


# -- patient details in every free-text field ---------------------------------------------------


def _put_text(form: Any, label: str, widget: QWidget, text: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    else:  # the team table: one member whose name is ``text``
        assert label.startswith("Team member")
        form.team.model.add_member(text)


def _free_text_labels() -> list[str]:
    """The labels of the charter's free-text fields, as the form lists them."""
    return [
        "Title",
        "Programme",
        "Division",
        "Directorate",
        "Ward / department",
        "Score set by",
        "Score evidence",
        "Problem statement",
        "Aim: improve what",
        "Aim: for whom",
        "Aim: from",
        "Aim: to",
        "Team member 1 name",
        "Involvement description",
        "Spread",
        "Sustainability",
        "Closure notes",
    ]


@pytest.mark.parametrize("label", _free_text_labels())
def test_an_nhs_number_in_any_free_text_field_warns_before_saving(
    make_window: MakeWindow,
    workspace_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    label: str,
) -> None:
    asked: list[list[str]] = []
    monkeypatch.setattr(charter, "confirm_identifier_warning", lambda _p, m: asked.append(m))
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="Falls")))
    project = window.context.projects.rows()[0].project
    window.context.select_project(project.id)
    form = charter_of(window).form
    form.score.setCurrentIndex(form.score.findData(2.0))  # so that the score fields count
    fields = {name: widget for name, _text, widget in form.free_text()}
    listed = [name for name, _t, _w in form.free_text()]
    assert set(_free_text_labels()) - {"Team member 1 name"} <= set(listed)

    _put_text(form, label, fields.get(label, form.team.view), f"Patient {NHS_NUMBER} fell")
    assert charter_of(window).save() is False  # "Go back" (the fake answers None)
    ((message,),) = asked
    assert f'"{label}"' in message and NHS_NUMBER in message
    assert window.context.projects.get(project.id) == project  # nothing saved
    assert window.undo_stack.count() == 1


# -- the New project dialog ---------------------------------------------------------------------


def test_new_project_dialog_warns_about_an_nhs_number_in_the_title(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the charter used to warn; a new project's title went straight in."""
    answers = [False, True]
    asked: list[list[str]] = []

    def confirm(_parent: QWidget, messages: list[str]) -> bool:
        asked.append(messages)
        return answers.pop(0)

    monkeypatch.setattr(charter_new_project, "confirm_identifier_warning", confirm)
    dialog = NewProjectDialog(["Medicine"])
    qtbot.addWidget(dialog)
    dialog.title.setText(f"Falls review {NHS_NUMBER}")
    dialog.division.setCurrentText("MRN 1234567")

    dialog.accept()  # "Go back": the dialog stays open with the text
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert len(asked) == 1 and len(asked[0]) == 2
    assert '"Title"' in asked[0][0] and '"Division"' in asked[0][1]
    assert dialog.title.text() == f"Falls review {NHS_NUMBER}"

    dialog.accept()  # "Save anyway"
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.project().title == f"Falls review {NHS_NUMBER}"


def test_new_project_dialog_respects_the_warning_setting_and_cleans_pastes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(charter_new_project, "confirm_identifier_warning", asked.append)
    dialog = NewProjectDialog([], warn_identifiers=False)
    qtbot.addWidget(dialog)
    dialog.title.setText(f"Falls {NHS_NUMBER}\r\n")
    dialog.accept()
    assert asked == []
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.project().title == f"Falls {NHS_NUMBER}"


def test_new_project_dialog_never_accepts_an_empty_title(qtbot: QtBot) -> None:
    dialog = NewProjectDialog([])
    qtbot.addWidget(dialog)
    dialog.title.setText("\x00\r\n")
    dialog.accept()  # e.g. Return pressed with a title of control characters only
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_project_list_passes_the_warning_setting_to_the_dialog(
    make_window: MakeWindow,
    workspace_file: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qidesk.ui.panels import project_list

    seen: list[bool] = []

    def ask(_parent: QWidget, _divisions: list[str], *, warn_identifiers: bool) -> None:
        seen.append(warn_identifiers)

    monkeypatch.setattr(project_list, "ask_new_project", ask)
    window = make_window(workspace_file)
    panel = next(p for p in window.panels if isinstance(p, project_list.ProjectListPanel))
    panel.new_project()
    settings.set("confirm_identifier_warnings", False)
    panel.new_project()
    assert seen == [True, False]


# -- settings that cannot be saved --------------------------------------------------------------


def test_a_settings_folder_that_cannot_be_written_is_a_banner_not_a_crash(
    qtbot: QtBot, workspace_file: Path, prompts: RecordingPrompts, tmp_path: Path
) -> None:
    """It used to crash at start: opening a workspace saves the recent-files list."""
    from qidesk.ui.app import build_main_window

    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the settings folder should be")
    settings = Settings(blocker / "config" / "settings.json")
    service = WorkspaceService.open(workspace_file, user="tester")
    window = build_main_window(service, settings, user="tester", prompts=prompts)
    qtbot.addWidget(window)
    try:
        assert window.workspace.path == workspace_file
        assert window.banner.heading == "Settings not saved:"
        assert str(blocker / "config") in window.banner.text
        assert settings.get("last_workspace") == str(workspace_file)  # kept for this session
        window.context.push(CreateProjectCommand(window.context, Project(title="Works")))
        assert titles(window) == ["Works"]
    finally:
        window.close()


def test_team_member_names_made_of_line_breaks_are_refused(
    window_on_a_project: tuple[MainWindow, str],
) -> None:
    window, project_id = window_on_a_project
    panel = charter_of(window)
    panel.form.team.set_members((TeamMember("\r\n\t"),))
    assert panel.problems() == {"team[0]": "a team member needs a name"}
    assert panel.save() is False
    assert window.context.projects.get(project_id).team == ()
