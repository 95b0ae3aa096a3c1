"""The charter form: every field of a project charter, in sections, as one scrollable widget.

The form turns a :class:`~qidesk.core.project.Project` into widget values (:meth:`CharterForm.load`)
and widget values back into a new ``Project`` (:meth:`CharterForm.draft`). It holds no rules:
validation comes from :func:`qidesk.core.project.project_problems` and the aim check from
:meth:`qidesk.core.project.Aim.lacks`, both called by the panel or here for display only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from qidesk.core.project import (
    Aim,
    Involvement,
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    WorkType,
)
from qidesk.core.records import RecordMeta
from qidesk.ui.panels.charter_fields import CheckedField, multi_line, single_line
from qidesk.ui.panels.charter_form_sections import (
    AboutSection,
    AimSection,
    ClosingSection,
    DatesSection,
    InvolvementSection,
    PlaceSection,
    ScoreSection,
    Section,
    TeamSection,
    score_text,
)

#: Fields of ``project_problems()`` shown at a field of this form (team rows map to "team").
CHECKED_FIELDS = ("title", "score", "planned_end", "actual_end", "team")


def same_charter(a: Project, b: Project) -> bool:
    """True when ``a`` and ``b`` hold the same charter (record metadata and archiving aside)."""

    def key(p: Project) -> Project:
        team = tuple(replace(m, meta=RecordMeta()) for m in p.team)
        return replace(p, meta=RecordMeta(), archived=False, team=team)

    return key(a) == key(b)


def _select(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class CharterForm(QWidget):
    """Every charter field of one project, grouped in sections, top to bottom in tab order.

    The fields are attributes of the form (``form.title``, ``form.score``, ``form.team``…) so
    that the panel and tests reach them in one place; the sections only lay them out.
    """

    #: emitted whenever the user changes any value
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._user = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(12)
        about, place, score = AboutSection(self), PlaceSection(self), ScoreSection(self)
        aim, team, dates = AimSection(self), TeamSection(self), DatesSection(self)
        involvement, closing = InvolvementSection(self), ClosingSection(self)
        self.sections: list[Section] = [about, place, score, aim, team, dates, involvement, closing]
        for section in self.sections:
            layout.addWidget(section)
        layout.addStretch(1)
        self.checked: dict[str, CheckedField] = {}
        self._suggestions: dict[str, QStringListModel] = {}
        for section in self.sections:
            self.checked.update(section.checked)
            self._suggestions.update(section.suggestions)

        self.title, self.work_type, self.status = about.title_edit, about.work_type, about.status
        self.phase, self.programme = about.phase, about.programme
        self.division, self.directorate, self.ward = place.division, place.directorate, place.ward
        self.score, self.score_set_by = score.score, score.set_by
        self.score_set_on, self.score_evidence = score.set_on, score.evidence
        self.problem, self.aim_what, self.aim_for_whom = aim.problem, aim.what, aim.for_whom
        self.aim_from, self.aim_to, self.aim_by = aim.from_value, aim.to_value, aim.by_when
        self.aim_statement, self.aim_check = aim.statement, aim.check
        self.team = team.team
        self.start_date, self.planned_end = dates.start_date, dates.planned_end
        self.actual_end = dates.actual_end
        self.involvement, self.involvement_note = involvement.involvement, involvement.note
        self.evaluation = involvement.evaluation
        self.spread, self.sustainability = closing.spread, closing.sustainability
        self.closure = closing.closure

        self._align_labels()
        self._connect_edits()
        self._update_aim()
        self._update_score_details()

    # -- building -------------------------------------------------------------------------------

    def _labels(self) -> list[QLabel]:
        return [label for section in self.sections for label in section.labels]

    def _align_labels(self) -> None:
        """Give every section's labels one width, so the fields line up down the form."""
        labels = self._labels()
        for label in labels:
            label.setMinimumWidth(0)
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def changeEvent(self, event: QEvent) -> None:
        """Re-align the labels when the font changes (system font size, scaling)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "sections"):
            self._align_labels()

    def _connect_edits(self) -> None:
        for line in self._lines():
            line.textEdited.connect(self._changed)
        for text in self._texts():
            text.textChanged.connect(self._changed)
        for combo in (self.work_type, self.status, self.phase, self.involvement):
            combo.currentIndexChanged.connect(self._changed)
        self.score.currentIndexChanged.connect(self._score_chosen)
        for optional in (
            self.score_set_on,
            self.aim_by,
            self.start_date,
            self.planned_end,
            self.actual_end,
        ):
            optional.changed.connect(self._changed)
        for box in self.evaluation.values():
            box.toggled.connect(self._changed)
        self.team.edited.connect(self._changed)
        for line in (self.aim_what, self.aim_for_whom, self.aim_from, self.aim_to):
            line.textChanged.connect(self._update_aim)
        self.aim_by.changed.connect(self._update_aim)

    def _lines(self) -> list[QLineEdit]:
        return [
            self.title,
            self.programme,
            self.division,
            self.directorate,
            self.ward,
            self.score_set_by,
            self.aim_what,
            self.aim_for_whom,
            self.aim_from,
            self.aim_to,
        ]

    def _texts(self) -> list[QPlainTextEdit]:
        return [
            self.score_evidence,
            self.problem,
            self.involvement_note,
            self.spread,
            self.sustainability,
            self.closure,
        ]

    # -- reacting -------------------------------------------------------------------------------

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _score_chosen(self) -> None:
        """A newly chosen score is recorded as set by the current user today."""
        self._update_score_details()
        if self._loading:
            return
        if self.score.currentData() is not None:
            self.score_set_by.setText(self._user)
            self.score_set_on.set_value(date.today())
        self._changed()

    def _update_score_details(self) -> None:
        scored = self.score.currentData() is not None
        for widget in (self.score_set_by, self.score_set_on, self.score_evidence):
            widget.setEnabled(scored)

    def _update_aim(self) -> None:
        aim = self._aim()
        self.aim_statement.setText(aim.statement())
        self.aim_statement.setAccessibleName(f"Aim statement: {aim.statement()}")
        lacks = aim.lacks()
        if lacks:
            text = "Still needed: " + "; ".join(lacks) + "."
        else:
            text = "✓ The aim says what, for whom, from, to and by when."
        self.aim_check.setText(text)
        self.aim_check.setAccessibleName(text)

    def _aim(self) -> Aim:
        return Aim(
            what=single_line(self.aim_what.text()),
            for_whom=single_line(self.aim_for_whom.text()),
            from_value=single_line(self.aim_from.text()),
            to_value=single_line(self.aim_to.text()),
            by_when=self.aim_by.value(),
        )

    # -- values in and out ----------------------------------------------------------------------

    def set_user(self, user: str) -> None:
        """Who is recorded as setting a newly chosen progress score."""
        self._user = user

    def set_suggestions(self, key: str, values: list[str]) -> None:
        """Offer ``values`` as completions for ``key`` (division, directorate, ward, programme)."""
        model = self._suggestions.get(key)
        if model is not None:
            model.setStringList(sorted({v for v in values if v.strip()}, key=str.casefold))

    def load(self, project: Project) -> None:
        """Show ``project`` in every field (without emitting :attr:`edited`)."""
        self._loading = True
        try:
            p = project
            self.title.setText(p.title)
            _select(self.work_type, p.work_type)
            _select(self.status, p.status)
            _select(self.phase, p.phase)
            self.programme.setText(p.programme)
            self.division.setText(p.division)
            self.directorate.setText(p.directorate)
            self.ward.setText(p.ward)
            self._load_score(p.score)
            self.problem.setPlainText(p.problem)
            self.aim_what.setText(p.aim.what)
            self.aim_for_whom.setText(p.aim.for_whom)
            self.aim_from.setText(p.aim.from_value)
            self.aim_to.setText(p.aim.to_value)
            self.aim_by.set_value(p.aim.by_when)
            self.team.set_members(p.team)
            self.start_date.set_value(p.start_date)
            self.planned_end.set_value(p.planned_end)
            self.actual_end.set_value(p.actual_end)
            _select(self.involvement, p.involvement)
            self.involvement_note.setPlainText(p.involvement_note)
            for level, box in self.evaluation.items():
                box.setChecked(level in p.evaluation_levels)
            self.spread.setPlainText(p.spread)
            self.sustainability.setPlainText(p.sustainability)
            self.closure.setPlainText(p.closure)
        finally:
            self._loading = False
        self._update_aim()

    def _load_score(self, score: ProgressScore | None) -> None:
        value = score.value if score else None
        if value is not None and self.score.findData(value) < 0:
            self.score.addItem(score_text(value), value)  # shown so that it can be refused
        _select(self.score, value)
        self.score_set_by.setText(score.set_by if score else "")
        self.score_set_on.set_value(score.set_on if score else None)
        self.score_evidence.setPlainText(score.evidence if score else "")
        self._update_score_details()

    def draft(self, base: Project) -> Project:
        """``base`` with every charter field replaced by what the form shows.

        The id, record metadata and archived flag come from ``base``; team members keep their
        ids, and the metadata of members that ``base`` already has. Text is cleaned of control
        characters, and one-line fields of line breaks (:func:`single_line`, :func:`multi_line`).
        """
        value = self.score.currentData()
        score = (
            ProgressScore(
                value=float(value),
                set_by=single_line(self.score_set_by.text()),
                set_on=self.score_set_on.value(),
                evidence=multi_line(self.score_evidence.toPlainText()),
            )
            if value is not None
            else None
        )
        known = {m.id: m.meta for m in base.team}
        team = tuple(
            replace(m, name=single_line(m.name), meta=known.get(m.id, RecordMeta()))
            for m in self.team.members()
        )
        return replace(
            base,
            title=single_line(self.title.text()),
            work_type=WorkType(self.work_type.currentData()),
            division=single_line(self.division.text()),
            directorate=single_line(self.directorate.text()),
            ward=single_line(self.ward.text()),
            programme=single_line(self.programme.text()),
            status=Status(self.status.currentData()),
            phase=JourneyPhase(self.phase.currentData()),
            score=score,
            problem=multi_line(self.problem.toPlainText()),
            aim=self._aim(),
            team=team,
            start_date=self.start_date.value(),
            planned_end=self.planned_end.value(),
            actual_end=self.actual_end.value(),
            involvement=Involvement(self.involvement.currentData()),
            involvement_note=multi_line(self.involvement_note.toPlainText()),
            evaluation_levels=frozenset(
                level for level, box in self.evaluation.items() if box.isChecked()
            ),
            spread=multi_line(self.spread.toPlainText()),
            sustainability=multi_line(self.sustainability.toPlainText()),
            closure=multi_line(self.closure.toPlainText()),
        )

    def free_text(self) -> list[tuple[str, str, QWidget]]:
        """Every free-text value with its field label and widget (for the identifier guard)."""
        out: list[tuple[str, str, QWidget]] = [
            ("Title", self.title.text(), self.title),
            ("Programme", self.programme.text(), self.programme),
            ("Division", self.division.text(), self.division),
            ("Directorate", self.directorate.text(), self.directorate),
            ("Ward / department", self.ward.text(), self.ward),
            ("Score set by", self.score_set_by.text(), self.score_set_by),
            ("Score evidence", self.score_evidence.toPlainText(), self.score_evidence),
            ("Problem statement", self.problem.toPlainText(), self.problem),
            ("Aim: improve what", self.aim_what.text(), self.aim_what),
            ("Aim: for whom", self.aim_for_whom.text(), self.aim_for_whom),
            ("Aim: from", self.aim_from.text(), self.aim_from),
            ("Aim: to", self.aim_to.text(), self.aim_to),
        ]
        for i, member in enumerate(self.team.members(), start=1):
            out.append((f"Team member {i} name", member.name, self.team.view))
        out += [
            ("Involvement description", self.involvement_note.toPlainText(), self.involvement_note),
            ("Spread", self.spread.toPlainText(), self.spread),
            ("Sustainability", self.sustainability.toPlainText(), self.sustainability),
            ("Closure notes", self.closure.toPlainText(), self.closure),
        ]
        return out

    def show_problems(self, problems: dict[str, str]) -> None:
        """Show each reason from ``project_problems()`` at its field; clear the others."""
        team = [
            f"Row {int(key[5:-1]) + 1}: {reason}"
            for key, reason in problems.items()
            if key.startswith("team[")
        ]
        for key, field in self.checked.items():
            reason = "; ".join(team) if key == "team" else problems.get(key)
            field.set_problem(_sentence(reason) if reason else None)

    def focus_problem(self, key: str) -> None:
        """Move the keyboard focus to the field of problem ``key``."""
        field = self.checked.get("team" if key.startswith("team[") else key)
        if field is not None:
            field.field.setFocus(Qt.FocusReason.OtherFocusReason)


def _sentence(reason: str) -> str:
    reason = reason.strip()
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
