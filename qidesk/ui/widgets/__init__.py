"""Small reusable widgets shared by panels and dialogs (see each module docstring)."""
