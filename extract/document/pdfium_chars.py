"""A page's characters from pypdfium2, as the char dicts pdfplumber would build (issue 17, item 4).

pdfplumber spends most of its extraction time building page objects from pdfminer's layout; pdfium reads a
page's text many times faster.  This module gives, for a page that pdfium can read faithfully, the character
dicts the reader needs (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``doctop``, ``fontname``, ``size``,
``upright``, ...), with pdfminer's geometry rather than pdfium's glyph boxes:

- x0 is the glyph origin and x1 the origin plus the glyph's advance width (not pdfium's tight box, which hugs
  the ink and so changes the gaps that split words, nor its loose one, which takes in ink beyond the advance);
- the box runs from the font's descent below the baseline to one font size above it, as pdfminer's does
  (pdfium's loose box spans ascent to descent instead); the descent of a standard-14 font is pdfminer's;
- ``size`` is the font size times the text matrix's vertical scale.

A page is not read by pdfium (``None`` with the reason) when that geometry cannot be trusted: a rotated page,
a crop or media box not at the origin, text that is not upright (on the page or in a form drawn turned);
nor when its text may read differently: a character that pdfminer's decoding of its font could not give or that
pdfium may have read by the font's encoding where the ToUnicode map, which pdfminer follows, says otherwise (see
`Decoding`).  pdfminer reads glyphs and ignores a marked-content ActualText, which pdfium's text page reads instead
(all its letters at the text object's position): the page's ActualText marks are dropped from pdfium's copy of
the page before its text is read, so both read the glyphs.
Pages with drawn paths or forms may hold ruled tables: their shapes come from pdfium's path objects too
(`pdfium_graphics`).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as c
from pdfminer.cmapdb import IdentityUnicodeMap
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdffont import PDFFont, PDFSimpleFont
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import literal_name

# Why a page is read by pdfplumber instead; the counts are reported by the comparison harness.
ROTATED = "rotated page"
OFFSET_BOX = "media box not at the origin or crop box differs"
NOT_UPRIGHT = "text not upright or skewed"
NO_FONT = "character without a font"
UNKNOWN_FONT = "font not in the page's resources or unreadable by pdfminer"
DECODING = "a character pdfminer's decoding of its font would not give"
DISPUTED = "a character the font's encoding gives for a code its ToUnicode map reads otherwise"


@dataclass
class _Font:
    name: str
    descent: float  # per unit of font size, in text space (pdfminer: descriptor Descent / 1000)
    decoding: Decoding
    handle: object = None
    widths: dict[int, float] = field(default_factory=dict)  # advance per unit of font size, by code point

    def advance(self, code: int) -> float:
        """The glyph's advance width per unit of font size (0.0 when pdfium cannot tell)."""
        width = self.widths.get(code)
        if width is None:
            found = ctypes.c_float()
            ok = c.FPDFFont_GetGlyphWidth(self.handle, code, ctypes.c_float(1000.0), ctypes.byref(found))
            width = self.widths[code] = found.value / 1000.0 if ok else 0.0
        return width


@dataclass
class Fallbacks:
    """How many pages each reason sent to pdfplumber."""

    reasons: dict[str, int] = field(default_factory=dict)
    pdfium_pages: int = 0
    # Of the pdfium pages, those with drawn paths or forms (their shapes read too, see `pdfium_graphics`).
    with_graphics: int = 0

    def add(self, reason: str | None, paths: bool = False) -> None:
        if reason is None:
            self.pdfium_pages += 1
            self.with_graphics += paths
        else:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


