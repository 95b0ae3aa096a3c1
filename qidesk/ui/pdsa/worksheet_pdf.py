"""The PDSA worksheet as a PDF: A4 portrait, every section, predictions set against results.

The wording is qidesk's own (the IHI's templates may not be reproduced commercially). The page
is built as HTML (:func:`worksheet_html`) and laid out by ``QTextDocument`` onto a ``QPdfWriter``,
so the text stays vector text that can be searched and copied, tables break across pages, and
every page gets a number. Nothing here reads the database: the panel passes everything in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from qidesk import __version__
from qidesk.core.fidelity import FidelityFlag
from qidesk.core.pdsa import PdsaCycle

_EMPTY = "<span style='color:#768692;'>not recorded</span>"
_CSS = """
body { color: #212b32; }
h1 { font-size: 17pt; color: #005eb8; margin: 0; }
h2 { font-size: 12.5pt; color: #ffffff; background: #005eb8; margin: 12px 0 4px 0; }
h3 { font-size: 10.5pt; color: #003087; margin: 8px 0 2px 0; }
p { margin: 0 0 4px 0; }
.meta { color: #4c6272; font-size: 8.5pt; }
th { background: #e8edee; text-align: left; font-weight: bold; }
td.k { background: #f0f4f5; font-weight: bold; }
.note { font-size: 8.5pt; color: #4c6272; }
"""


@dataclass(frozen=True)
class WorksheetContext:
    """What the worksheet shows besides the cycle itself (names, not ids)."""

    project_title: str
    change_ideas: Mapping[str, str] = field(default_factory=dict)
    measures: Mapping[str, str] = field(default_factory=dict)
    previous_label: str | None = None
    flags: Sequence[FidelityFlag] = ()
    made_on: date = field(default_factory=date.today)


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        return _EMPTY
    return "<br>".join(escape(part) for part in value.splitlines())


def _day(d: date | None) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if d else _EMPTY


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    body = "".join(
        f"<tr><td class='k' width='27%'>{escape(k)}</td><td>{v}</td></tr>" for k, v in pairs
    )
    return _table(body)


def _table(body: str, head: Sequence[str] = ()) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    header_row = f"<thead><tr>{header}</tr></thead>" if head else ""
    return (
        "<table width='100%' border='1' cellspacing='0' cellpadding='4' "
        f"style='border-color:#aeb7bd; border-collapse: collapse;'>{header_row}{body}</table>"
    )


def _names(ids: Sequence[str], names: Mapping[str, str]) -> str:
    shown = [escape(names.get(i, "(no longer in the project)")) for i in ids]
    return "<br>".join(shown) if shown else _EMPTY


def worksheet_html(cycle: PdsaCycle, ctx: WorksheetContext) -> str:
    """The worksheet of ``cycle`` as HTML for ``QTextDocument``."""
    c = cycle
    parts = [
        f"<h1>PDSA worksheet: {escape(c.label)}</h1>",
        f"<p class='meta'>Project: {escape(ctx.project_title)} · made with qidesk "
        f"{escape(__version__)} on {_day(ctx.made_on)}</p>",
        "<h2>&nbsp;The cycle</h2>",
        _rows(
            [
                ("Ramp (series)", escape(c.ramp_name)),
                ("Cycle number", str(c.number)),
                (
                    "Follows",
                    escape(ctx.previous_label) if ctx.previous_label else "the first cycle",
                ),
                ("Purpose", escape(c.purpose.label)),
                ("Owner", _text(c.owner)),
                ("Dates", f"{_day(c.start)} to {_day(c.end)}"),
                ("Status", escape(c.status.label)),
                ("Change ideas tested", _names(c.change_idea_ids, ctx.change_ideas)),
                ("Measures linked", _names(c.measure_ids, ctx.measures)),
            ]
        ),
        "<h2>&nbsp;Plan</h2>",
        "<h3>Objective</h3>",
        f"<p>{_text(c.objective)}</p>",
        "<h3>Questions and predictions</h3>",
    ]
    asked = [q for q in c.questions if q.text.strip()]
    if asked:
        body = "".join(
            f"<tr><td>{i}</td><td>{_text(q.text)}</td><td>{_text(q.prediction)}</td>"
            f"<td>{_text(q.reasoning)}</td></tr>"
            for i, q in enumerate(asked, start=1)
        )
        parts.append(_table(body, ("#", "Question", "Prediction", "Why we predict this")))
    else:
        parts.append(f"<p>{_EMPTY}</p>")
    t = c.test
    scale = t.scale.label if t.scale else ""
    scale_text = ", ".join(x for x in (scale, t.scale_detail.strip()) if x)
    parts += [
        "<h3>The test</h3>",
        _rows(
            [
                ("What", _text(t.what)),
                ("Who", _text(t.who)),
                ("Where", _text(t.where)),
                ("When", _text(t.when)),
                ("Scale", _text(scale_text)),
            ]
        ),
        "<h3>Tasks to get ready</h3>",
    ]
    tasks = [x for x in c.tasks if x.text.strip()]
    if tasks:
        body = "".join(
            f"<tr><td>{_text(x.text)}</td><td>{_text(x.who)}</td><td>{_day(x.due)}</td>"
            f"<td>{'Done' if x.done else 'Not yet'}</td></tr>"
            for x in tasks
        )
        parts.append(_table(body, ("Task", "Who", "Due by", "Done")))
    else:
        parts.append(f"<p>{_EMPTY}</p>")
    parts += [
        "<h3>Data-collection plan</h3>",
        f"<p>{_text(c.data_plan)}</p>",
        "<h2>&nbsp;Do</h2>",
        _rows(
            [
                ("What happened", _text(c.what_happened)),
                ("Problems", _text(c.problems)),
                ("Deviations from the plan", _text(c.deviations)),
            ]
        ),
        "<h2>&nbsp;Study</h2>",
        "<h3>Predictions compared with results</h3>",
    ]
    if asked:
        body = "".join(
            f"<tr><td>{i}</td><td>{_text(q.text)}</td><td>{_text(q.prediction)}</td>"
            f"<td>{_text(q.result)}</td>"
            f"<td>{escape(q.confirmed.label) if q.confirmed else _EMPTY}</td>"
            f"<td>{_text(q.learning)}</td></tr>"
            for i, q in enumerate(asked, start=1)
        )
        head = ("#", "Question", "Prediction", "Result", "Prediction held?", "What we learned")
        parts.append(_table(body, head))
    else:
        parts.append(f"<p>{_EMPTY}</p>")
    parts += [
        "<p></p>",
        _rows(
            [
                (
                    "Did the change lead to improvement?",
                    escape(c.improved.label) if c.improved else _EMPTY,
                ),
                ("Summary", _text(c.study_summary)),
            ]
        ),
        "<h2>&nbsp;Act</h2>",
        _rows(
            [
                ("Decision", escape(c.decision.label) if c.decision else _EMPTY),
                ("Next steps", _text(c.next_steps)),
            ]
        ),
    ]
    if ctx.flags:
        parts.append("<h3>Coaching notes</h3>")
        parts += [f"<p><b>{escape(f.title)}.</b> {escape(f.explanation)}</p>" for f in ctx.flags]
    parts.append(
        "<p class='note'><br>qidesk holds aggregate quality-improvement data only: this "
        "worksheet should contain no patient-identifiable details.</p>"
    )
    return "".join(parts)


def write_worksheet(path: Path, cycle: PdsaCycle, ctx: WorksheetContext) -> Path:
    """Write the worksheet of ``cycle`` to ``path`` (A4 portrait, 2 cm margins); return ``path``.

    Raises ``OSError`` when the file cannot be written.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    writer = QPdfWriter(str(path))
    writer.setTitle(f"PDSA worksheet: {cycle.label}")
    writer.setCreator(f"qidesk {__version__}")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),  # QTextDocument.print_ adds 2 cm margins of its own
            QPageLayout.Unit.Millimeter,
        )
    )
    doc = QTextDocument()
    font = QFont()
    font.setPointSizeF(9.5)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(_CSS)
    doc.setHtml(worksheet_html(cycle, ctx))
    doc.print_(writer)  # lays out on the writer's page and numbers the pages
    del writer  # closes and flushes the file
    if not path.exists() or path.stat().st_size == 0:
        raise OSError(f"{path} could not be written")
    return path
