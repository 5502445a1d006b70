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
a crop or media box not at the origin, form XObjects (their text may be transformed), text that is not upright.
Pages with drawn paths may hold ruled tables, which pdfplumber's table finder reads from its own objects: such
a page gets pdfium's characters and pdfminer's graphics without its text (`graphics_only`), which costs a part
of pdfminer's full layout (the content stream is still parsed, glyphs are not laid out).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as c
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, resolve1, stream_value
from pdfminer.psparser import literal_name
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException

# Why a page is read by pdfplumber instead; the counts are reported by the comparison harness.
ROTATED = "rotated page"
OFFSET_BOX = "media box not at the origin or crop box differs"
FORM = "form XObject"
PATHS = "drawn paths: pdfium characters, pdfminer graphics"
NOT_UPRIGHT = "text not upright or skewed"
NO_FONT = "character without a font"


@dataclass
class _Font:
    name: str
    descent: float  # per unit of font size, in text space (pdfminer: descriptor Descent / 1000)
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
    # Of the pdfium pages, those with drawn paths (their graphics from pdfminer).
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
    the page has drawn paths."""
    if page.get_rotation() % 360:
        return ROTATED, False
    media = page.get_mediabox()
    if media[0] or media[1] or tuple(page.get_cropbox()) != tuple(media):
        return OFFSET_BOX, False
    raw = page.raw
    paths = False
    for index in range(c.FPDFPage_CountObjects(raw)):
        kind = c.FPDFPageObj_GetType(c.FPDFPage_GetObject(raw, index))
        if kind == c.FPDF_PAGEOBJ_FORM:
            return FORM, paths
        paths = paths or kind == c.FPDF_PAGEOBJ_PATH
    return None, paths


class _GraphicsOnly(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device, laying out no glyphs: rects, lines and curves only."""

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        return None


# The tokens of a content stream that matter to find its text objects: strings (one level of nested
# parentheses), hex strings, dictionaries' brackets, comments, names, and the operators BT, ET and BI.
_DELIMITED = rb"(?<![^\s()<>\[\]{}/%])(?:BT|ET|BI|ID)(?![^\s()<>\[\]{}/%])"
_TOKEN = re.compile(
    rb"\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<<|>>|<[0-9A-Fa-f\s]*>|%[^\r\n]*|/[^\s()<>\[\]{}/%]*|" + _DELIMITED,
    re.DOTALL,
)
_END_OF_IMAGE = re.compile(rb"\sEI(?=[\s]|$)")


def without_text(data: bytes) -> bytes | None:
    """A content stream without its text objects (BT ... ET), or None when it cannot be read with certainty
    (nested or unclosed text objects, an unclosed inline image).  Inside a text object only text and
    graphics-state operators may appear; the state they set (colours, line width) is not what the reader
    asks of rects, lines and curves."""
    kept: list[bytes] = []
    start = 0
    position = 0
    in_text = False
    while (match := _TOKEN.search(data, position)) is not None:
        token = match.group()
        position = match.end()
        if token == b"BT":
            if in_text:
                return None
            kept.append(data[start : match.start()])
            in_text = True
        elif token == b"ET":
            if not in_text:
                return None
            in_text = False
            start = position
        elif token == b"ID":
            # Inline image data: binary up to EI.
            end = _END_OF_IMAGE.search(data, position)
            if end is None:
                return None
            position = end.end()
    if in_text:
        return None
    kept.append(data[start:])
    return b"\n".join(kept)


class _NoTextInterpreter(PDFPageInterpreter):
    """pdfminer's interpreter reading content streams whose text objects are cut out before parsing: parsing
    the text operators is most of what pdfminer's graphics cost."""

    def execute(self, streams) -> None:
        values = [stream_value(stream) for stream in streams]
        stripped = without_text(b"\n".join(value.get_data() for value in values)) if values else None
        if stripped is None:
            return super().execute(streams)
        stream = PDFStream({}, stripped)
        stream.objid = values[0].objid
        return super().execute([stream])


