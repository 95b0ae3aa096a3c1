"""The PDSA editor: one cycle in five tabs (Cycle, Plan, Do, Study, Act) and its coaching notes.

The editor turns a :class:`~qidesk.core.pdsa.PdsaCycle` into widget values (:meth:`load`) and
the widget values back into a new cycle (:meth:`PdsaEditor.draft`). It holds no rules and does
no saving: the panel validates the draft with :func:`qidesk.core.pdsa.cycle_problems`, passes
the problems back to :meth:`show_problems` (shown at their fields), runs the patient-identifier
guard over :meth:`free_text`, and saves through one undo command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.fidelity import FidelityFlag
from qidesk.core.pdsa import (
    CycleStatus,
    Decision,
    Improvement,
    PdsaCycle,
    Purpose,
    TestPlan,
    TestScale,
)
from qidesk.ui.pdsa.editor_pages import ActPage, CyclePage, DoPage, PlanPage, StudyPage, scrolled
from qidesk.ui.pdsa.tables import QuestionsModel, TasksModel

#: The tab that shows each problem key (questions and tasks are on Plan).
_PROBLEM_TABS = {
    "ramp_name": 0,
    "number": 0,
    "previous_cycle_id": 0,
    "end": 0,
    "change_idea_ids": 0,
    "measure_ids": 0,
}
TABS = ("Cycle", "Plan", "Do", "Study", "Act")
#: the coaching-notes box grows with its notes up to this height, then scrolls
FLAGS_MAX_HEIGHT = 170
NO_FLAGS_REASON = "Predictions, a linked measure and the ramp all look in order."
NO_FLAGS = f"No coaching notes: {NO_FLAGS_REASON[0].lower()}{NO_FLAGS_REASON[1:]}"

ID_ROLE = Qt.ItemDataRole.UserRole


def _select(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


def _enum_value(combo: QComboBox) -> str | None:
    value = combo.currentData()
    return str(value) if value is not None else None


class PdsaEditor(QWidget):
    """Every field of one PDSA cycle, in tabs, with the coaching notes under them."""

    #: emitted whenever the user changes any value
    edited = Signal()
    #: emitted when the user asks to start the next cycle (the Act tab's button)
    start_next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._base: PdsaCycle | None = None
        self._hidden_links: dict[str, tuple[str, ...]] = {"ideas": (), "measures": ()}
        self.questions_model = QuestionsModel(self)
        self.tasks_model = TasksModel(self)
        self.cycle_page = CyclePage()
        self.plan = PlanPage(self.questions_model, self.tasks_model)
        self.do = DoPage()
        self.study = StudyPage(self.questions_model)
        self.act = ActPage()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pdsa_tabs")
        self.tabs.setAccessibleName("Worksheet sections: Cycle, Plan, Do, Study, Act")
        self.tabs.tabBar().setAccessibleName("Worksheet sections")
        self.tabs.setDocumentMode(True)
        for page, title in zip(
            (self.cycle_page, self.plan, self.do, self.study, self.act), TABS, strict=True
        ):
            self.tabs.addTab(scrolled(page, f"{title} section of the worksheet"), title)
        self.flags_label = QLabel()
        self.flags_label.setObjectName("pdsa_flags")
        self.flags_label.setWordWrap(True)
        self.flags_label.setTextFormat(Qt.TextFormat.RichText)
        self.flags_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.flags_box = QGroupBox("Coaching notes on this cycle")
        self.flags_box.setObjectName("pdsa_flags_box")
        flags_layout = QVBoxLayout(self.flags_box)
        self._flags_layout = flags_layout
        self.flags_scroll = scrolled(self.flags_label, "Coaching notes on this cycle")
        flags_layout.addWidget(self.flags_scroll)
        self.flags_box.setMaximumHeight(FLAGS_MAX_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.flags_box)
        self.act.start_next.clicked.connect(self.start_next_requested)
        self._connect_edits()
        self.show_flags([])

    # -- reacting -------------------------------------------------------------------------------

    def _lines(self) -> list[QLineEdit]:
        p = self.plan
        return [self.cycle_page.ramp_name, self.cycle_page.owner, p.test_what, p.test_who,
                p.test_where, p.test_when, p.scale_detail]  # fmt: skip

    def _texts(self) -> list[QPlainTextEdit]:
        return [self.plan.objective, self.plan.data_plan, self.do.what_happened, self.do.problems,
                self.do.deviations, self.study.summary, self.act.next_steps]  # fmt: skip

    def _combos(self) -> list[QComboBox]:
        c = self.cycle_page
        return [c.previous, c.purpose, c.status, self.plan.scale, self.study.improved,
                self.act.decision]  # fmt: skip

    def _connect_edits(self) -> None:
        for edit in self._lines():
            edit.textEdited.connect(self._changed)
        for text in self._texts():
            text.textChanged.connect(self._changed)
        for combo in self._combos():
            combo.currentIndexChanged.connect(self._changed)
        self.cycle_page.number.valueChanged.connect(self._changed)
        self.cycle_page.start.changed.connect(self._changed)
        self.cycle_page.end.changed.connect(self._changed)
        for pick in (self.cycle_page.change_ideas, self.cycle_page.measures):
            pick.itemChanged.connect(self._changed)
        self.plan.questions.edited.connect(self._changed)
        self.plan.tasks.edited.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    # -- values in and out ----------------------------------------------------------------------

    def load(
        self,
        cycle: PdsaCycle,
        *,
        change_ideas: Sequence[tuple[str, str]],
        measures: Sequence[tuple[str, str]],
        ramp_cycles: Sequence[PdsaCycle],
    ) -> None:
        """Show ``cycle`` (without emitting :attr:`edited`).

        ``change_ideas`` and ``measures`` are the project's ``(id, text)`` to offer in the
        pickers; ``ramp_cycles`` the live cycles of the cycle's ramp (for "Follows").
        """
        self._loading = True
        try:
            self._base = cycle
            c, page = cycle, self.cycle_page
            page.ramp_name.setText(c.ramp_name)
            page.number.setValue(c.number)
            page.previous.clear()
            page.previous.addItem("Nothing: the first cycle of the ramp", None)
            for other in ramp_cycles:
                if other.id != c.id:
                    page.previous.addItem(other.title, other.id)
            if c.previous_cycle_id and page.previous.findData(c.previous_cycle_id) < 0:
                page.previous.addItem("A cycle that is no longer in this ramp", c.previous_cycle_id)
            _select(page.previous, c.previous_cycle_id)
            _select(page.purpose, c.purpose.value)
            page.owner.setText(c.owner)
            page.start.set_value(c.start)
            page.end.set_value(c.end)
            _select(page.status, c.status.value)
            self._hidden_links["ideas"] = self._fill(
                page.change_ideas, change_ideas, c.change_idea_ids
            )
            self._hidden_links["measures"] = self._fill(page.measures, measures, c.measure_ids)
            self.plan.objective.setPlainText(c.objective)
            self.questions_model.set_values(c.questions)
            self.tasks_model.set_values(c.tasks)
            t = c.test
            for edit, text in ((self.plan.test_what, t.what), (self.plan.test_who, t.who),
                               (self.plan.test_where, t.where), (self.plan.test_when, t.when),
                               (self.plan.scale_detail, t.scale_detail)):  # fmt: skip
                edit.setText(text)
            _select(self.plan.scale, t.scale.value if t.scale else None)
            self.plan.data_plan.setPlainText(c.data_plan)
            self.do.what_happened.setPlainText(c.what_happened)
            self.do.problems.setPlainText(c.problems)
            self.do.deviations.setPlainText(c.deviations)
            _select(self.study.improved, c.improved.value if c.improved else None)
            self.study.summary.setPlainText(c.study_summary)
            _select(self.act.decision, c.decision.value if c.decision else None)
            self.act.next_steps.setPlainText(c.next_steps)
        finally:
            self._loading = False

    @staticmethod
    def _fill(
        widget: QListWidget, offered: Sequence[tuple[str, str]], linked: Sequence[str]
    ) -> tuple[str, ...]:
        """Offer ``offered`` as check boxes, ticking ``linked``; return linked ids not offered."""
        widget.clear()
        for item_id, text in offered:
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, item_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if item_id in linked else Qt.CheckState.Unchecked
            )
            widget.addItem(item)
        if not offered:
            item = QListWidgetItem("None in this project yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)
        ids = {item_id for item_id, _ in offered}
        return tuple(i for i in linked if i not in ids)

    @staticmethod
    def _ticked(widget: QListWidget) -> tuple[str, ...]:
        out = []
        for row in range(widget.count()):
            item = widget.item(row)
            if item.data(ID_ROLE) and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(ID_ROLE)))
        return tuple(out)

    def draft(self) -> PdsaCycle:
        """The loaded cycle with every field replaced by what the editor shows.

        The id, project, ramp id and record metadata come from the loaded cycle, and so do
        links to change ideas or measures that the pickers do not offer (deleted ones).
        """
        base = self._base
        if base is None:
            raise RuntimeError("no cycle is loaded")
        page = self.cycle_page
        scale = _enum_value(self.plan.scale)
        improved = _enum_value(self.study.improved)
        decision = _enum_value(self.act.decision)
        return replace(
            base,
            ramp_name=page.ramp_name.text(),
            number=page.number.value(),
            previous_cycle_id=page.previous.currentData(),
            change_idea_ids=(*self._ticked(page.change_ideas), *self._hidden_links["ideas"]),
            measure_ids=(*self._ticked(page.measures), *self._hidden_links["measures"]),
            purpose=Purpose(page.purpose.currentData()),
            owner=page.owner.text(),
            start=page.start.value(),
            end=page.end.value(),
            status=CycleStatus(page.status.currentData()),
            objective=self.plan.objective.toPlainText(),
            questions=self.questions_model.values(),
            test=TestPlan(
                what=self.plan.test_what.text(),
                who=self.plan.test_who.text(),
                where=self.plan.test_where.text(),
                when=self.plan.test_when.text(),
                scale=TestScale(scale) if scale else None,
                scale_detail=self.plan.scale_detail.text(),
            ),
            tasks=self.tasks_model.values(),
            data_plan=self.plan.data_plan.toPlainText(),
            what_happened=self.do.what_happened.toPlainText(),
            problems=self.do.problems.toPlainText(),
            deviations=self.do.deviations.toPlainText(),
            improved=Improvement(improved) if improved else None,
            study_summary=self.study.summary.toPlainText(),
            decision=Decision(decision) if decision else None,
            next_steps=self.act.next_steps.toPlainText(),
        )

    @property
    def loaded(self) -> PdsaCycle | None:
        """The cycle last loaded (``None`` before the first load)."""
        return self._base

    def free_text(self) -> list[tuple[str, str, QWidget]]:
        """Every free-text field as ``(label, text, widget to focus)`` for the identifier guard."""
        widgets: dict[str, QWidget] = {
            "Ramp name": self.cycle_page.ramp_name,
            "Owner": self.cycle_page.owner,
            "Objective": self.plan.objective,
            "Test: what": self.plan.test_what,
            "Test: who": self.plan.test_who,
            "Test: where": self.plan.test_where,
            "Test: when": self.plan.test_when,
            "Test: scale detail": self.plan.scale_detail,
            "Data-collection plan": self.plan.data_plan,
            "What happened": self.do.what_happened,
            "Problems": self.do.problems,
            "Deviations from the plan": self.do.deviations,
            "Study summary": self.study.summary,
            "Next steps": self.act.next_steps,
        }
        out: list[tuple[str, str, QWidget]] = []
        for label, text in self.draft().free_text():
            if label in widgets:
                widget = widgets[label]
            elif label.startswith("Task"):
                widget = self.plan.tasks.view
            elif any(label.endswith(s) for s in (": result", ": learning")):
                widget = self.study.questions.view
            else:
                widget = self.plan.questions.view
            out.append((label, text, widget))
        return out

    # -- problems and flags ---------------------------------------------------------------------

    def show_problems(self, problems: dict[str, str]) -> None:
        """Show each problem at its field (a sentence with a warning icon); clear the others."""
        for key, field in self.cycle_page.checked.items():
            field.set_problem(_sentence(problems.get(key)))
        for label, prefix in ((self.plan.questions_problem, "questions["),
                              (self.plan.tasks_problem, "tasks[")):  # fmt: skip
            found = [v for k, v in problems.items() if k.startswith(prefix)]
            label.setText("\n".join(f"⚠ {_sentence(v)}" for v in found))
            label.setVisible(bool(found))

    def focus_problem(self, key: str) -> None:
        """Switch to the tab of problem ``key`` and put the focus on its field."""
        if key in self.cycle_page.checked:
            self.tabs.setCurrentIndex(_PROBLEM_TABS.get(key, 0))
            self.cycle_page.checked[key].field.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.tabs.setCurrentIndex(TABS.index("Plan"))
        table = self.plan.questions if key.startswith("questions") else self.plan.tasks
        table.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_flags(self, flags: Sequence[FidelityFlag]) -> None:
        """Show the cycle's fidelity flags, each with its plain-words explanation."""
        if not flags:
            # all in order: one line (the box's title), so the fields above keep the height
            self.flags_label.setText(NO_FLAGS)
            self.flags_box.setTitle(f"Coaching notes on this cycle: none. {NO_FLAGS_REASON}")
            self.flags_label.setAccessibleName("No coaching notes on this cycle")
            self.flags_box.setAccessibleName(self.flags_box.title())
            self.flags_scroll.hide()
            self.flags_box.setFlat(True)
            self.flags_box.setMaximumHeight(round(self.fontMetrics().lineSpacing() * 1.6))
            return
        self.flags_scroll.show()
        self.flags_box.setFlat(False)
        items = "".join(
            f"<p style='margin: 0 0 6px 0;'><b>⚑ {escape(f.title)}.</b> {escape(f.explanation)}</p>"
            for f in flags
        )
        self.flags_label.setText(items)
        self.flags_box.setTitle(f"Coaching notes on this cycle ({len(flags)})")
        self.flags_box.setAccessibleName(self.flags_box.title())
        self.flags_label.setAccessibleName(
            "Coaching notes: " + " ".join(f"{f.title}. {f.explanation}" for f in flags)
        )
        self._fit_flags()

    def _fit_flags(self) -> None:
        """Make the notes box as tall as its notes, up to :data:`FLAGS_MAX_HEIGHT` (then scroll)."""
        if self.flags_scroll.isHidden():
            return
        box = self.flags_box
        margins = box.contentsMargins()
        inner = self._flags_layout.contentsMargins()
        width = max(200, box.width() - margins.left() - margins.right() - inner.left()
                    - inner.right() - 4)  # fmt: skip
        needed = (
            self.flags_label.heightForWidth(width)
            + margins.top() + margins.bottom() + inner.top() + inner.bottom() + 4
        )  # fmt: skip
        box.setMaximumHeight(min(FLAGS_MAX_HEIGHT, needed))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-fit the notes box to the new width."""
        super().resizeEvent(event)
        self._fit_flags()


def _sentence(text: str | None) -> str | None:
    """A problem as a sentence: capital first letter, full stop."""
    if not text:
        return None
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
