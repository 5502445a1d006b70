"""Broken files of every kind the refresh must survive, written by the tests themselves."""

from __future__ import annotations

import random
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from samples.pdf_builder import Heading, Para, ReportSpec, build_pdf


def good_pdf(path: Path, title: str = "Annual report on something, 2024") -> Path:
    spec = ReportSpec("Some UN body — 2024", [Heading(title), Para("Text about programmes in Ghana. " * 40)])
    return build_pdf(spec, path)


def zero_byte(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def not_a_pdf(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is a zip archive renamed to .pdf\n" * 20)
    return path


def truncated_pdf(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def encrypted_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    pdf.drawString(72, 720, "Confidential evaluation report")
    pdf.showPage()
    pdf.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """Pages with drawings but no text layer, like a scan."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        pdf.rect(50, 50, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def pathological_pdf(path: Path, objects: int = 1_000_000) -> Path:
    """One page carrying ``objects`` tiny characters: legal, small on disk (13 kB), very slow to lay out and large
    in memory (a million: ~18 CPU s and ~1.1 GB with pdfium's characters on a 2-core EPYC)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 1)
    text = pdf.beginText()
    per_line = 500
    for row in range(objects // per_line):
        text.setTextOrigin(10, 830 - (row % 800))
        text.textLine("x" * per_line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return path


# How a file gets damaged on its way: a flipped bit, a transfer cut short, bytes inserted or lost, a block zeroed.
FUZZ_MUTATIONS = ("flip_bits", "truncate", "insert_bytes", "drop_bytes", "zero_block")


def fuzzed_pdf(path: Path, source: Path, rng: random.Random) -> tuple[Path, str]:
    """A damaged copy of ``source`` (one mutation drawn from ``rng``, so a seed gives the same files every run),
    and the mutation's name."""
    data = bytearray(source.read_bytes())
    mutation = rng.choice(FUZZ_MUTATIONS)
    # Never the first bytes: a file that no longer starts with %PDF is the not_a_pdf case.
    at = rng.randrange(16, len(data))
    if mutation == "flip_bits":
        for offset in rng.sample(range(16, len(data)), rng.randint(1, 8)):
            data[offset] ^= 1 << rng.randrange(8)
    elif mutation == "truncate":
        del data[at:]
    elif mutation == "insert_bytes":
        data[at:at] = rng.randbytes(rng.randint(1, 64))
    elif mutation == "drop_bytes":
        del data[at : at + rng.randint(1, 64)]
    else:
        data[at : at + 256] = bytes(len(data[at : at + 256]))
    path.write_bytes(bytes(data))
    return path, mutation
