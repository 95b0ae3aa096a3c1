"""Coaching sessions, actions and stories: core rules, tables, repository and service."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qidesk.core.changes import Entity
from qidesk.core.coaching import (
    DIAGRAM,
    CoachingAction,
    CoachingSession,
    Story,
    StoryKind,
    decisions_path,
    open_actions,
    parse_attendees,
    ramp_line,
    same_session,
    session_problems,
    story_problems,
)
from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.measures import Measure, MeasureType, Observation
from qidesk.core.pdsa import CycleStatus, Decision, Improvement, PdsaCycle, TestScale
from qidesk.core.project import Aim, Project, TeamMember, TeamRole
from qidesk.core.records import RecordMeta
from qidesk.core.spc.types import ChartType, Direction, Preset
from qidesk.services.coaching import CoachingService, pdsa_source
from qidesk.services.measures import MeasureService, ObservationEdit
from qidesk.store.database import Workspace, create_workspace
from qidesk.store.projects_repo import ProjectRepository

C = Entity.COACHING
S = Entity.STORY


def _ensure_tables(ws: Workspace, *, pdsa: bool = True) -> None:
    """Add the PDSA and coaching tables when the migration list does not (yet) include them."""
    tables = set(ws.db.table_names())
    assert "coaching_session" in tables
    assert not pdsa or "pdsa_cycle" in tables


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_workspace(tmp_path / "w.qidesk", user="tester")
    _ensure_tables(workspace)
    yield workspace
    workspace.close()


@pytest.fixture
def project(ws: Workspace) -> Project:
    return ProjectRepository(ws).add(
        Project(
            title="Falls prevention on Ward 7",
            aim=Aim("falls", "patients on Ward 7", "8 per 1,000 bed days", "4", date(2026, 3, 31)),
            team=(TeamMember("Dr Amara Okafor", TeamRole.LEAD),),
        )
    )


@pytest.fixture
def svc(ws: Workspace) -> CoachingService:
    return CoachingService(ws)


def session_of(project: Project, **kw: object) -> CoachingSession:
    base = CoachingSession(
        project.id,
        date(2025, 3, 3),
        coach="Tom Reid",
        attendees=("Dr Amara Okafor", "Priya Shah"),
        notes="Reviewed the run chart; baseline looks stable.",
        actions=(
            CoachingAction("Audit ten falls reports", "Priya Shah", date(2025, 3, 17)),
            CoachingAction("Book the ward huddle slot", "Dr Amara Okafor"),
        ),
    )
    return base.with_changes(**kw)


def audit_actions(ws: Workspace, record_id: str) -> list[str]:
    return [
        r["action"]
        for r in ws.db.query(
            "SELECT action FROM audit_log WHERE record_id = ? ORDER BY id", [record_id]
        )
    ]


# --------------------------------------------------------------------------- core


def test_parse_attendees():
    assert parse_attendees(" Amara Okafor, Priya  Shah;priya shah\nTom ,, ") == (
        "Amara Okafor",
        "Priya Shah",
        "Tom",
    )


def test_session_problems():
    p = Project("x")
    ok = session_of(p)
    assert session_problems(ok) == {}
    bad = ok.with_changes(actions=(CoachingAction("  ", "Priya"),))
    assert session_problems(bad) == {"actions[1]": "action 1 needs some text (what will be done)"}
    dup = ok.actions[0]
    assert "appears twice" in session_problems(ok.with_changes(actions=(dup, dup)))["actions[2]"]
    assert "project" in session_problems(ok.with_changes(project_id=""))


def test_session_free_text_and_title():
    s = session_of(Project("x"))
    labels = [label for label, _ in s.free_text()]
    assert labels == [
        "Coach", "Attendees", "Notes", "Action 1", "Action 1: owner", "Action 2",
        "Action 2: owner",
    ]  # fmt: skip
    assert s.title == "3 March 2025 — Tom Reid"
    assert s.with_changes(coach="").title == "3 March 2025"


def test_open_actions_sorted_by_due_date_and_overdue():
    p = Project("x")
    early = CoachingAction("early", due=date(2025, 1, 1))
    late = CoachingAction("late", due=date(2025, 6, 1))
    undated = CoachingAction("undated")
    done = CoachingAction("done", due=date(2024, 1, 1), done=True)
    a = session_of(p, actions=(late, undated))
    b = session_of(p, actions=(done, early))
    found = open_actions([a, b])
    assert [o.action.text for o in found] == ["early", "late", "undated"]
    assert found[0].overdue(date(2025, 2, 1)) and not found[1].overdue(date(2025, 2, 1))
    assert not found[2].overdue(date(2030, 1, 1))
    assert found[0].describe() == "early — due 1 January 2025"
    gone = a.with_changes(meta=RecordMeta(deleted_at="2025-01-01T00:00:00.000Z"))
    assert open_actions([gone]) == []


def test_story_problems():
    s = Story("p", date(2025, 4, 1), StoryKind.PATIENT, "Home for her birthday", "She said …")
    assert story_problems(s) == {}
    assert set(story_problems(s.with_changes(title=" ", text=""))) == {"title", "text"}
    chart = s.with_changes(attachment="m1")
    assert story_problems(chart, {"m1"}) == {}
    assert "not a measure of this project" in story_problems(chart, {"m2"})["attachment"]
    assert story_problems(s.with_changes(attachment=DIAGRAM), set()) == {}
    assert chart.measure_id == "m1" and not chart.shows_diagram
    assert s.with_changes(attachment=DIAGRAM).shows_diagram
    assert StoryKind.STAFF.label == "Staff story"


def test_ramp_words():
    cycles = tuple(
        PdsaCycle(
            "p", ramp_id="r", ramp_name="Falls huddle", number=n, decision=d,
            test=PdsaCycle("p").test.__class__(scale=sc),
        )
        for n, d, sc in [
            (1, Decision.ADAPT, TestScale.ONE_PATIENT),
            (2, Decision.ADAPT, TestScale.ONE_SHIFT),
            (3, Decision.ADOPT, TestScale.ONE_WARD),
        ]
    )  # fmt: skip
    from qidesk.core.pdsa import ramps

    (ramp,) = ramps(cycles)
    assert ramp_line(ramp) == (
        "Ramp “Falls huddle”: 3 cycles (one patient → one shift → one ward or team); "
        "latest Act: adopt"
    )
    assert decisions_path(ramp) == "#1 adapt → #2 adapt → #3 adopt"


# --------------------------------------------------------------------------- tables


def test_tables_are_record_tables_with_foreign_keys(ws):
    from qidesk.store.schema import record_tables

    assert {"coaching_session", "coaching_action", "story"} <= set(record_tables(ws.db))
    fks = {(fk.column, fk.other_table) for fk in ws.db["coaching_action"].foreign_keys}
    assert fks == {("project_id", "project"), ("session_id", "coaching_session")}
    for table in ("coaching_session", "story"):
        assert {(fk.column, fk.other_table) for fk in ws.db[table].foreign_keys} == {
            ("project_id", "project")
        }


def test_schema_refuses_bad_rows(ws, project):
    meta = "'2025-01-01T00:00:00.000Z', 'x', '2025-01-01T00:00:00.000Z', 'x', 1, NULL"
    bad = [
        f"INSERT INTO coaching_session VALUES ('s', 'nope', '2025-01-01', '', '[]', '', {meta})",
        f"INSERT INTO coaching_session VALUES ('s', '{project.id}', '2025-02-30', '', '[]', '',"
        f" {meta})",
        f"INSERT INTO story VALUES ('t', '{project.id}', '2025-01-01', 'friend', 'x', '', NULL,"
        f" {meta})",
        f"INSERT INTO story VALUES ('t', '{project.id}', '2025-01-01', 'team', ' ', '', NULL,"
        f" {meta})",
    ]
    for sql in bad:
        with pytest.raises(sqlite3.IntegrityError):
            ws.db.execute(sql)


# --------------------------------------------------------------------------- sessions


def test_session_round_trip_and_changes(ws, svc, project):
    session = session_of(project)
    result = svc.create_session(session)
    stored = result.session
    assert same_session(stored, session)
    assert stored.meta.revision == 1 and stored.meta.created_by == "tester"
    assert result.changes.created == {C: frozenset({session.id, *(a.id for a in session.actions)})}
    assert svc.sessions(project.id) == [stored]
    assert svc.session(session.id) == stored
    assert audit_actions(ws, session.actions[0].id) == ["insert"]


def test_update_session_and_undo_by_saving_before(ws, svc, project):
    stored = svc.create_session(session_of(project)).session
    keep, drop = stored.actions
    added = CoachingAction("Share the chart at the safety huddle", "Tom Reid")
    edited = stored.with_changes(
        notes="Baseline of 12 points; first PDSA planned.",
        actions=(keep.with_changes(done=True), added),
    )
    update = svc.update_session(edited)
    assert update.before == stored
    assert [a.text for a in update.after.actions] == [keep.text, added.text]
    assert update.after.actions[0].done
    assert update.changes.created == {C: frozenset({added.id})}
    assert update.changes.deleted == {C: frozenset({drop.id})}
    assert update.changes.updated == {C: frozenset({stored.id, keep.id})}

    undo = svc.update_session(update.before)
    assert same_session(undo.after, stored)
    assert undo.after.actions[1].id == drop.id  # the same record came back
    assert audit_actions(ws, drop.id) == ["insert", "delete", "restore"]
    assert audit_actions(ws, added.id) == ["insert", "delete"]


def test_session_cannot_move_project_or_have_blank_actions(ws, svc, project):
    other = ProjectRepository(ws).add(Project("Other"))
    stored = svc.create_session(session_of(project)).session
    with pytest.raises(ValidationError, match="another project"):
        svc.update_session(stored.with_changes(project_id=other.id))
    with pytest.raises(ValidationError):
        svc.update_session(stored.with_changes(actions=(CoachingAction(""),)))
    with pytest.raises(NotFoundError):
        svc.create_session(session_of(Project("not stored")))
    assert svc.session(stored.id) == stored


def test_delete_and_restore_session_with_its_actions(ws, svc, project):
    stored = svc.create_session(session_of(project)).session
    first, _second = stored.actions
    svc.update_session(stored.with_changes(actions=(first,)))  # second removed earlier
    changes = svc.delete_session(stored.id)
    assert changes.deleted == {C: frozenset({stored.id, first.id})}
    assert svc.sessions(project.id) == []
    assert svc.open_actions(project.id) == []
    with pytest.raises(NotFoundError):
        svc.session(stored.id)
    restored = svc.restore_session(stored.id)
    assert [a.id for a in restored.session.actions] == [first.id]  # not the earlier removal
    assert restored.changes.created == {C: frozenset({stored.id, first.id})}


def test_redo_of_a_create_brings_the_same_session_back(svc, project):
    session = session_of(project)
    svc.create_session(session)
    svc.delete_session(session.id)
    again = svc.create_session(session)
    assert same_session(again.session, session)
    assert again.session.meta.revision > 1


def test_open_actions_across_sessions_and_ticking_off(svc, project):
    a = svc.create_session(session_of(project)).session
    b = svc.create_session(
        session_of(
            project,
            held_on=date(2025, 4, 7),
            actions=(CoachingAction("Plan PDSA 2", "Priya Shah", date(2025, 3, 10)),),
        )
    ).session
    texts = [o.action.text for o in svc.open_actions(project.id)]
    assert texts == ["Plan PDSA 2", "Audit ten falls reports", "Book the ward huddle slot"]
    assert [s.id for s in svc.sessions(project.id)] == [b.id, a.id]  # newest first
    changes = svc.set_action_done(b.actions[0].id, True)
    assert changes.updated == {C: frozenset({b.actions[0].id, b.id})}
    assert len(svc.open_actions(project.id)) == 2
    svc.set_action_done(b.actions[0].id, False)  # undo
    assert len(svc.open_actions(project.id)) == 3


# --------------------------------------------------------------------------- stories


@pytest.fixture
def measure(ws: Workspace, project: Project) -> Measure:
    service = MeasureService(ws)
    return service.create(
        Measure(
            project.id, "Falls per 1,000 bed days", MeasureType.OUTCOME,
            direction=Direction.DECREASE, chart=ChartType.U, preset=Preset.ANHOEJ, target=4.0,
        )
    ).measure  # fmt: skip


def test_story_round_trip(ws, svc, project, measure):
    story = Story(
        project.id, date(2025, 5, 2), StoryKind.STAFF, "Huddles that stick",
        "The night team now runs the huddle without prompting.", attachment=measure.id,
    )  # fmt: skip
    result = svc.create_story(story)
    assert result.changes.created == {S: frozenset({story.id})}
    assert result.story.with_changes(meta=RecordMeta()) == story
    update = svc.update_story(result.story.with_changes(attachment=DIAGRAM, title="Huddles!"))
    assert update.before.attachment == measure.id and update.after.shows_diagram
    assert update.changes.updated == {S: frozenset({story.id})}
    assert svc.latest_story(project.id) == update.after
    assert svc.delete_story(story.id).deleted == {S: frozenset({story.id})}
    assert svc.stories(project.id) == [] and svc.latest_story(project.id) is None
    assert svc.restore_story(story.id).story.title == "Huddles!"
    svc.delete_story(story.id)
    assert svc.create_story(story).story.title == "Huddles that stick"  # redo of create


def test_story_attached_to_another_projects_chart_is_refused(ws, svc, project, measure):
    other = ProjectRepository(ws).add(Project("Other"))
    story = Story(other.id, date(2025, 5, 2), title="x", text="y", attachment=measure.id)
    with pytest.raises(ValidationError, match="not a measure of this project"):
        svc.create_story(story)
    fine = svc.create_story(story.with_changes(project_id=project.id)).story
    with pytest.raises(ValidationError, match="another project"):
        svc.update_story(fine.with_changes(project_id=other.id))


def test_latest_story_is_by_date(svc, project):
    older = Story(project.id, date(2024, 1, 1), title="Old", text="…")
    newer = Story(project.id, date(2025, 1, 1), title="New", text="…")
    svc.create_story(newer)
    svc.create_story(older)
    assert svc.latest_story(project.id).title == "New"  # type: ignore[union-attr]
    assert [s.title for s in svc.stories(project.id)] == ["New", "Old"]


# --------------------------------------------------------------------------- evidence


def _monthly(measure: Measure, values: list[float]) -> list[ObservationEdit]:
    out = []
    for i, v in enumerate(values):
        when = date(2023 + i // 12, i % 12 + 1, 1)
        out.append(ObservationEdit(None, Observation(measure.id, when, value=v)))
    return out


def test_evidence_and_suggestion_from_measures_and_pdsa(ws, svc, project):
    measures = MeasureService(ws)
    m = measures.create(
        Measure(
            project.id, "Falls per 1,000 bed days", MeasureType.OUTCOME,
            direction=Direction.DECREASE, chart=ChartType.I, preset=Preset.MDC, target=5.0,
        )
    ).measure  # fmt: skip
    values = [8, 9, 8, 7, 9, 8, 8, 9, 7, 8, 9, 8, 5, 4, 5, 4, 4, 5, 4, 5, 4, 4]
    measures.apply_edits(m, _monthly(m, values))
    ev = svc.evidence(project.id)
    assert ev.charter_complete and ev.has_lead
    assert (ev.measure_count, ev.outcome_measure_count, ev.max_points) == (1, 1, 22)
    assert ev.baseline_points == 22 and ev.pdsa_count == 0
    assert svc.suggestion(project.id).score == 2.0

    from qidesk.services.pdsa import PdsaService

    pdsa = PdsaService(ws)
    first = pdsa.create(
        PdsaCycle(
            project.id, ramp_name="Falls huddle", start=date(2024, 1, 1), end=date(2024, 1, 14),
            measure_ids=(m.id,), status=CycleStatus.DONE, improved=Improvement.YES,
            decision=Decision.ADOPT,
        )
    ).cycle  # fmt: skip
    ev = svc.evidence(project.id)
    assert ev.baseline_points == 12  # points before testing began
    assert (ev.pdsa_count, ev.studied_count, ev.adopted_count) == (1, 1, 1)
    assert ev.outcome_improvement_measures == ("Falls per 1,000 bed days",)
    assert ev.sustained_measures == ("Falls per 1,000 bed days",)
    assert ev.aim_met is False  # the centre line of the single phase is above 5
    suggestion = svc.suggestion(project.id)
    assert suggestion.score == 4.5
    assert "meet the aim's target" in (suggestion.next_step or "")
    assert first.id


def test_without_pdsa_tables_there_are_no_cycles(ws, project, monkeypatch):
    import qidesk.services.coaching as coaching

    assert pdsa_source(ws) is not None
    monkeypatch.setattr(coaching, "record_tables", lambda _db: [])  # an older workspace
    assert pdsa_source(ws) is None
    service = CoachingService(ws)
    assert service.ramps(project.id) == []
    assert service.evidence(project.id).pdsa_count == 0


def test_without_the_pdsa_module_there_are_no_cycles(ws, project, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "qidesk.services.pdsa", None)  # import fails
    assert pdsa_source(ws) is None
    assert CoachingService(ws).brief(project.id).ramps == ()


def test_brief_for_the_coaching_view(ws, svc, project):
    from qidesk.services.diagram import Branch, DiagramService
    from qidesk.services.pdsa import PdsaService

    measures = MeasureService(ws)
    process = measures.create(
        Measure(project.id, "Huddles held", MeasureType.PROCESS, chart=ChartType.RUN)
    ).measure
    outcome = measures.create(
        Measure(project.id, "Falls", MeasureType.OUTCOME, chart=ChartType.RUN)
    ).measure
    measures.apply_edits(outcome, _monthly(outcome, [3, 4, 3, 5]))
    DiagramService(ws).add_branches(
        project.id,
        [Branch("Safety culture", (Branch("Huddles", (Branch("Daily falls huddle"),)),))],
    )
    idea = next(n for n in DiagramService(ws).diagram(project.id) if n.text == "Daily falls huddle")
    PdsaService(ws).create(
        PdsaCycle(project.id, ramp_name="Huddle ramp", change_idea_ids=(idea.id,))
    )
    svc.create_session(session_of(project))
    svc.create_story(Story(project.id, date(2025, 1, 1), title="A story", text="…"))
    brief = svc.brief(project.id, today=date(2025, 3, 10))
    assert brief.aim.startswith("Improve falls for patients on Ward 7")
    assert [m.measure.name for m in brief.key_measures] == ["Falls", "Huddles held"]
    assert brief.measures[1].latest.startswith("Latest point: Apr 2023")
    assert brief.measures[0].latest == "No data yet."
    assert process.id == brief.measures[0].measure.id
    (change,) = brief.change_ideas
    assert change.text == "Daily falls huddle"
    assert change.ramps == ("Ramp “Huddle ramp”: 1 cycle; no Act decision yet",)
    assert next(o.action.text for o in brief.open_actions) == "Audit ten falls reports"
    assert brief.latest_story is not None and brief.latest_story.title == "A story"
    assert brief.suggestion.score >= 1.5
