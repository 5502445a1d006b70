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
a crop or media box not at the origin, text that is not upright (on the page or in a form drawn turned) or set in
a font written top to bottom (pdfminer boxes its glyphs by the font's vertical metrics);
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

from extract.document import pdfium_calls as calls
from extract.document.pdfium_graphics import Drawn

# Why a page is read by pdfplumber instead; the counts are reported by the comparison harness.
ROTATED = "rotated page"
OFFSET_BOX = "media box not at the origin or crop box differs"
NOT_UPRIGHT = "text not upright or skewed"
VERTICAL = "text in a font written top to bottom"
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
    # Of the pdfium pages, those with drawn paths, in their forms too (their shapes read too, `pdfium_graphics`).
    with_graphics: int = 0

    def add(self, reason: str | None, paths: bool = False) -> None:
        if reason is None:
            self.pdfium_pages += 1
            self.with_graphics += paths
        else:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


def open_document(path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(str(path))


def page_reason(page: pdfium.PdfPage) -> tuple[str | None, list[Drawn]]:
    """Why pdfium's characters of ``page`` may not match pdfplumber's (None when they may be used), and its drawn
    paths, in its forms too (the shapes `pdfium_graphics` reads, found in the same walk over the page's objects);
    the text objects' ActualText marks are dropped on the way.  Forms may be drawn at any size: pdfium's text page
    and `pdfium_graphics` take in their matrices, and text a form turns is not upright (`NOT_UPRIGHT`)."""
    if page.get_rotation() % 360:
        return ROTATED, []
    media = page.get_mediabox()
    if media[0] or media[1] or tuple(page.get_cropbox()) != tuple(media):
        return OFFSET_BOX, []
    drawn: list[Drawn] = []
    _prepare(calls.page_objects(page), (), drawn)
    return None, drawn


def _prepare(objects: list[int], forms: tuple[int, ...], drawn: list[Drawn]) -> None:
    """Add to ``drawn`` the path objects among the page objects at the addresses ``objects`` (drawn in the forms
    ``forms``), and those in the forms among them; drop their text objects' ActualText marks."""
    for obj in objects:
        kind = calls.object_type(obj)
        if kind == c.FPDF_PAGEOBJ_TEXT:
            if calls.mark_count(obj):
                _drop_actual_text(ctypes.cast(obj, c.FPDF_PAGEOBJECT))
        elif kind == c.FPDF_PAGEOBJ_FORM:
            _prepare(calls.form_objects(obj), (*forms, obj), drawn)
        elif kind == c.FPDF_PAGEOBJ_PATH:
            drawn.append((obj, forms))


def _drop_actual_text(obj) -> None:
    """Remove from the text object the marked-content sequences that give its ActualText: pdfium's text page
    would read that instead of the glyphs, all its letters at one position; pdfminer reads the glyphs."""
    for index in reversed(range(c.FPDFPageObj_CountMarks(obj))):
        mark = c.FPDFPageObj_GetMark(obj, index)
        if c.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != c.FPDF_OBJECT_UNKNOWN:
            c.FPDFPageObj_RemoveMark(obj, mark)


def read_chars(page: pdfium.PdfPage, plumbed, fallbacks: Fallbacks) -> tuple[list[dict] | None, list[Drawn]]:
    """`page_chars` of the pages `page_reason` lets pdfium read (None for the others, their reason counted in
    ``fallbacks``), and the page's drawn paths (`page_reason`)."""
    reason, drawn = page_reason(page)
    chars = None
    if reason is None:
        chars, reason = page_chars(page, plumbed)
    fallbacks.add(reason, bool(drawn))
    return chars, drawn


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
    vertical: bool = False  # written top to bottom: pdfminer's boxes then follow the font's vertical metrics

    def joined(self, other: Decoding) -> Decoding:
        values = None if self.values is None or other.values is None else self.values | other.values
        name = self.full_name if self.full_name == other.full_name else None
        return Decoding(name, values, self.disputed | other.disputed, self.vertical or other.vertical)


def font_decoding(font: PDFFont, full_name: str) -> Decoding:
    """What pdfminer's decoding of ``font`` (named ``full_name``) can give."""
    mapped = getattr(font, "unicode_map", None)  # simple and CID fonts have one, the base class does not
    if isinstance(mapped, IdentityUnicodeMap):
        return Decoding(full_name, None, set(), font.is_vertical())
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
    return Decoding(full_name, values, disputed, font.is_vertical())


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


@dataclass
class _Run:
    """What the characters of one text object share: their font, matrix and font size; and, worked out once,
    their size on the page, how far their boxes reach below the baseline, and what turns a glyph's advance per
    unit of font size into points."""

    font: _Font
    matrix: tuple[float, float, float, float, float, float]
    font_size: float
    size: float = field(init=False)
    descent: float = field(init=False)
    scale: float = field(init=False)

    def __post_init__(self) -> None:
        self.size = self.font_size * self.matrix[3]
        self.descent = self.font.descent * self.size
        self.scale = self.font_size * self.matrix[0]


def _run(page: int, index: int, address: int, fonts: dict[int, _Font], decodings, matrix: c.FS_MATRIX) -> _Run | str:
    """The run of the text object at ``address`` (its first character at ``index`` on the text page at the
    address ``page``), or why pdfium's characters of the page cannot be used (``matrix`` receives its matrix)."""
    calls.char_matrix(page, index, ctypes.addressof(matrix))
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
        return NOT_UPRIGHT
    handle = calls.object_font(address)
    if not handle:
        return NO_FONT
    # By font too: some producers make each glyph a text object of its own.
    font = fonts.get(handle)
    if font is None:
        made = _font(ctypes.cast(handle, c.FPDF_FONT), decodings)
        if made is None:
            return UNKNOWN_FONT
        font = fonts[handle] = made
    if font.decoding.vertical:
        return VERTICAL
    matrix_values = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
    return _Run(font, matrix_values, calls.font_size(page, index))


def _chars(
    textpage, height: float, page_number: int, initial_doctop: float, decodings: dict[str, Decoding]
) -> tuple[list[dict] | None, str | None]:
    runs: dict[int, _Run] = {}
    fonts: dict[int, _Font] = {}
    chars: list[dict] = []
    # Each character's run (None for a word break pdfium dropped); the last glyph's letters and baseline.
    char_runs: list[_Run | None] = []
    letters = ""
    baseline = 0.0
    page = ctypes.cast(textpage, ctypes.c_void_p).value or 0  # NULL: pdfium counts no characters
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin = ctypes.addressof(ox), ctypes.addressof(oy)
    box = c.FS_RECTF()
    matrix = c.FS_MATRIX()
    space_pending = False
    last_address = None
    origin_x = 0.0
    # Bound once: a page asks these for every character.
    unicode, is_generated, text_object, char_origin = (
        calls.unicode,
        calls.is_generated,
        calls.text_object,
        calls.char_origin,
    )
    append, append_run = chars.append, char_runs.append
    count = c.FPDFText_CountChars(textpage)
    text = _page_text(textpage, count)
    for index in range(count):
        code = ord(text[index]) if text is not None else unicode(page, index)
        if code == _TEXT_STAND_IN:
            code = unicode(page, index)
        # pdfium generates only spaces and line breaks; were it to make another character, that character has
        # no text object and sends the page to pdfplumber (NO_FONT).
        if code in _BREAKS and is_generated(page, index):
            # pdfium drops some space glyphs of the content stream and puts a space of its own in their place
            # (at a position of its own): the word break is kept, at the gap, when the next glyph is on the line.
            space_pending = True
            continue
        if code == _LINE_END_HYPHEN:
            code = 0x2D
        address = text_object(page, index) or 0
        char_origin(page, index, *origin)
        x0, y = ox.value, oy.value
        if address == last_address and x0 == origin_x and y == baseline:
            # A letter of a ligature: one character for the glyph, as pdfminer reads it.
            last = chars[-1]
            letters += chr(code)
            # A ToUnicode map may give the glyph as its letters (pdfminer's text then) or as the ligature.
            known = runs[address].font.decoding.values
            last["text"] = letters if known is not None and letters in known else _LIGATURES.get(letters, letters)
            c.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(box))
            last["x1"] = float(box.right)
            last["adv"] = last["width"] = last["x1"] - last["x0"]
            continue
        run = runs.get(address)
        if run is None:
            found = _run(page, index, address, fonts, decodings, matrix)
            if isinstance(found, str):
                return None, found
            run = runs[address] = found
        last_address = address
        font = run.font
        origin_x, baseline = x0, y
        size = run.size
        y0 = baseline + run.descent
        y1 = y0 + size
        # The glyph's advance, as pdfminer's box has it; pdfium's loose box takes in ink beyond it (an "f").
        width = font.widths.get(code)
        advance = (font.advance(code) if width is None else width) * run.scale
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
            append({**before, "text": " ", "x0": at, "x1": at, "adv": 0.0, "width": 0.0})
            append_run(None)
        space_pending = False
        letters = chr(code)
        append(
            {
                "object_type": "char",
                "page_number": page_number,
                "text": letters,
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
        append_run(run)
    return (None, misread) if (misread := _misread(chars, char_runs)) else (chars, None)


# pdfium's page text writes U+FFFE where its character reads otherwise (U+0002, the hyphen that ends a line).
_TEXT_STAND_IN = 0xFFFE


def _page_text(textpage, count: int) -> str | None:
    """The page's characters as pdfium's page text gives them, one UTF-16 unit each (one call instead of one per
    character), or None when a character outside the Basic Multilingual Plane takes two units and the text no
    longer lines up with the characters."""
    buffer = (ctypes.c_ushort * (count + 1))()
    c.FPDFText_GetText(textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, 2 * count).decode("utf-16-le", "surrogatepass")
    return text if len(text) == count else None


def _misread(chars: list[dict], runs: list[_Run | None]) -> str | None:
    """Why pdfminer may read a glyph of ``chars`` (their ligatures' letters all in) otherwise, if it may; a word
    break pdfium dropped (no run) stands for a space glyph pdfminer reads as one."""
    texts: dict[int, tuple[Decoding, set[str]]] = {}
    for char, run in zip(chars, runs, strict=True):
        if run is not None:
            decoding = run.font.decoding
            texts.setdefault(id(decoding), (decoding, set()))[1].add(char["text"])
    for decoding, found in texts.values():
        if decoding.values is not None and not found <= decoding.values:
            return DECODING
        if found & decoding.disputed:
            return DISPUTED
    return None
