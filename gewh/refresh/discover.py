"""Which files in the raw folder are new, changed, unchanged or gone since the last refresh."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from extract.pipeline import INPUT_SUFFIXES, REPORT_SUFFIXES, not_an_input, sha256_of


@dataclass(frozen=True)
class RawFile:
    source_path: str  # relative to the raw folder, with forward slashes
    path: Path
    sha256: str
    size: int
    # Why the entry is not read, when it is not (a link out of the raw folder, a dangling link, a pipe, a folder
    # named like a report): it is recorded as a failed document with that reason.
    refused: str | None = None
    # Why a file that is not named like an input, or a CSV that is not a status CSV, is not read: it is recorded as
    # a skipped document with that reason (never extracted), so nothing in the folder goes unmentioned.
    skipped: str | None = None


@dataclass
class Plan:
    files: list[RawFile] = field(default_factory=list)
    new: list[RawFile] = field(default_factory=list)
    changed: list[RawFile] = field(default_factory=list)
    unchanged: list[RawFile] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[RawFile]:
        return [raw for raw in self.files if raw.skipped]

    def to_extract(self, staged_hashes: set[str]) -> list[RawFile]:
        """Files whose content is not staged yet, once per content.

        Not just new and changed paths: a refresh killed mid-extraction has
        logged files as seen that were never staged, and a file that comes back
        after removal needs staging again.
        """
        seen: set[str] = set(staged_hashes)
        todo = []
        for raw in self.files:
            if raw.sha256 not in seen and not raw.skipped:
                seen.add(raw.sha256)
                todo.append(raw)
        return todo


def raw_folder_problem(raw_dir: Path) -> str | None:
    """Why a refresh of ``raw_dir`` stops before it reads anything (None: it goes on): the folder is missing, or it
    holds nothing `list_raw_files` would list.  An empty folder never publishes: a first refresh would publish an
    empty warehouse that shows nothing, and an unmounted share or an emptied folder would replace a published one
    with it.  The reason says how to add reports."""
    if not raw_dir.is_dir():
        return f"raw folder not found: {raw_dir}"
    if any(_listed(path) for path in raw_dir.rglob("*")):
        return None
    formats = ", ".join(sorted(REPORT_SUFFIXES))
    return (
        f"raw folder is empty: {raw_dir}: put reports ({formats}; recommendation-status updates as .csv) into it "
        "and refresh again, or run `gewh demo` (`make demo`) to see the warehouse built from sample reports"
    )


def _listed(path: Path) -> bool:
    """Whether `list_raw_files` lists ``path``: anything but hidden entries and plain folders."""
    return not path.name.startswith(".") and (path.is_file() or _not_a_file(path) is not None)


def list_raw_files(raw_dir: Path) -> list[RawFile]:
    """Every entry under ``raw_dir`` but folders and hidden files: the inputs, and the entries refused or skipped
    with the reason.  Nothing outside it is read: a link that leads out is listed refused (skipped, when it is not
    named like an input)."""
    files = []
    inside = raw_dir.resolve()
    for path in sorted(raw_dir.rglob("*")):
        if path.name.startswith("."):
            continue
        source_path = path.relative_to(raw_dir).as_posix()
        # An entry named like an input that cannot be read is a failed document; any other is only skipped.
        not_read = _refused if path.suffix.lower() in INPUT_SUFFIXES else _skipped
        if not path.is_file():
            unreadable = _not_a_file(path)
            if unreadable:
                files.append(not_read(source_path, path, unreadable))
            continue
        target = path.resolve()
        if not target.is_relative_to(inside):
            files.append(not_read(source_path, path, f"a link to {target}, outside the raw folder; not read"))
            continue
        skipped = not_an_input(path)
        if skipped:
            files.append(_skipped(source_path, path, skipped))
            continue
        files.append(RawFile(source_path=source_path, path=path, sha256=sha256_of(path), size=target.stat().st_size))
    return files


def _not_a_file(path: Path) -> str | None:
    """Why an entry that is not a file cannot be read (None for a folder, whose files are listed)."""
    if path.is_dir() and path.suffix.lower() not in INPUT_SUFFIXES:
        return None
    if path.is_symlink():
        return f"a link to {os.readlink(path)}, which leads to no file (missing, or a loop); not read"
    if path.is_dir():
        return "a folder named like a report (the files in it are read as usual)"
    return "not a regular file (a pipe, socket or device); not read"


def _refused(source_path: str, path: Path, reason: str) -> RawFile:
    # Its identity is the refusal, not content that is never read: the same link stays one failed document.
    identity = hashlib.sha256(f"refused {source_path}: {reason}".encode()).hexdigest()
    return RawFile(source_path=source_path, path=path, sha256=identity, size=0, refused=f"{source_path}: {reason}")


def _skipped(source_path: str, path: Path, reason: str) -> RawFile:
    # Like a refusal, its identity is the reason: the same unread file stays one skipped document, and its bytes
    # never share a document_id with a report that holds the same bytes under an input's name.
    identity = hashlib.sha256(f"skipped {source_path}: {reason}".encode()).hexdigest()
    return RawFile(source_path=source_path, path=path, sha256=identity, size=0, skipped=f"{source_path}: {reason}")


def plan_refresh(files: list[RawFile], known: dict[str, str]) -> Plan:
    """Compare the folder with the ingest log (source_path → sha256 of files present last time)."""
    plan = Plan(files=files)
    present = {f.source_path for f in files}
    for raw in files:
        previous = known.get(raw.source_path)
        if previous is None:
            plan.new.append(raw)
        elif previous != raw.sha256:
            plan.changed.append(raw)
        else:
            # Includes files that failed last time: same bytes, same failure (`--full` retries them).
            plan.unchanged.append(raw)
    plan.removed = sorted(path for path in known if path not in present)
    return plan
