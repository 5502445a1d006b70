"""The `refresh` flow (`flow.py`) and its command-line alias `python -m flows.refresh` (`__main__.py`).

Nothing is imported here: `python -m flows.refresh` imports this package before its
`__main__`, and that must apply the offline environment before anything loads Prefect.
"""
