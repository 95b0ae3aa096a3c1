"""Dialogs of the main window: about, workspace information, crash report, shortcuts, prompts."""
