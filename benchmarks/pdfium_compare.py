"""pdfium characters against pdfplumber's: identical records? how fast? (issue 17, item 4)

    PYTHONPATH=. .venv/bin/python benchmarks/pdfium_compare.py             # reference corpus + layout matrix
    PYTHONPATH=. .venv/bin/python benchmarks/pdfium_compare.py --corpus    # reference corpus only
    PYTHONPATH=. .venv/bin/python benchmarks/pdfium_compare.py --matrix    # layout matrix only
    PYTHONPATH=. .venv/bin/python benchmarks/pdfium_compare.py --speed     # both, and pages per CPU second (`speed`)

For every document: its records (and its report info) extracted with ``CHARACTER_SOURCE = "pdfplumber"`` (the reference) and with
``"pdfium"``; records identical (a multiset match, per staging table); CPU seconds of each extraction; the pages
pdfium read and the reasons it gave the others to pdfplumber; and on the pages pdfium read, how its characters
and words agree with pdfplumber's (text, x0, x1, top, bottom, fontname, size within 0.01 pt), and how its
drawn shapes (`pdfium_graphics`) agree with pdfplumber's rects, lines and curves.
The reference corpus is ../shared/corpus/{reconstructed,pdf}/*.pdf beside the worktree; the layout matrix is the
generated PDFs of tests/unit/test_layout_matrix.py, built into a temporary folder.
Writes benchmarks/results/pdfium_compare.{json,md} and prints the summaries.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfplumber.utils.text import WordExtractor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.document import pdf as reader  # noqa: E402
from extract.document import pdfium_chars, pdfium_graphics  # noqa: E402
from extract.pipeline import extract_file  # noqa: E402

FIELDS = ("text", "x0", "x1", "top", "bottom", "fontname", "size")
SHAPE_FIELDS = ("x0", "x1", "y0", "y1", "top", "bottom", "width", "height", "doctop")
SHAPE_KINDS = ("rect", "line", "curve")
TOLERANCE = 0.01
# pdfium keeps glyph widths as whole thousandths of the font size: positions drift a little along a text run.
WORD_TOLERANCE = 0.1


def corpus_pdfs() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus"
    return sorted((shared / "reconstructed").glob("*.pdf")) + sorted((shared / "pdf").glob("*.pdf"))


def matrix_pdfs(folder: Path) -> list[Path]:
    from samples import evaluation_pdf
    from samples.pdf_builder import LAYOUTS
    from tests.unit.test_layout_matrix import REPORT_TYPES, _cpe_shaped

    paths = []
    for kind, (make_spec, build_pdf, _) in REPORT_TYPES.items():
        for index, layout in enumerate(LAYOUTS):
            paths.append(build_pdf(make_spec(index), folder / f"{kind}-{index}-{layout.name}.pdf", layout))
    for layout in LAYOUTS:
        paths.append(evaluation_pdf.build_evaluation_pdf(_cpe_shaped(), folder / f"cpe-{layout.name}.pdf", layout))
    return paths


@contextmanager
def characters_from(source: str) -> Iterator[None]:
    """The reader takes every page's characters from ``source`` (`reader.PDFIUM` or `reader.PDFPLUMBER`) meanwhile."""
    before = reader.CHARACTER_SOURCE
    reader.CHARACTER_SOURCE = source
    try:
        yield
    finally:
        reader.CHARACTER_SOURCE = before


def records(path: Path, source: str) -> tuple[str, dict[str, list[str]], float]:
    start = time.process_time()
    try:
        with characters_from(source):
            extraction = extract_file(path)
    except Exception as error:  # noqa: BLE001 - an unreadable document: its error is its "record"
        return "error", {"error": [f"{type(error).__name__}: {error}"]}, time.process_time() - start
    seconds = time.process_time() - start
    rows = {
        table: [json.dumps(dataclasses.asdict(row), default=str, sort_keys=True) for row in found]
        for table, found in extraction.parsed.records.items()
    }
    # The report's own row (title, country, years), staged with its records.
    rows["report info"] = [json.dumps(dataclasses.asdict(extraction.parsed.info), default=str, sort_keys=True)]
    # What the parsers read: every body line (text, box, size, bold, links) and every table, as the reader made them.
    lines = [line for page in extraction.document.pages for line in page.lines]
    rows["(document lines)"] = [json.dumps(dataclasses.asdict(line), default=str, sort_keys=True) for line in lines]
    tables = extraction.document.tables
    rows["(document tables)"] = [json.dumps(dataclasses.asdict(table), default=str, sort_keys=True) for table in tables]
    return extraction.doc_type, rows, seconds


