"""Qt item models: thin adapters over plain Python values from ``qidesk.core``."""
