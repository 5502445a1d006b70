"""Parser for inventory reports (to be written: see its issue)."""
