"""Everything PySide6 and pyqtgraph. Nothing outside this package imports it."""
