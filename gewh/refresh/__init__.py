"""The refresh pipeline's stages, in the order a refresh runs them.

`plan` (what changed since the last refresh, and whether the published warehouse is
already current) → `isolation` (one document's extraction in a limited child process)
→ `stage` (the staging database) → `transform` (dbt) → `validate` (Great Expectations)
→ `publish` (the writer lock and the atomic swap).  `run` holds one refresh together:
the lock, the stage announcements, the summary and the run history.  `uptodate`
settles a refresh with nothing to do without waiting for Prefect.  The flow that calls
these stages in turn is `flows.refresh.flow`.
"""
