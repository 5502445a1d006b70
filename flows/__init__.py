"""Prefect flows: orchestration only (no parsing, no SQL)."""
