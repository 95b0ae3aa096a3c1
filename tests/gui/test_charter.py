"""The charter panel: every field round-trips, saves are undo steps, problems stop a save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes, Entity
from qidesk.core.errors import StorageFullError
from qidesk.core.project import (
    Aim,
    EvaluationLevel,
    Involvement,
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    TeamRole,
    WorkType,
)
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui.actions import GuardedUndoStack
from qidesk.ui.commands import EditProjectCommand
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.models.team_model import TEAM_ROLE_ROLE, TeamColumn
from qidesk.ui.panels import charter, charter_guard
from qidesk.ui.panels.charter import AGGREGATE_ONLY_NOTE, CharterPanel
from qidesk.ui.panels.charter_fields import OptionalDateEdit

# -- fixtures -------------------------------------------------------------------------------------

MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@pytest.fixture
def context(make_context: MakeContext) -> WorkspaceContext:
    return make_context("Sam Coach", guarded=False)


@pytest.fixture
def panel(qtbot: QtBot, context: WorkspaceContext) -> CharterPanel:
    widget = CharterPanel(context)
    context.panels.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    return widget


@pytest.fixture
def project(context: WorkspaceContext, panel: CharterPanel) -> Project:
    result = context.projects.create(Project(title="Falls on Ward 7B", division="Medicine"))
    context.broadcast(result.changes)
    context.select_project(result.project.id)
    return result.project


@pytest.fixture
def no_identifier_prompt(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record identifier warnings and answer "Go back"; never show a modal dialog."""
    seen: list[list[str]] = []

    def refuse(_parent: QWidget, messages: list[str]) -> bool:
        seen.append(messages)
        return False

    monkeypatch.setattr(charter, "confirm_identifier_warning", refuse)
    return seen


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def set_date(field: OptionalDateEdit, value: date) -> None:
    field.check.setChecked(True)
    field.edit.setDate(QDate(value.year, value.month, value.day))


