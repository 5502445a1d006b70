"""`python -m gewh.prefect_server [uvicorn's options]`: uvicorn's command line, as `python -m uvicorn` runs it, in a
process that has imported Prefect's server application (what `--factory` names) and uvicorn inside
`gewh.heap.importing`: that import is most of the server's start-up, 1.7 CPU s rather than 2.4."""

from __future__ import annotations

if __name__ == "__main__":
    from gewh.heap import importing

    with importing():
        import prefect.server.api.server  # noqa: F401  (imported here, so that uvicorn finds it imported)
        import uvicorn

    uvicorn.main()
