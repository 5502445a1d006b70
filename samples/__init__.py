"""Report PDFs the project generates itself: the sample corpus of `gewh demo`, and what the tests and benchmarks build."""