def char_agreement(path: Path) -> dict:
    """Per field, characters that agree on the pages pdfium reads; pages whose character count differs; words;
    the drawn shapes of those pages against pdfplumber's (kind, order, box: exact, within 0.001 pt, or further)."""
    document = pdfium_chars.open_document(path)
    fallbacks = pdfium_chars.Fallbacks()
    fields: Counter[str] = Counter()
    shapes: Counter[str] = Counter()
    compared = words_same = words_all = count_differs = 0
    examples: list[str] = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages):
            fast_page = document[index]
            chars, drawn = pdfium_chars.read_chars(fast_page, page, fallbacks)
            if chars is None:
                continue
            if drawn:
                shapes.update(shape_agreement(fast_page, drawn, page))
            mine = [c for c in chars if not c["text"].isspace()]
            theirs = [c for c in page.chars if not c["text"].isspace()]
            if len(mine) != len(theirs):
                count_differs += 1
                if len(examples) < 3:
                    examples.append(f"p{index + 1}: {len(theirs)} vs {len(mine)} non-space chars")
            else:
                compared += len(mine)
                for a, b in zip(theirs, mine, strict=True):
                    for field in FIELDS:
                        x, y = a[field], b[field]
                        same = abs(x - y) <= TOLERANCE if isinstance(x, float) else x == y
                        fields[field] += same
                        if not same and len(examples) < 8 and field != "x1":
                            examples.append(f"p{index + 1} {a['text']!r} {field}: {x!r} vs {y!r}")
            ref = WordExtractor().extract_words(page.chars)
            got = WordExtractor().extract_words(chars)
            words_all += len(ref)
            if [w["text"] for w in ref] == [w["text"] for w in got]:
                words_same += sum(
                    all(abs(a[f] - b[f]) <= WORD_TOLERANCE for f in ("x0", "x1", "top", "bottom"))
                    for a, b in zip(ref, got, strict=True)
                )
            elif len(examples) < 10:
                texts = [w["text"] for w in ref], [w["text"] for w in got]
                first = next((k for k, (a, b) in enumerate(zip(*texts, strict=False)) if a != b), 0)
                examples.append(f"p{index + 1} words: {texts[0][first : first + 4]} vs {texts[1][first : first + 4]}")
    document.close()
    return {
        "pdfium_pages": fallbacks.pdfium_pages,
        "pdfium_pages_with_graphics": fallbacks.with_graphics,
        "fallbacks": fallbacks.reasons,
        "pages_char_count_differs": count_differs,
        "chars_compared": compared,
        "chars_agree": {field: fields[field] for field in FIELDS},
        "words_identical": words_same,
        "words": words_all,
        "shapes": dict(shapes),
        "examples": examples,
    }


def shape_agreement(fast_page, drawn: list[pdfium_graphics.Drawn], page) -> Counter[str]:
    """The page's shapes from pdfium (`pdfium_graphics`) against pdfplumber's: per kind, whether the counts
    match; per shape, whether its box is exact, within 0.001 pt ("close") or further ("far")."""
    found = pdfium_graphics.page_shapes(fast_page, drawn, float(page.height), page.page_number, page.initial_doctop)
    counts: Counter[str] = Counter()
    for kind in SHAPE_KINDS:
        theirs, mine = page.objects.get(kind, []), found[kind]
        if len(theirs) != len(mine):
            counts["kinds with another count"] += 1
            continue
        for a, b in zip(theirs, mine, strict=True):
            apart = max(abs(a[field] - b[field]) for field in SHAPE_FIELDS)
            counts["exact" if apart == 0 else "close" if apart <= 1e-3 else "far"] += 1
    return counts


