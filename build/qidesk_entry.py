"""PyInstaller entry script for the frozen qidesk app (see build/qidesk.spec)."""

from qidesk.cli import main

raise SystemExit(main())
