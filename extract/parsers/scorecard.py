"""Parser for scorecard reports (to be written: see its issue)."""