def compare(path: Path) -> dict:
    ref_type, ref, ref_seconds = records(path, reader.PDFPLUMBER)
    got_type, got, got_seconds = records(path, reader.PDFIUM)
    total = identical = 0
    differing: list[str] = []
    lines = tables = (0, 0)
    for table in sorted(set(ref) | set(got)):
        a, b = Counter(ref.get(table, [])), Counter(got.get(table, []))
        if table.startswith("("):
            same = (sum((a & b).values()), sum(a.values()))
            if table == "(document lines)":
                lines = same
            else:
                tables = same
            if a != b:
                differing.append(f"{table}: -{sum((a - b).values())} +{sum((b - a).values())}")
            continue
        total += sum(a.values())
        identical += sum((a & b).values())
        if a != b:
            differing.append(f"{table}: -{sum((a - b).values())} +{sum((b - a).values())}")
    return {
        "file": path.name,
        "doc_type": ref_type,
        "same_type": ref_type == got_type,
        "records": total,
        "identical": identical,
        "extra": sum(len(v) for k, v in got.items() if not k.startswith("(")) - identical,
        "lines_identical": lines,
        "tables_identical": tables,
        "differing_tables": differing,
        "cpu_pdfplumber": round(ref_seconds, 3),
        "cpu_pdfium": round(got_seconds, 3),
        **char_agreement(path),
    }


def summary(name: str, rows: list[dict]) -> str:
    docs_same = sum(1 for r in rows if r["same_type"] and r["identical"] == r["records"] and not r["extra"])
    recs = sum(r["records"] for r in rows)
    same = sum(r["identical"] for r in rows)
    plumber = sum(r["cpu_pdfplumber"] for r in rows)
    fast = sum(r["cpu_pdfium"] for r in rows)
    pages = sum(r["pdfium_pages"] for r in rows)
    graphics = sum(r["pdfium_pages_with_graphics"] for r in rows)
    shapes: Counter[str] = Counter()
    for r in rows:
        shapes.update(r["shapes"])
    reasons: Counter[str] = Counter()
    for r in rows:
        reasons.update(r["fallbacks"])
    chars = sum(r["chars_compared"] for r in rows)
    agree = {f: sum(r["chars_agree"][f] for r in rows) for f in FIELDS}
    words = sum(r["words"] for r in rows)
    words_same = sum(r["words_identical"] for r in rows)
    lines_same = [sum(r["lines_identical"][k] for r in rows) for k in (0, 1)]
    tables_same = [sum(r["tables_identical"][k] for r in rows) for k in (0, 1)]
    lines = [
        f"## {name}: {len(rows)} documents",
        f"documents with identical records: {docs_same} of {len(rows)}; records identical {same} of {recs}",
        f"document lines identical {lines_same[0]} of {lines_same[1]}, tables {tables_same[0]} of {tables_same[1]}",
        f"CPU s: pdfplumber {plumber:.2f}, pdfium {fast:.2f} (x{plumber / fast if fast else 0:.2f})",
        f"pages with pdfium characters: {pages} of {pages + sum(reasons.values())} ({graphics} with drawn shapes, "
        f"from pdfium's path objects); pdfplumber fallbacks: {dict(reasons)}",
        f"shapes on those pages against pdfplumber's: {shapes['exact']} exact, {shapes['close']} within 0.001 pt, "
        f"{shapes['far']} further; kinds (rect, line, curve) counted otherwise on a page: "
        f"{shapes['kinds with another count']}",
        f"chars compared {chars}: " + ", ".join(f"{f} {agree[f] / chars if chars else 0:.4f}" for f in FIELDS),
        f"words identical (text, box within {WORD_TOLERANCE} pt): {words_same} of {words}",
    ]
    for r in rows:
        mark = "=" if r["same_type"] and r["identical"] == r["records"] and not r["extra"] else "≠"
        lines.append(
            f"{mark} {r['file']}: {r['identical']}/{r['records']} (+{r['extra']}) "
            f"{r['cpu_pdfplumber']:.2f}s→{r['cpu_pdfium']:.2f}s pages pdfium {r['pdfium_pages']} "
            f"words {r['words_identical']}/{r['words']} {'; '.join(r['differing_tables'])}"
        )
    return "\n".join(lines)


