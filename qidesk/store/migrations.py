"""The schema's history: an append-only list of migrations keyed on ``PRAGMA user_version``.

How it works
------------
``MIGRATIONS[n - 1]`` takes a workspace from ``user_version`` ``n - 1`` to ``n``, so
:data:`SCHEMA_VERSION` is simply ``len(MIGRATIONS)``. :func:`migrate` runs each pending
migration in **one transaction together with its ``user_version`` bump** (and the
``application_id`` stamp): a migration that raises rolls back completely and the file stays
at the previous version, to be retried on the next open. ``database.open_workspace`` makes
a rolling backup before it migrates.

How to add tables in a later issue (measures, observations, driver nodes/links, PDSA …)
------------------------------------------------------------------------------------------
1. Write ``def _m002_measures(db: Database) -> None`` that runs plain ``CREATE TABLE … STRICT``
   SQL. A table that travels to the hub starts with ``id TEXT PRIMARY KEY NOT NULL``, ends
   with :data:`RECORD_META_V1` and uses ``CHECK (x IN (...))`` for enums (literal values,
   never generated from today's enum: a migration must do the same thing forever).
   ``records``, ``workspace_counts`` and ``check_workspace`` find such tables by their
   columns, so nothing else needs registering.
2. Append it to :data:`MIGRATIONS`. Never edit, reorder or remove a released migration or a
   constant it uses (copy the constant and give it a new name instead). To change a column,
   write a new migration (``db[table].transform(...)`` works inside the transaction).
3. Add a test that a workspace at the previous version migrates with its data intact.

Limits: no ``VACUUM`` or ``journal_mode`` change inside a migration (they cannot run in a
transaction). Functions in ``CHECK`` constraints must be allowed with
``trusted_schema=OFF``: ``date()`` is, ``json_valid()`` is not (SQLite 3.40). Check
ISO dates with ``date(x, '+0 days') IS x``: plain ``date(x)`` lets 2025-02-30 through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlite_utils import Database

#: Identifies a qidesk workspace in the SQLite header ("QDSK").
APPLICATION_ID = 0x5144534B

#: A migration: runs SQL on ``db`` inside the transaction opened by :func:`migrate`.
Migration = Callable[[Database], None]

#: Metadata columns of every record table, version 1 (frozen: used by released migrations).
RECORD_META_V1 = """
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    deleted_at TEXT"""


def _date_v1(column: str) -> str:
    """An optional ISO date column (``YYYY-MM-DD``, a real calendar day). Frozen."""
    return f"{column} TEXT CHECK (date({column}, '+0 days') IS {column})"


def _m001_initial(db: Database) -> None:
    """Site, project charters, team members, the audit log and workspace settings."""
    statements = [
        """CREATE TABLE site (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            division TEXT NOT NULL DEFAULT '',
            organisation TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        ) STRICT""",
        f"""CREATE TABLE project (
            id TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            work_type TEXT NOT NULL CHECK (work_type IN
                ('strategic', 'service_led', 'consultancy', 'personal_learning')),
            division TEXT NOT NULL DEFAULT '',
            directorate TEXT NOT NULL DEFAULT '',
            ward TEXT NOT NULL DEFAULT '',
            programme TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN
                ('proposed', 'active', 'on_hold', 'completed', 'cancelled')),
            phase TEXT NOT NULL CHECK (phase IN
                ('scoping', 'testing', 'implementation', 'spread', 'sustain', 'closed')),
            score_value REAL CHECK (score_value IS NULL OR score_value BETWEEN 0.5 AND 5.0),
            score_set_by TEXT NOT NULL DEFAULT '',
            {_date_v1("score_set_on")},
            score_evidence TEXT NOT NULL DEFAULT '',
            problem TEXT NOT NULL DEFAULT '',
            aim_what TEXT NOT NULL DEFAULT '',
            aim_for_whom TEXT NOT NULL DEFAULT '',
            aim_from TEXT NOT NULL DEFAULT '',
            aim_to TEXT NOT NULL DEFAULT '',
            {_date_v1("aim_by_when")},
            {_date_v1("start_date")},
            {_date_v1("planned_end")},
            {_date_v1("actual_end")},
            involvement TEXT NOT NULL CHECK (involvement IN
                ('none', 'informed', 'consulted', 'co_designed', 'partner_on_team')),
            involvement_note TEXT NOT NULL DEFAULT '',
            evaluation_levels TEXT NOT NULL DEFAULT '[]' CHECK (evaluation_levels LIKE '[%]'),
            spread TEXT NOT NULL DEFAULT '',
            sustainability TEXT NOT NULL DEFAULT '',
            closure TEXT NOT NULL DEFAULT '',
            archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
            {RECORD_META_V1},
            CHECK (score_value IS NOT NULL
                   OR (score_set_by = '' AND score_set_on IS NULL AND score_evidence = ''))
        ) STRICT""",
        f"""CREATE TABLE team_member (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN
                ('sponsor', 'lead', 'qi_coach', 'member', 'data_collector', 'patient_partner')),
            sort_order INTEGER NOT NULL DEFAULT 0,
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX team_member_project ON team_member (project_id)",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            "user" TEXT NOT NULL,
            table_name TEXT NOT NULL,
            record_id TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
            before TEXT,
            after TEXT
        ) STRICT""",
        "CREATE INDEX audit_log_record ON audit_log (table_name, record_id)",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END""",
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) STRICT""",
    ]
    for sql in statements:
        db.execute(sql)


def _m002_measures(db: Database) -> None:
    """Measures (operational definitions), observations, chart phases and annotations."""
    statements = [
        f"""CREATE TABLE measure (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            measure_type TEXT NOT NULL CHECK (measure_type IN ('outcome', 'process', 'balancing')),
            definition TEXT NOT NULL DEFAULT '',
            numerator_definition TEXT NOT NULL DEFAULT '',
            denominator_definition TEXT NOT NULL DEFAULT '',
            inclusions TEXT NOT NULL DEFAULT '',
            exclusions TEXT NOT NULL DEFAULT '',
            data_type TEXT NOT NULL CHECK (data_type IN ('continuous', 'count', 'proportion',
                'rate', 'count_between_events', 'time_between_events', 'subgrouped')),
            multiplier REAL NOT NULL DEFAULT 1 CHECK (multiplier > 0),
            unit TEXT NOT NULL DEFAULT '',
            period TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
            week_start INTEGER NOT NULL DEFAULT 0 CHECK (week_start BETWEEN 0 AND 6),
            data_source TEXT NOT NULL DEFAULT '',
            collected_by TEXT NOT NULL DEFAULT '',
            direction TEXT NOT NULL CHECK (direction IN ('increase', 'decrease', 'neutral')),
            target REAL,
            trajectory TEXT NOT NULL DEFAULT '[]' CHECK (trajectory LIKE '[%]'),
            chart TEXT NOT NULL,
            preset TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            decimals INTEGER NOT NULL DEFAULT 1 CHECK (decimals BETWEEN 0 AND 6),
            sort_order INTEGER NOT NULL DEFAULT 0,
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX measure_project ON measure (project_id)",
        f"""CREATE TABLE observation (
            id TEXT PRIMARY KEY NOT NULL,
            measure_id TEXT NOT NULL REFERENCES measure (id),
            period TEXT NOT NULL CHECK (date(period, '+0 days') IS period),
            value REAL,
            numerator REAL,
            denominator REAL,
            note TEXT NOT NULL DEFAULT '',
            excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
            exclude_reason TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT 'manual',
            {RECORD_META_V1},
            CHECK (excluded = 0 OR length(trim(exclude_reason)) > 0)
        ) STRICT""",
        """CREATE UNIQUE INDEX observation_live_period ON observation (measure_id, period)
           WHERE deleted_at IS NULL""",
        f"""CREATE TABLE chart_phase (
            id TEXT PRIMARY KEY NOT NULL,
            measure_id TEXT NOT NULL REFERENCES measure (id),
            period TEXT NOT NULL CHECK (date(period, '+0 days') IS period),
            kind TEXT NOT NULL CHECK (kind IN ('freeze', 'phase')),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            pdsa_id TEXT,
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX chart_phase_measure ON chart_phase (measure_id)",
        f"""CREATE TABLE annotation (
            id TEXT PRIMARY KEY NOT NULL,
            measure_id TEXT NOT NULL REFERENCES measure (id),
            period TEXT NOT NULL CHECK (date(period, '+0 days') IS period),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('test_start', 'test_end', 'change_adopted',
                'external_event', 'data_issue')),
            pdsa_id TEXT,
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX annotation_measure ON annotation (measure_id)",
    ]
    for sql in statements:
        db.execute(sql)