def open_document(path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(str(path))


def page_reason(page: pdfium.PdfPage) -> tuple[str | None, bool]:
    """Why pdfium's characters of ``page`` may not match pdfplumber's (None when they may be used), and whether
    the page has drawn paths, in its forms too (shapes to read); the text objects' ActualText marks are dropped
    on the way.  Forms may be drawn at any size: pdfium's text page and `pdfium_graphics` take in their
    matrices, and text a form turns is not upright (`NOT_UPRIGHT`)."""
    if page.get_rotation() % 360:
        return ROTATED, False
    media = page.get_mediabox()
    if media[0] or media[1] or tuple(page.get_cropbox()) != tuple(media):
        return OFFSET_BOX, False
    raw = page.raw
    return None, _prepare(c.FPDFPage_GetObject(raw, index) for index in range(c.FPDFPage_CountObjects(raw)))


def _prepare(objects) -> bool:
    """Whether the page objects ``objects``, or the forms among them, hold drawn paths; their text objects' ActualText
    marks are dropped on the way."""
    paths = False
    for obj in objects:
        kind = c.FPDFPageObj_GetType(obj)
        if kind == c.FPDF_PAGEOBJ_TEXT:
            _drop_actual_text(obj)
        elif kind == c.FPDF_PAGEOBJ_FORM:
            count = c.FPDFFormObj_CountObjects(obj)
            paths = _prepare(c.FPDFFormObj_GetObject(obj, index) for index in range(count)) or paths
        elif kind == c.FPDF_PAGEOBJ_PATH:
            paths = True
    return paths


def _drop_actual_text(obj) -> None:
    """Remove from the text object the marked-content sequences that give its ActualText: pdfium's text page
    would read that instead of the glyphs, all its letters at one position; pdfminer reads the glyphs."""
    for index in reversed(range(c.FPDFPageObj_CountMarks(obj))):
        mark = c.FPDFPageObj_GetMark(obj, index)
        if c.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != c.FPDF_OBJECT_UNKNOWN:
            c.FPDFPageObj_RemoveMark(obj, mark)


def read_chars(page: pdfium.PdfPage, plumbed, fallbacks: Fallbacks) -> tuple[list[dict] | None, bool]:
    """`page_chars` of the pages `page_reason` lets pdfium read (None for the others, their reason counted in
    ``fallbacks``), and whether the page has shapes to read (drawn paths or forms)."""
    reason, paths = page_reason(page)
    chars = None
    if reason is None:
        chars, reason = page_chars(page, plumbed)
    fallbacks.add(reason, paths)
    return chars, paths


@dataclass
class Decoding:
    """What pdfminer's decoding of one font (or of the fonts pdfium names alike on a page) can give.

    ``full_name`` is pdfminer's font name (with the subset tag pdfium drops from simple fonts), None when two fonts
    that pdfium names alike differ in it; ``values`` every text pdfminer gives one of the font's glyphs (None when
    any code point may be, as with an identity map); ``disputed`` what the encoding gives for codes whose ToUnicode
    entry says otherwise: pdfium reads a few such entries (U+FFFF) by the encoding, where pdfminer follows the map.
    The map's own texts are not disputed: pdfium gives them only where it follows the map, as pdfminer does."""

    full_name: str | None
    values: set[str] | None
    disputed: set[str]

    def joined(self, other: Decoding) -> Decoding:
        values = None if self.values is None or other.values is None else self.values | other.values
        name = self.full_name if self.full_name == other.full_name else None
        return Decoding(name, values, self.disputed | other.disputed)


def font_decoding(font: PDFFont, full_name: str) -> Decoding:
    """What pdfminer's decoding of ``font`` (named ``full_name``) can give."""
    mapped = getattr(font, "unicode_map", None)  # simple and CID fonts have one, the base class does not
    if isinstance(mapped, IdentityUnicodeMap):
        return Decoding(full_name, None, set())
    from_map = dict(mapped.cid2unichr) if mapped is not None else {}
    values = set(from_map.values())
    disputed: set[str] = set()
    if isinstance(font, PDFSimpleFont):
        for cid, text in font.cid2unicode.items():
            mapped_text = from_map.get(cid)
            if mapped_text is None:
                values.add(text)
            elif mapped_text != text and len(mapped_text) == 1:
                disputed.add(text)
    return Decoding(full_name, values, disputed)


def page_decodings(plumbed) -> dict[str, Decoding] | None:
    """The decoding of each font of the pdfplumber page ``plumbed`` and of its form XObjects, by the names pdfium
    may give it (the base font name, and for a subset its name without the tag); None when pdfminer cannot read
    one."""
    found: dict[str, Decoding] = {}
    try:
        for ref in _font_refs(plumbed.page_obj.resources, set()):
            spec = resolve1(ref)
            base = resolve1(spec.get("BaseFont"))
            full = literal_name(base) if base is not None else ""
            objid = ref.objid if isinstance(ref, PDFObjRef) else None
            decoding = font_decoding(plumbed.pdf.rsrcmgr.get_font(objid, spec), full)
            names = {full, full[7:]} if len(full) > 7 and full[6] == "+" else {full}
            for name in names:
                known = found.get(name)
                found[name] = decoding if known is None else known.joined(decoding)
    except Exception:  # noqa: BLE001 - a font pdfminer cannot read: the page is pdfplumber's
        return None
    return found


def _font_refs(resources, seen: set[int]) -> list:
    """The font references of ``resources`` and of the resources of the forms they hold (each form once)."""
    resources = resolve1(resources) or {}
    refs = list((resolve1(resources.get("Font")) or {}).values())
    for ref in (resolve1(resources.get("XObject")) or {}).values():
        xobject = resolve1(ref)
        if not isinstance(xobject, PDFStream) or literal_name(xobject.get("Subtype")) != "Form":
            continue
        if isinstance(ref, PDFObjRef):
            if ref.objid in seen:
                continue
            seen.add(ref.objid)
        refs += _font_refs(xobject.get("Resources"), seen)
    return refs


def _font(font, decodings: dict[str, Decoding]) -> _Font | None:
    """pdfium's ``font`` with its pdfminer decoding, None when the page's resources do not name it."""
    size = c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    c.FPDFFont_GetBaseFontName(font, buffer, size)
    descent = ctypes.c_float()
    c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), ctypes.byref(descent))
    name = buffer.value.decode("utf-8", "replace")
    decoding = decodings.get(name)
    if decoding is None:
        return None
    name = decoding.full_name or name
    if name in FONT_METRICS:
        # pdfminer reads a standard-14 font's metrics from its own AFM tables, whatever the PDF says; pdfium from
        # the font it substitutes (Helvetica's descent: -207 against pdfium's -190).
        standard = FONT_METRICS[name][0].get("Descent", 0)
        assert isinstance(standard, int | float)
        return _Font(name, standard / 1000.0, decoding, font)
    return _Font(name, descent.value / 1000.0, decoding, font)


