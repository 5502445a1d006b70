"""pdfium's functions that the reader calls once per character or path segment, taking and giving handles and
pointers as plain addresses (ints).

pypdfium2 declares them with its own pointer types; converting those on every call costs more than the call
itself, and a page makes hundreds of thousands of them.  Handles given back are addresses (0 for NULL), and an
address given is passed as is: the caller keeps what it points to alive.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as c

_ADDRESS = ctypes.c_void_p
_INDEX = ctypes.c_int


def _with_addresses(function, *argtypes, restype=_ADDRESS):
    """A copy of pdfium's ``function`` declared with ``argtypes`` and giving ``restype``."""
    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.argtypes = argtypes
    copy.restype = restype
    return copy


# A text page's characters, by index.
unicode = _with_addresses(c.FPDFText_GetUnicode, _ADDRESS, _INDEX, restype=ctypes.c_uint)
is_generated = _with_addresses(c.FPDFText_IsGenerated, _ADDRESS, _INDEX, restype=ctypes.c_int)
text_object = _with_addresses(c.FPDFText_GetTextObject, _ADDRESS, _INDEX)
char_origin = _with_addresses(c.FPDFText_GetCharOrigin, _ADDRESS, _INDEX, _ADDRESS, _ADDRESS, restype=ctypes.c_int)
char_matrix = _with_addresses(c.FPDFText_GetMatrix, _ADDRESS, _INDEX, _ADDRESS, restype=ctypes.c_int)
font_size = _with_addresses(c.FPDFText_GetFontSize, _ADDRESS, _INDEX, restype=ctypes.c_double)
object_font = _with_addresses(c.FPDFTextObj_GetFont, _ADDRESS)

# A path object's segments, by index, and their points.
segment_count = _with_addresses(c.FPDFPath_CountSegments, _ADDRESS, restype=ctypes.c_int)
segment = _with_addresses(c.FPDFPath_GetPathSegment, _ADDRESS, _INDEX)
segment_type = _with_addresses(c.FPDFPathSegment_GetType, _ADDRESS, restype=ctypes.c_int)
segment_point = _with_addresses(c.FPDFPathSegment_GetPoint, _ADDRESS, _ADDRESS, _ADDRESS, restype=ctypes.c_int)
segment_closes = _with_addresses(c.FPDFPathSegment_GetClose, _ADDRESS, restype=ctypes.c_int)

# Page objects: a page's and a form's, their kind, marks, matrix and how a path is painted.
_object_count = _with_addresses(c.FPDFPage_CountObjects, _ADDRESS, restype=ctypes.c_int)
_object = _with_addresses(c.FPDFPage_GetObject, _ADDRESS, _INDEX)
_form_object_count = _with_addresses(c.FPDFFormObj_CountObjects, _ADDRESS, restype=ctypes.c_int)
_form_object = _with_addresses(c.FPDFFormObj_GetObject, _ADDRESS, ctypes.c_ulong)
object_type = _with_addresses(c.FPDFPageObj_GetType, _ADDRESS, restype=ctypes.c_int)
mark_count = _with_addresses(c.FPDFPageObj_CountMarks, _ADDRESS, restype=ctypes.c_int)
object_matrix = _with_addresses(c.FPDFPageObj_GetMatrix, _ADDRESS, _ADDRESS, restype=ctypes.c_int)
draw_mode = _with_addresses(c.FPDFPath_GetDrawMode, _ADDRESS, _ADDRESS, _ADDRESS, restype=ctypes.c_int)


def page_objects(page) -> list[int]:
    """The addresses of the objects of the pypdfium2 page ``page`` (its ``raw`` handle), in drawing order."""
    address = ctypes.cast(page.raw, ctypes.c_void_p).value
    return [_object(address, index) for index in range(_object_count(address))]


def form_objects(form: int) -> list[int]:
    """The addresses of the objects of the form object at ``form``, in drawing order."""
    return [_form_object(form, index) for index in range(_form_object_count(form))]