def _m003_driver_diagrams(db: Database) -> None:
    """Create ``driver_node`` and ``driver_link`` (a migration: never edit once released).

    Enum values are literal on purpose: a migration must do the same thing forever.
    """
    statements = [
        f"""CREATE TABLE driver_node (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            kind TEXT NOT NULL CHECK (kind IN
                ('aim', 'primary', 'secondary', 'tertiary', 'change_idea')),
            text TEXT NOT NULL DEFAULT '',
            sort_order REAL NOT NULL DEFAULT 0,
            pin_x REAL,
            pin_y REAL,
            category TEXT NOT NULL DEFAULT '',
            status TEXT CHECK (status IS NULL OR status IN
                ('idea', 'testing', 'adopted', 'adapted', 'abandoned', 'implemented', 'spread')),
            {RECORD_META_V1},
            CHECK ((pin_x IS NULL) = (pin_y IS NULL)),
            CHECK ((kind = 'change_idea') = (status IS NOT NULL)),
            CHECK (kind = 'aim' OR length(trim(text)) > 0)
        ) STRICT""",
        "CREATE INDEX driver_node_project ON driver_node (project_id)",
        f"""CREATE TABLE driver_link (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            from_id TEXT NOT NULL REFERENCES driver_node (id),
            to_id TEXT NOT NULL REFERENCES driver_node (id),
            strength TEXT NOT NULL CHECK (strength IN ('strong', 'weak')),
            {RECORD_META_V1},
            CHECK (from_id <> to_id)
        ) STRICT""",
        "CREATE INDEX driver_link_project ON driver_link (project_id)",
        "CREATE INDEX driver_link_from ON driver_link (from_id)",
        "CREATE INDEX driver_link_to ON driver_link (to_id)",
        f"""CREATE TABLE driver_measure_link (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            node_id TEXT NOT NULL REFERENCES driver_node (id),
            measure_id TEXT NOT NULL REFERENCES measure (id),
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX driver_measure_link_node ON driver_measure_link (node_id)",
        "CREATE INDEX driver_measure_link_measure ON driver_measure_link (measure_id)",
    ]
    for sql in statements:
        db.execute(sql)


def _m004_pdsa(db: Database) -> None:
    """Create the PDSA tables (a migration: never edit once released).

    Needs ``project``, ``measure`` and ``driver_node`` (migrations 1 to 3). Enum values are
    literal on purpose: a migration must do the same thing forever.
    """
    statements = [
        f"""CREATE TABLE pdsa_cycle (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            ramp_id TEXT NOT NULL CHECK (length(ramp_id) > 0),
            ramp_name TEXT NOT NULL CHECK (length(trim(ramp_name)) > 0),
            number INTEGER NOT NULL CHECK (number >= 1),
            previous_cycle_id TEXT REFERENCES pdsa_cycle (id),
            purpose TEXT NOT NULL CHECK (purpose IN ('collect', 'develop', 'test', 'implement')),
            owner TEXT NOT NULL DEFAULT '',
            {_date_v1("start_date")},
            {_date_v1("end_date")},
            status TEXT NOT NULL CHECK (status IN
                ('planned', 'running', 'studying', 'done', 'abandoned')),
            objective TEXT NOT NULL DEFAULT '',
            test_what TEXT NOT NULL DEFAULT '',
            test_who TEXT NOT NULL DEFAULT '',
            test_where TEXT NOT NULL DEFAULT '',
            test_when TEXT NOT NULL DEFAULT '',
            test_scale TEXT CHECK (test_scale IS NULL OR test_scale IN
                ('one_patient', 'one_shift', 'one_day', 'one_ward', 'larger')),
            test_scale_detail TEXT NOT NULL DEFAULT '',
            data_plan TEXT NOT NULL DEFAULT '',
            do_what_happened TEXT NOT NULL DEFAULT '',
            do_problems TEXT NOT NULL DEFAULT '',
            do_deviations TEXT NOT NULL DEFAULT '',
            study_improved TEXT CHECK (study_improved IS NULL OR study_improved IN
                ('yes', 'no', 'unclear')),
            study_summary TEXT NOT NULL DEFAULT '',
            act_decision TEXT CHECK (act_decision IS NULL OR act_decision IN
                ('adopt', 'adapt', 'abandon', 'scale_up', 'implement', 'spread')),
            act_next_steps TEXT NOT NULL DEFAULT '',
            {RECORD_META_V1},
            CHECK (previous_cycle_id IS NULL OR previous_cycle_id <> id),
            CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)
        ) STRICT""",
        "CREATE INDEX pdsa_cycle_project ON pdsa_cycle (project_id)",
        "CREATE INDEX pdsa_cycle_ramp ON pdsa_cycle (ramp_id)",
        f"""CREATE TABLE pdsa_question (
            id TEXT PRIMARY KEY NOT NULL,
            pdsa_id TEXT NOT NULL REFERENCES pdsa_cycle (id),
            sort_order INTEGER NOT NULL DEFAULT 0,
            question TEXT NOT NULL DEFAULT '',
            prediction TEXT NOT NULL DEFAULT '',
            reasoning TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL DEFAULT '',
            learning TEXT NOT NULL DEFAULT '',
            confirmed TEXT CHECK (confirmed IS NULL OR confirmed IN ('yes', 'partly', 'no')),
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX pdsa_question_cycle ON pdsa_question (pdsa_id)",
        f"""CREATE TABLE pdsa_task (
            id TEXT PRIMARY KEY NOT NULL,
            pdsa_id TEXT NOT NULL REFERENCES pdsa_cycle (id),
            sort_order INTEGER NOT NULL DEFAULT 0,
            task TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL DEFAULT '',
            {_date_v1("due")},
            done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX pdsa_task_cycle ON pdsa_task (pdsa_id)",
        f"""CREATE TABLE pdsa_change_idea (
            id TEXT PRIMARY KEY NOT NULL,
            pdsa_id TEXT NOT NULL REFERENCES pdsa_cycle (id),
            change_idea_id TEXT NOT NULL REFERENCES driver_node (id),
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX pdsa_change_idea_cycle ON pdsa_change_idea (pdsa_id)",
        "CREATE INDEX pdsa_change_idea_node ON pdsa_change_idea (change_idea_id)",
        f"""CREATE TABLE pdsa_measure (
            id TEXT PRIMARY KEY NOT NULL,
            pdsa_id TEXT NOT NULL REFERENCES pdsa_cycle (id),
            measure_id TEXT NOT NULL REFERENCES measure (id),
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX pdsa_measure_cycle ON pdsa_measure (pdsa_id)",
        "CREATE INDEX pdsa_measure_measure ON pdsa_measure (measure_id)",
    ]
    for sql in statements:
        db.execute(sql)


def _date_v2(column: str, *, required: bool = False) -> str:
    """An ISO date column (``YYYY-MM-DD``, a real calendar day). Frozen with the migration."""
    null = " NOT NULL" if required else ""
    return f"{column} TEXT{null} CHECK (date({column}, '+0 days') IS {column})"


def _m005_coaching(db: Database) -> None:
    """Create ``coaching_session``, ``coaching_action`` and ``story`` (a migration: never edit).

    Enum values are literal on purpose: a migration must do the same thing forever.
    """
    statements = [
        f"""CREATE TABLE coaching_session (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            {_date_v2("held_on", required=True)},
            coach TEXT NOT NULL DEFAULT '',
            attendees TEXT NOT NULL DEFAULT '[]' CHECK (attendees LIKE '[%]'),
            notes TEXT NOT NULL DEFAULT '',
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX coaching_session_project ON coaching_session (project_id)",
        f"""CREATE TABLE coaching_action (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            session_id TEXT NOT NULL REFERENCES coaching_session (id),
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            owner TEXT NOT NULL DEFAULT '',
            {_date_v2("due")},
            done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
            sort_order INTEGER NOT NULL DEFAULT 0,
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX coaching_action_session ON coaching_action (session_id)",
        "CREATE INDEX coaching_action_project ON coaching_action (project_id)",
        f"""CREATE TABLE story (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project (id),
            {_date_v2("told_on", required=True)},
            kind TEXT NOT NULL CHECK (kind IN ('staff', 'patient', 'team')),
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            text TEXT NOT NULL DEFAULT '',
            attachment TEXT,
            {RECORD_META_V1}
        ) STRICT""",
        "CREATE INDEX story_project ON story (project_id)",
    ]
    for sql in statements:
        db.execute(sql)


#: Every migration ever released, oldest first. Append only.
MIGRATIONS: tuple[Migration, ...] = (
    _m001_initial,
    _m002_measures,
    _m003_driver_diagrams,
    _m004_pdsa,
    _m005_coaching,
)

#: The schema version this qidesk writes (``PRAGMA user_version`` after all migrations).
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(db: Database) -> int:
    """The schema version recorded in the file header."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def pending(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """How many migrations the workspace still needs (0 when it is current)."""
    return max(0, len(migrations) - user_version(db))


def migrate(db: Database, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the pending ``migrations``, each in its own transaction; return the new version.

    The caller checks beforehand that the file is not newer than ``len(migrations)``.
    Raises whatever a migration raises, after rolling that migration back completely.
    """
    current = user_version(db)
    if current > len(migrations):
        raise ValueError(f"schema version {current} is newer than this code knows")
    for version in range(current + 1, len(migrations) + 1):
        with db.atomic():
            migrations[version - 1](db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
            db.execute(f"PRAGMA user_version = {version:d}")
    return user_version(db)