def page_chars(page: pdfium.PdfPage, plumbed) -> tuple[list[dict] | None, str | None]:
    """``page``'s characters as the char dicts of ``plumbed`` (its pdfplumber page) would be, or (None, reason)
    when pdfium cannot give them faithfully (`page_reason` says which pages to ask at all)."""
    decodings = page_decodings(plumbed)
    if decodings is None:
        return None, UNKNOWN_FONT
    height = float(page.get_height())
    textpage = c.FPDFText_LoadPage(page.raw)
    try:
        return _chars(textpage, height, plumbed.page_number, plumbed.initial_doctop, decodings)
    finally:
        c.FPDFText_ClosePage(textpage)


# pdfium splits a ligature glyph into its letters, all at the glyph's origin; pdfminer keeps one character.
_LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "st": "\ufb06"}

# Generated characters that stand for a word break: a space, a line break.
_BREAKS = (0x20, 0x0D, 0x0A)
# pdfplumber's words: characters less than this far apart vertically are on one line (its y_tolerance).
_SAME_LINE = 3.0
# pdfium reports a hyphen that ends a line as U+0002 (its glyph's own code is not told): read as "-".
_LINE_END_HYPHEN = 0x02


def _as_address(function, *argtypes):
    """A copy of pdfium's ``function`` taking and giving handles as plain addresses (ints): casting each pointer
    pypdfium2 returns to an address costs more than the call itself, and a page asks once per character."""
    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.argtypes = argtypes
    copy.restype = ctypes.c_void_p
    return copy


_text_object = _as_address(c.FPDFText_GetTextObject, c.FPDF_TEXTPAGE, ctypes.c_int)
_object_font = _as_address(c.FPDFTextObj_GetFont, ctypes.c_void_p)


@dataclass
class _Run:
    """What the characters of one text object share: their font, matrix and size."""

    font: _Font
    matrix: tuple[float, float, float, float, float, float]
    font_size: float


def _run(textpage, index: int, address: int, fonts: dict[int, _Font], decodings) -> _Run | str:
    """The run of the text object at ``address`` (its first character at ``index``), or why pdfium's
    characters of the page cannot be used."""
    matrix = c.FS_MATRIX()
    c.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return NOT_UPRIGHT
    handle = _object_font(address)
    if not handle:
        return NO_FONT
    # By font too: some producers make each glyph a text object of its own.
    font = fonts.get(handle)
    if font is None:
        made = _font(ctypes.cast(handle, c.FPDF_FONT), decodings)
        if made is None:
            return UNKNOWN_FONT
        font = fonts[handle] = made
    matrix_values = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
    return _Run(font, matrix_values, c.FPDFText_GetFontSize(textpage, index))


