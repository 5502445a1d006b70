"""PDFs written object by object, for tests that need content streams the sample generators never write."""

from __future__ import annotations

from pathlib import Path


def stream(content: bytes, entries: bytes = b"") -> bytes:
    """A stream object: its dictionary's ``entries`` and its ``Length``, then ``content``."""
    return b"<< %s /Length %d >>\nstream\n" % (entries, len(content)) + content + b"\nendstream"


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of ``objects``, numbered from 1 (the first is the catalog), with its cross-reference table."""
    pdf = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(pdf))
    return path
