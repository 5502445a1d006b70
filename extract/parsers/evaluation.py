"""Parser for evaluation reports (to be written: see its issue)."""