def graphics_only(page, chars: list[dict]):
    """The pdfplumber ``page`` with pdfminer's graphics and ``chars`` for its characters."""
    device = _GraphicsOnly(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    try:
        _NoTextInterpreter(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as error:
        raise PdfminerException(error) from error
    page._layout = device.get_result()
    objects = page.parse_objects()
    objects["char"] = chars
    page._objects = objects
    return page


def subset_names(resources) -> dict[str, str]:
    """A page's font names as pdfminer gives them (with a subset tag, "ABCDEF+Name"), by the name pdfium gives
    (it drops the tag of simple fonts); a name two subsets share is left out."""
    names: dict[str, str] = {}
    shared: set[str] = set()
    try:
        fonts = resolve1((resources or {}).get("Font")) or {}
        for spec in fonts.values():
            base = resolve1(resolve1(spec).get("BaseFont"))
            full = literal_name(base) if base is not None else ""
            if len(full) > 7 and full[6] == "+":
                short = full[7:]
                if names.get(short, full) != full:
                    shared.add(short)
                names[short] = full
    except Exception:  # noqa: BLE001 - odd resources: names as pdfium gives them
        return {}
    return {short: full for short, full in names.items() if short not in shared}


def _font(font, names: dict[str, str]) -> _Font:
    size = c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    c.FPDFFont_GetBaseFontName(font, buffer, size)
    descent = ctypes.c_float()
    c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), ctypes.byref(descent))
    name = buffer.value.decode("utf-8", "replace")
    name = names.get(name, name)
    if name in FONT_METRICS:
        # pdfminer reads a standard-14 font's metrics from its own AFM tables, whatever the PDF says; pdfium from
        # the font it substitutes (Helvetica's descent: -207 against pdfium's -190).
        return _Font(name, float(FONT_METRICS[name][0].get("Descent", 0)) / 1000.0, font)
    return _Font(name, descent.value / 1000.0, font)


def page_chars(page: pdfium.PdfPage, plumbed) -> tuple[list[dict] | None, str | None]:
    """``page``'s characters as the char dicts of ``plumbed`` (its pdfplumber page) would be, or (None, reason)
    when pdfium cannot give them faithfully (`page_reason` says which pages to ask at all)."""
    names = subset_names(plumbed.page_obj.resources)
    height = float(page.get_height())
    textpage = c.FPDFText_LoadPage(page.raw)
    try:
        return _chars(textpage, height, plumbed.page_number, plumbed.initial_doctop, names)
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


def _chars(
    textpage, height: float, page_number: int, initial_doctop: float, names: dict[str, str]
) -> tuple[list[dict] | None, str | None]:
    fonts: dict[int, _Font] = {}
    by_address: dict[int, _Font] = {}
    chars: list[dict] = []
    ox, oy = ctypes.c_double(), ctypes.c_double()
    matrix = c.FS_MATRIX()
    box = c.FS_RECTF()
    space_pending = False
    last_key = None
    for index in range(c.FPDFText_CountChars(textpage)):
        code = c.FPDFText_GetUnicode(textpage, index)
        if c.FPDFText_IsGenerated(textpage, index):
            # pdfium drops some space glyphs of the content stream and puts a space of its own in their place
            # (at a position of its own): the word break is kept, at the gap, when the next glyph is on the line.
            space_pending = space_pending or code in _BREAKS
            continue
        if code == _LINE_END_HYPHEN:
            code = 0x2D
        obj = c.FPDFText_GetTextObject(textpage, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        c.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(ox), ctypes.byref(oy))
        if chars and key == last_key and ox.value == chars[-1]["x0"] and oy.value == chars[-1]["_oy"]:
            # A letter of a ligature: one character for the glyph, as pdfminer reads it.
            last = chars[-1]
            last["_letters"] += chr(code)
            last["text"] = _LIGATURES.get(last["_letters"], last["_letters"])
            c.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(box))
            last["x1"] = float(box.right)
            last["adv"] = last["width"] = last["x1"] - last["x0"]
            continue
        last_key = key
        c.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
        if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
            return None, NOT_UPRIGHT
        font = fonts.get(key)
        if font is None:
            # By text object, then by font: some producers make each glyph a text object of its own.
            handle = c.FPDFTextObj_GetFont(obj)
            if not handle:
                return None, NO_FONT
            address = ctypes.cast(handle, ctypes.c_void_p).value or 0
            font = by_address.get(address)
            if font is None:
                font = by_address[address] = _font(handle, names)
            fonts[key] = font
        font_size = c.FPDFText_GetFontSize(textpage, index)
        size = font_size * matrix.d
        y0 = oy.value + font.descent * size
        y1 = y0 + size
        x0 = ox.value
        # The glyph's advance, as pdfminer's box has it; pdfium's loose box takes in ink beyond it (an "f").
        advance = font.advance(code) * font_size * matrix.a
        if advance <= 0:
            c.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(box))
            advance = float(box.right) - x0
        x1 = x0 + advance
        top = height - y1
        bottom = height - y0
        char = {
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
            "bottom": bottom,
            "doctop": initial_doctop + top,
            "width": x1 - x0,
            "height": size,
            "matrix": (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
            "_oy": oy.value,
            "_letters": chr(code),
        }
        if space_pending and chars and abs(chars[-1]["top"] - top) < _SAME_LINE and x0 >= chars[-1]["x0"]:
            # pdfium also drops the space glyph that ends a text object when the next one starts a little
            # higher or lower (a line break to pdfium, one line to pdfplumber): the word break is kept too.
            before = chars[-1]
            at = min(before["x1"], x0)
            chars.append({**before, "text": " ", "x0": at, "x1": at, "adv": 0.0, "width": 0.0, "_letters": " "})
        space_pending = False
        chars.append(char)
    for char in chars:
        del char["_oy"], char["_letters"]
    return chars, None
