"""Great Expectations: suites declared in `expectations.suites`, run from the file-backed context in `gx/`."""
