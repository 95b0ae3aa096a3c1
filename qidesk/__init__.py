"""qidesk: an offline desktop application for healthcare quality-improvement teams."""

__version__ = "0.1.0"
