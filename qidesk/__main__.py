"""Entry point for ``python -m qidesk`` and for the frozen build."""

from qidesk.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
