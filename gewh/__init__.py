"""The warehouse around the extractor: discovery, staging, dbt, checks, publishing and the CLI."""