def choose(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


# -- tests ----------------------------------------------------------------------------------------


def test_empty_state_when_no_project_is_selected(panel: CharterPanel) -> None:
    assert panel.stack.currentWidget() is panel.empty
    assert "No project selected" in panel.empty.text()
    assert not panel.save_action.isEnabled()
    assert panel.save() is False


def test_shows_the_aggregate_data_note(panel: CharterPanel, project: Project) -> None:
    notes = [label.text() for label in panel.findChildren(QLabel)]
    assert any(AGGREGATE_ONLY_NOTE in text for text in notes)
    assert panel.stack.currentIndex() == 1
    assert panel.heading.text() == "Falls on Ward 7B"


def test_fill_every_field_save_and_reload(
    qtbot: QtBot,
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    show_active(qtbot, panel)
    f = panel.form
    f.title.selectAll()
    type_into(qtbot, f.title, "Reducing falls with harm on Ward 7B")
    choose(f.work_type, WorkType.STRATEGIC)
    choose(f.status, Status.ACTIVE)
    choose(f.phase, JourneyPhase.TESTING)
    type_into(qtbot, f.programme, "Safer Care 2025")
    assert f.division.text() == "Medicine"  # kept (typing it would open the completer popup)
    type_into(qtbot, f.directorate, "Older people's medicine")
    type_into(qtbot, f.ward, "Ward 7B")
    choose(f.score, 2.5)
    assert f.score_set_by.text() == "Sam Coach"  # a chosen score is recorded as yours, today
    assert f.score_set_on.value() == date.today()
    f.score_set_by.clear()
    type_into(qtbot, f.score_set_by, "Priya Shah")
    set_date(f.score_set_on, date(2025, 5, 1))
    type_into(qtbot, f.score_evidence, "Two PDSA cycles tested, no change in the run chart yet.")
    type_into(qtbot, f.problem, "Falls with harm rose to 8 per 1,000 bed days in 2024.")
    type_into(qtbot, f.aim_what, "falls with harm")
    type_into(qtbot, f.aim_for_whom, "inpatients aged 65 and over on Ward 7B")
    type_into(qtbot, f.aim_from, "8 per 1,000 bed days")
    type_into(qtbot, f.aim_to, "4 per 1,000 bed days")
    set_date(f.aim_by, date(2026, 3, 31))

    f.team.add_button.click()  # the name cell opens for typing
    editor = QApplication.focusWidget()
    assert editor is not None
    QTest.keyClicks(editor, "Priya Shah")
    QTest.keyClick(editor, Qt.Key.Key_Return)  # commits on the next turn of the event loop
    qtbot.waitUntil(lambda: [m.name for m in f.team.members()] == ["Priya Shah"])
    f.team.model.setData(f.team.model.index(0, TeamColumn.ROLE), TeamRole.LEAD, TEAM_ROLE_ROLE)
    f.team.view.setFocus()
    QTest.keyClick(f.team.view, Qt.Key.Key_Insert)  # Insert adds a member by keyboard
    editor = QApplication.focusWidget()
    assert editor is not None
    QTest.keyClicks(editor, "Alex Reed")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(f.team.members()) == 2 and f.team.members()[1].name == "Alex Reed")
    f.team.model.setData(
        f.team.model.index(1, TeamColumn.ROLE), TeamRole.PATIENT_PARTNER, TEAM_ROLE_ROLE
    )

    set_date(f.start_date, date(2025, 1, 6))
    set_date(f.planned_end, date(2026, 3, 31))
    set_date(f.actual_end, date(2026, 4, 30))
    choose(f.involvement, Involvement.CO_DESIGNED)
    type_into(qtbot, f.involvement_note, "Two patient partners co-designed the bedside poster.")
    f.evaluation[EvaluationLevel.INDIVIDUAL_TEAM].setChecked(True)
    f.evaluation[EvaluationLevel.WIDER_COMMUNITY].setChecked(True)
    type_into(qtbot, f.spread, "Ward 8A adopted the intentional rounding change.")
    type_into(qtbot, f.sustainability, "Monthly audit by the ward manager.")
    type_into(qtbot, f.closure, "Aim met; lessons shared at the QI forum.")

    assert f.aim_statement.text() == (
        "Improve falls with harm for inpatients aged 65 and over on Ward 7B from 8 per 1,000 "
        "bed days to 4 per 1,000 bed days by 31 March 2026."
    )
    assert f.aim_check.text().startswith("✓")
    assert panel.is_dirty()
    assert panel.save_button.isEnabled()
    QTest.keyClick(f.closure, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S

    assert no_identifier_prompt == []
    assert context.undo_stack.count() == 1
    assert not panel.is_dirty()
    assert not panel.save_button.isEnabled()
    assert panel.state_text.text() == "All changes saved."

    stored = context.projects.get(project.id)
    expected = Project(
        title="Reducing falls with harm on Ward 7B",
        work_type=WorkType.STRATEGIC,
        division="Medicine",
        directorate="Older people's medicine",
        ward="Ward 7B",
        programme="Safer Care 2025",
        status=Status.ACTIVE,
        phase=JourneyPhase.TESTING,
        score=ProgressScore(
            2.5,
            "Priya Shah",
            date(2025, 5, 1),
            "Two PDSA cycles tested, no change in the run chart yet.",
        ),
        problem="Falls with harm rose to 8 per 1,000 bed days in 2024.",
        aim=Aim(
            "falls with harm",
            "inpatients aged 65 and over on Ward 7B",
            "8 per 1,000 bed days",
            "4 per 1,000 bed days",
            date(2026, 3, 31),
        ),
        start_date=date(2025, 1, 6),
        planned_end=date(2026, 3, 31),
        actual_end=date(2026, 4, 30),
        involvement=Involvement.CO_DESIGNED,
        involvement_note="Two patient partners co-designed the bedside poster.",
        evaluation_levels=frozenset(
            {EvaluationLevel.INDIVIDUAL_TEAM, EvaluationLevel.WIDER_COMMUNITY}
        ),
        spread="Ward 8A adopted the intentional rounding change.",
        sustainability="Monthly audit by the ward manager.",
        closure="Aim met; lessons shared at the QI forum.",
        id=project.id,
        meta=stored.meta,
        team=stored.team,
    )
    assert stored == expected
    assert [(m.name, m.role) for m in stored.team] == [
        ("Priya Shah", TeamRole.LEAD),
        ("Alex Reed", TeamRole.PATIENT_PARTNER),
    ]

    # a fresh panel over the same workspace shows exactly what was saved
    other = CharterPanel(context)
    qtbot.addWidget(other)
    assert other.project_id == project.id
    assert other.form.draft(stored) == stored
    assert not other.is_dirty()


def test_each_save_is_one_undo_step(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    f = panel.form
    f.title.setText("Falls with harm")
    f.aim_what.setText("falls with harm")
    choose(f.status, Status.ACTIVE)
    assert panel.save()
    f.problem.setPlainText("Too many falls at night.")
    assert panel.save()
    assert context.undo_stack.count() == 2
    assert context.undo_stack.undoText() == "Edit charter of “Falls with harm”"

    context.undo_stack.undo()
    assert f.problem.toPlainText() == ""
    assert f.title.text() == "Falls with harm"
    assert context.projects.get(project.id).problem == ""
    assert not panel.is_dirty()

    context.undo_stack.undo()
    assert f.title.text() == "Falls on Ward 7B"
    assert f.aim_what.text() == ""
    assert f.status.currentData() == Status.PROPOSED
    assert panel.heading.text() == "Falls on Ward 7B"

    context.undo_stack.redo()
    context.undo_stack.redo()
    assert f.problem.toPlainText() == "Too many falls at night."
    assert context.projects.get(project.id).title == "Falls with harm"


def test_revert_discards_edits(panel: CharterPanel, project: Project) -> None:
    panel.form.title.setText("Something else")
    panel.form.edited.emit()
    assert panel.revert_button.isEnabled()
    panel.revert_button.click()
    assert panel.form.title.text() == "Falls on Ward 7B"
    assert not panel.is_dirty()
    assert not panel.revert_button.isEnabled()


def test_empty_title_is_refused_at_the_field(
    qtbot: QtBot, panel: CharterPanel, context: WorkspaceContext, project: Project
) -> None:
    show_active(qtbot, panel)
    panel.form.title.setFocus()
    panel.form.title.selectAll()
    QTest.keyClick(panel.form.title, Qt.Key.Key_Delete)
    field = panel.form.checked["title"]
    assert field.problem == "A project needs a title."
    assert field.message.isVisible()
    assert field.icon.isVisible()  # not colour alone: an icon and the words
    assert panel.form.title.accessibleDescription() == "Problem: A project needs a title."
    assert not panel.save_button.isEnabled()
    assert panel.state_text.text().startswith("Cannot save yet: 1 problem (Title)")
    assert panel.save() is False
    assert context.undo_stack.count() == 0
    assert context.projects.get(project.id).title == "Falls on Ward 7B"

    QTest.keyClicks(panel.form.title, "Falls")
    assert field.problem is None
    assert not field.message.isVisible()
    assert panel.save_button.isEnabled()


def test_end_before_start_is_refused(
    panel: CharterPanel, context: WorkspaceContext, project: Project
) -> None:
    f = panel.form
    set_date(f.start_date, date(2025, 6, 1))
    set_date(f.planned_end, date(2025, 5, 1))
    set_date(f.actual_end, date(2025, 4, 1))
    assert f.checked["planned_end"].problem == "The planned end is before the start date."
    assert f.checked["actual_end"].problem == "The actual end is before the start date."
    assert not panel.save_button.isEnabled()
    assert panel.save() is False
    assert context.projects.get(project.id).planned_end is None

    set_date(f.planned_end, date(2025, 12, 1))
    f.actual_end.check.setChecked(False)  # "not set"
    assert f.checked["planned_end"].problem is None
    assert f.actual_end.value() is None
    assert panel.save()
    stored = context.projects.get(project.id)
    assert (stored.start_date, stored.planned_end, stored.actual_end) == (
        date(2025, 6, 1),
        date(2025, 12, 1),
        None,
    )


def test_a_score_off_the_scale_is_refused(panel: CharterPanel, project: Project) -> None:
    odd = project.with_changes(score=ProgressScore(2.3))
    panel.form.load(odd)
    assert panel.form.score.currentText() == "2.3 – not on the IHI scale"
    panel._refresh_state()
    assert panel.form.checked["score"].problem == (
        "The score goes in steps of 0.5 (0.5, 1.0, 1.5 … 5.0)."
    )
    assert not panel.save_button.isEnabled()


def test_score_list_shows_the_scale_and_not_scored(panel: CharterPanel, project: Project) -> None:
    combo = panel.form.score
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts[0] == "Not scored yet"
    assert texts[1] == "0.5 – Intent to participate"
    assert texts[-1] == "5.0 – Outstanding sustainable results"
    assert len(texts) == 11
    assert not panel.form.score_evidence.isEnabled()  # nothing to evidence until scored


def test_a_blank_team_member_is_refused(panel: CharterPanel, project: Project) -> None:
    panel.form.team.model.add_member("")
    assert panel.form.checked["team"].problem == "Row 1: a team member needs a name."
    assert not panel.save_button.isEnabled()
    panel.form.team.view.selectRow(0)
    panel.form.team.remove_button.click()
    assert panel.form.checked["team"].problem is None


def test_aim_check_lists_what_is_missing(panel: CharterPanel, project: Project) -> None:
    f = panel.form
    assert f.aim_check.text() == (
        "Still needed: say what will improve; say for whom (which patients, ward or service); "
        "give the baseline (from); give the target (to); give a date (by when)."
    )
    f.aim_what.setText("falls")
    f.aim_to.setText("fewer")
    assert "give the target as a number" in f.aim_check.text()
    assert "say what will improve" not in f.aim_check.text()
    assert f.aim_statement.text() == "Improve falls to fewer."


def test_nhs_number_warning_and_go_back_saves_nothing(
    qtbot: QtBot,
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    show_active(qtbot, panel)
    type_into(qtbot, panel.form.problem, "Patient 943 476 5919 fell twice.")
    assert panel.save_button.isEnabled()  # a warning, not a refusal
    panel.save_button.click()
    assert len(no_identifier_prompt) == 1
    (message,) = no_identifier_prompt[0]
    assert '"Problem statement"' in message
    assert "NHS number (943 476 5919)" in message
    assert context.undo_stack.count() == 0
    assert context.projects.get(project.id).problem == ""
    assert panel.is_dirty()  # the text is still there to edit
    assert QApplication.focusWidget() is panel.form.problem


def test_identifier_warning_save_anyway(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[list[str]] = []

    def accept(_parent: QWidget, messages: list[str]) -> bool:
        seen.append(messages)
        return True

    monkeypatch.setattr(charter, "confirm_identifier_warning", accept)
    panel.form.aim_for_whom.setText("MRN 1234567")
    panel.form.closure.setPlainText("DOB 12/03/1956")
    assert panel.save()
    assert len(seen[0]) == 2
    assert '"Aim: for whom"' in seen[0][0]
    assert '"Closure notes"' in seen[0][1]
    assert context.projects.get(project.id).closure == "DOB 12/03/1956"


def test_ordinary_numbers_do_not_warn(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    panel.form.aim_from.setText("62% in 2024 (10 falls)")
    panel.form.aim_to.setText("80%")
    assert panel.save()
    assert no_identifier_prompt == []


def test_the_real_warning_dialog_defaults_to_go_back(qtbot: QtBot, panel: CharterPanel) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    answers: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        answers.append(box.defaultButton().text())
        answers.extend(b.text() for b in box.buttons())
        box.defaultButton().click()

    QTimer.singleShot(0, press_enter)
    assert charter_guard.confirm_identifier_warning(panel, ["The field looks like…"]) is False
    assert answers[0] == "Go back"
    assert set(answers[1:]) == {"Save anyway", "Go back"}


def test_changed_elsewhere_keeps_unsaved_edits(
    panel: CharterPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.form.problem.setPlainText("My unsaved words")
    before = context.projects.get(project.id)
    context.push(EditProjectCommand(context, before, before.with_changes(ward="Ward 9")))

    assert panel.notice.isVisibleTo(panel)
    assert "changed elsewhere" in panel.notice.label.text()
    assert panel.form.problem.toPlainText() == "My unsaved words"
    assert panel.notice.button_texts() == ["Reload (discard my changes)", "Keep my changes"]
    panel.notice.first.click()
    assert panel.form.ward.text() == "Ward 9"
    assert panel.form.problem.toPlainText() == ""
    assert not panel.notice.isVisibleTo(panel)


def test_keep_my_changes_then_save_overwrites(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    panel.form.problem.setPlainText("Mine")
    before = context.projects.get(project.id)
    context.push(EditProjectCommand(context, before, before.with_changes(problem="Theirs")))
    panel.notice.second.click()
    assert not panel.notice.isVisibleTo(panel)
    assert panel.save()
    assert context.projects.get(project.id).problem == "Mine"
    context.undo_stack.undo()
    assert context.projects.get(project.id).problem == "Theirs"
    assert panel.form.problem.toPlainText() == "Theirs"


def test_archiving_elsewhere_does_not_disturb_edits(
    panel: CharterPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.form.problem.setPlainText("Mine")
    result = context.projects.set_archived(project.id, True)
    context.broadcast(result.changes)
    assert not panel.notice.isVisibleTo(panel)
    assert panel.heading.text() == "Falls on Ward 7B (archived)"
    assert panel.form.problem.toPlainText() == "Mine"


def test_choosing_another_project_with_unsaved_edits(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    other = context.projects.create(Project(title="Sepsis screening")).project
    panel.form.problem.setPlainText("Unsaved")
    context.select_project(other.id)
    assert panel.project_id == project.id  # nothing is lost
    assert panel.notice.button_texts() == ["Save and open “Sepsis screening”", "Discard changes"]
    panel.notice.first.click()
    assert context.projects.get(project.id).problem == "Unsaved"
    assert panel.project_id == other.id
    assert panel.form.title.text() == "Sepsis screening"

    panel.form.problem.setPlainText("Also unsaved")
    context.select_project(project.id)
    panel.notice.second.click()  # discard
    assert panel.project_id == project.id
    assert context.projects.get(other.id).problem == ""

    context.select_project(None)
    assert panel.stack.currentWidget() is panel.empty


def test_deleted_elsewhere_then_restored(
    panel: CharterPanel, context: WorkspaceContext, project: Project
) -> None:
    from qidesk.ui.commands import DeleteProjectCommand

    context.push(DeleteProjectCommand(context, context.projects.get(project.id)))
    assert "was deleted" in panel.notice.label.text()
    assert not panel.save_button.isEnabled()
    context.undo_stack.undo()
    assert not panel.notice.isVisibleTo(panel)
    assert panel.project_id == project.id
    assert panel.stack.currentIndex() == 1


def test_ignores_changes_to_other_records(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = context.projects.get

    def spy(project_id: str) -> Project:
        calls.append(project_id)
        return real(project_id)

    monkeypatch.setattr(context.projects, "get", spy)
    panel.apply_changes(Changes.of(updated={Entity.MEASURE: ["m"]}))
    panel.apply_changes(Changes.of(updated={Entity.PROJECT: ["another"]}))
    assert calls == []


def _focusable(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisible()


def test_every_control_has_a_name_and_every_field_a_label(
    qtbot: QtBot, panel: CharterPanel, project: Project
) -> None:
    show_active(qtbot, panel)
    unnamed = [
        f"{type(w).__name__} {w.objectName()}"
        for w in panel.findChildren(QWidget)
        if _focusable(w)
        and not w.accessibleName()
        and not isinstance(w.parent(), QComboBox | QAbstractButton | QAbstractSpinBox)
    ]
    assert unnamed == []
    for form in panel.form.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = label_item.widget() if label_item else None
            assert isinstance(label, QLabel)
            assert label.buddy() is not None, label.text()


def test_the_date_boxes_are_named_for_screen_readers(
    qtbot: QtBot, panel: CharterPanel, project: Project
) -> None:
    """The text box inside each date (what takes the focus) reads as the date it holds."""
    show_active(qtbot, panel)
    dates = panel.form.findChildren(OptionalDateEdit)
    assert len(dates) == 5  # aim by when, start, planned end, actual end, score set on
    names = set()
    for field in dates:
        field.check.setChecked(True)
        inner = field.edit.findChild(QLineEdit)
        assert inner is not None
        assert inner.accessibleName() == field.edit.accessibleName() != ""
        names.add(inner.accessibleName())
    assert len(names) == 5
    unnamed = [
        f"{type(w).__name__} in {type(w.parent()).__name__}"
        for w in panel.findChildren(QLineEdit)
        if w.isVisible() and not w.accessibleName() and not isinstance(w.parent(), QComboBox)
    ]
    assert unnamed == []


def test_tab_order_follows_the_visual_order(
    qtbot: QtBot, panel: CharterPanel, project: Project
) -> None:
    show_active(qtbot, panel)
    panel.form.title.setFocus()
    seen: list[QWidget] = []
    widget: QWidget | None = panel.form.title
    for _ in range(200):
        if widget is None or widget in seen:
            break
        seen.append(widget)
        widget = widget.nextInFocusChain()
    visits = [w for w in seen if _focusable(w) and w.isEnabled() and panel.isAncestorOf(w)]
    in_form = [w for w in visits if panel.form.isAncestorOf(w)]
    tops = [w.mapTo(panel.form, w.rect().topLeft()).y() for w in in_form]
    assert tops == sorted(tops)
    assert len(in_form) >= 25
    after = visits[len(in_form) :]
    assert panel.revert_button not in after or after.index(panel.save_button) > after.index(
        panel.revert_button
    )


def test_a_save_the_store_refuses_keeps_the_edits(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    no_identifier_prompt: list[list[str]],
) -> None:
    stack = GuardedUndoStack()
    failures: list[str] = []
    stack.command_failed.connect(lambda _title, text: failures.append(text))
    context.undo_stack = stack

    def full_disk(_project: Project) -> object:
        raise StorageFullError("The disk is full.")

    monkeypatch.setattr(context.projects, "update", full_disk)
    panel.form.problem.setPlainText("Words worth keeping")
    assert panel.save() is False
    assert failures and "The disk is full." in failures[0]
    assert stack.count() == 0
    assert panel.is_dirty()
    assert panel.form.problem.toPlainText() == "Words worth keeping"


def test_identifier_warnings_can_be_turned_off(
    panel: CharterPanel,
    context: WorkspaceContext,
    project: Project,
    no_identifier_prompt: list[list[str]],
) -> None:
    context.settings.set("confirm_identifier_warnings", False)
    panel.form.problem.setPlainText("943 476 5919")
    assert panel.save()
    assert no_identifier_prompt == []


def test_read_only_workspace_cannot_save(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "ro.qidesk"
    service = WorkspaceService.create(path, user="tester")
    stored = ProjectService(service.workspace).create(Project(title="Falls")).project
    service.close()
    service = WorkspaceService.open(path, user="tester", read_only=True)
    try:
        ctx = WorkspaceContext(
            workspace=service,
            projects=ProjectService(service.workspace),
            settings=Settings(tmp_path / "settings.json"),
            undo_stack=QUndoStack(),
            broadcast=lambda _changes: None,
            current_project_id=stored.id,
        )
        panel = CharterPanel(ctx)
        qtbot.addWidget(panel)
        panel.form.problem.setPlainText("Edited")
        assert not panel.save_button.isEnabled()
        assert panel.state_text.text() == "Read-only workspace: changes cannot be saved."
    finally:
        service.close()