def _chars(
    textpage, height: float, page_number: int, initial_doctop: float, decodings: dict[str, Decoding]
) -> tuple[list[dict] | None, str | None]:
    runs: dict[int, _Run] = {}
    fonts: dict[int, _Font] = {}
    chars: list[dict] = []
    # For each character: its run, its baseline, and the letters pdfium gave for its glyph.
    char_runs: list[_Run | None] = []
    baselines: list[float] = []
    letters: list[str] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin = ctypes.byref(ox), ctypes.byref(oy)
    box = c.FS_RECTF()
    space_pending = False
    last_address = None
    for index in range(c.FPDFText_CountChars(textpage)):
        code = c.FPDFText_GetUnicode(textpage, index)
        if c.FPDFText_IsGenerated(textpage, index):
            # pdfium drops some space glyphs of the content stream and puts a space of its own in their place
            # (at a position of its own): the word break is kept, at the gap, when the next glyph is on the line.
            space_pending = space_pending or code in _BREAKS
            continue
        if code == _LINE_END_HYPHEN:
            code = 0x2D
        address = _text_object(textpage, index)
        c.FPDFText_GetCharOrigin(textpage, index, *origin)
        if chars and address == last_address and ox.value == chars[-1]["x0"] and oy.value == baselines[-1]:
            # A letter of a ligature: one character for the glyph, as pdfminer reads it.
            last = chars[-1]
            letters[-1] += chr(code)
            # A ToUnicode map may give the glyph as its letters (pdfminer's text then) or as the ligature.
            known = runs[address].font.decoding.values
            glyph = letters[-1]
            last["text"] = glyph if known is not None and glyph in known else _LIGATURES.get(glyph, glyph)
            c.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(box))
            last["x1"] = float(box.right)
            last["adv"] = last["width"] = last["x1"] - last["x0"]
            continue
        if char_runs and (misread := _misread(chars[-1], char_runs[-1])):
            return None, misread
        run = runs.get(address or 0)
        if run is None:
            found = _run(textpage, index, address or 0, fonts, decodings)
            if isinstance(found, str):
                return None, found
            run = runs[address or 0] = found
        last_address = address
        font = run.font
        a, d = run.matrix[0], run.matrix[3]
        size = run.font_size * d
        y0 = oy.value + font.descent * size
        y1 = y0 + size
        x0 = ox.value
        # The glyph's advance, as pdfminer's box has it; pdfium's loose box takes in ink beyond it (an "f").
        advance = font.advance(code) * run.font_size * a
        if advance <= 0:
            c.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(box))
            advance = float(box.right) - x0
        x1 = x0 + advance
        top = height - y1
        if space_pending and chars and abs(chars[-1]["top"] - top) < _SAME_LINE and x0 >= chars[-1]["x0"]:
            # pdfium also drops the space glyph that ends a text object when the next one starts a little
            # higher or lower (a line break to pdfium, one line to pdfplumber): the word break is kept too.
            before = chars[-1]
            at = min(before["x1"], x0)
            chars.append({**before, "text": " ", "x0": at, "x1": at, "adv": 0.0, "width": 0.0})
            char_runs.append(None)
            baselines.append(baselines[-1])
            letters.append(" ")
        space_pending = False
        chars.append(
            {
                "object_type": "char",
                "page_number": page_number,
                "text": chr(code),
                "fontname": font.name,
                "size": size,
                "adv": x1 - x0,
                "upright": True,
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y1,
                "top": top,
                "bottom": height - y0,
                "doctop": initial_doctop + top,
                "width": x1 - x0,
                "height": size,
                "matrix": run.matrix,
            }
        )
        char_runs.append(run)
        baselines.append(oy.value)
        letters.append(chr(code))
    if char_runs and (misread := _misread(chars[-1], char_runs[-1])):
        return None, misread
    return chars, None


def _misread(char: dict, run: _Run | None) -> str | None:
    """Why pdfminer may read the glyph of a finished ``char`` (its ligature's letters all in) otherwise, if it
    may; a word break pdfium dropped (no run) stands for a space glyph pdfminer reads as one."""
    if run is None:
        return None
    known, text = run.font.decoding.values, char["text"]
    if known is not None and text not in known:
        return DECODING
    if text in run.font.decoding.disputed:
        return DISPUTED
    return None
