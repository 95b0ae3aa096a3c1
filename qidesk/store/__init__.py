"""SQLite persistence: the one place that opens the database.

``database`` opens and creates workspaces (pragmas, lock, backups, checks), ``migrations``
holds the append-only schema history, ``records`` is the generic audited record writer and
``projects_repo`` converts project rows to and from :class:`qidesk.core.project.Project`.
"""
