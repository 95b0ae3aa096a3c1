"""PDSA cycles in the GUI: the editor, the ramp view, undo commands and the worksheet PDF."""