def bare_pdfplumber(path: Path) -> tuple[int, float]:
    """Pages and CPU seconds of pdfplumber alone: every page's characters, words and tables (default settings)."""
    start = time.process_time()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.find_tables()
        pages = len(pdf.pages)
    return pages, time.process_time() - start


def extraction_seconds(paths: list[Path], source: str) -> float:
    """CPU seconds of this process extracting ``paths`` with characters from ``source``."""
    start = time.process_time()
    with characters_from(source):
        for path in paths:
            try:
                extract_file(path)
            except Exception:  # noqa: BLE001 - an unreadable document costs what it costs
                continue
    return time.process_time() - start


def speed(paths: list[Path]) -> dict:
    """Pages per CPU second: pdfplumber alone, the project's extraction with each character source on one core,
    and with pdfium characters in two processes sharing the documents (half the pages each, as near as
    whole documents allow).  Two processes are measured by the CPU seconds of the busier one, the time two
    free cores would take: the machine's cores are shared, so wall time would measure the neighbours."""
    bare = [bare_pdfplumber(path) for path in paths]
    pages = sum(count for count, _ in bare)
    bare_seconds = sum(seconds for _, seconds in bare)
    plumber_seconds = extraction_seconds(paths, reader.PDFPLUMBER)
    pdfium_seconds = extraction_seconds(paths, reader.PDFIUM)
    halves: tuple[list[Path], list[Path]] = ([], [])
    loads = [0, 0]
    for path, (count, _) in sorted(zip(paths, bare, strict=True), key=lambda item: -item[1][0]):
        lighter = loads.index(min(loads))
        halves[lighter].append(path)
        loads[lighter] += count
    with multiprocessing.get_context("fork").Pool(2) as pool:
        per_process = pool.starmap(extraction_seconds, [(half, reader.PDFIUM) for half in halves])
    one_core = pages / pdfium_seconds
    two = pages / max(per_process)
    return {
        "documents": len(paths),
        "pages": pages,
        "cpu_bare_pdfplumber": round(bare_seconds, 2),
        "cpu_project_pdfplumber": round(plumber_seconds, 2),
        "cpu_project_pdfium": round(pdfium_seconds, 2),
        "cpu_two_processes": [round(seconds, 2) for seconds in per_process],
        "pages_per_cpu_s": {
            "bare pdfplumber": round(pages / bare_seconds, 2),
            "project, pdfplumber characters": round(pages / plumber_seconds, 2),
            "project, pdfium characters": round(one_core, 2),
            "project, pdfium characters, two processes": round(two, 2),
        },
        "project_pdfium_vs_bare_pdfplumber": round(one_core / (pages / bare_seconds), 2),
        "project_pdfium_vs_project_pdfplumber": round(plumber_seconds / pdfium_seconds, 2),
        "two_processes_vs_one": round(two / one_core, 2),
    }


def machine() -> str:
    """The machine and software the numbers were measured with."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}" for name in ("pdfplumber", "pdfminer.six", "pypdfium2")
    )
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {versions}; commit {commit.strip()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--matrix", action="store_true")
    parser.add_argument("--only", help="a substring of the file names to compare")
    parser.add_argument("--speed", action="store_true", help="pages per CPU second on the reference corpus too")
    args = parser.parse_args()
    both = not (args.corpus or args.matrix)
    results: dict[str, object] = {"machine": machine()}
    report = [
        f"# pdfium characters against pdfplumber's\n\nMeasured on {results['machine']}; times are CPU seconds.",
        "```",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        sets = {}
        if args.corpus or both:
            sets["reference corpus"] = corpus_pdfs()
        if args.matrix or both:
            sets["layout matrix"] = matrix_pdfs(Path(tmp))
        for name, paths in sets.items():
            chosen = [p for p in paths if not args.only or args.only in p.name]
            rows = results[name] = [compare(p) for p in chosen]
            report.append(summary(name, rows))
            print(report[-1], flush=True)
    if args.speed:
        results["speed"] = measured = speed(corpus_pdfs())
        report.append("## speed on the reference corpus\n" + json.dumps(measured, indent=1))
        print(report[-1], flush=True)
    report.append("```")
    out = ROOT / "benchmarks" / "results" / "pdfium_compare"
    out.with_suffix(".json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    out.with_suffix(".md").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
