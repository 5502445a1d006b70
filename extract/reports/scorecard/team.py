"""The Inter-Agency Assessment Team list: "N. Name, Role, Entity" in whatever order reports use.

Reports write a member as "Gaukhar Nursha, Gender Specialist, United Nations
Development Programme Kazakhstan", "Dina Amrisheva, UN Women Kazakhstan
Programme Manager" or "Kamidola Aizhan, National Gender Expert FAO
Partnership and Liaison Office ...": the name comes first, then role and UN
entity in either order, with or without a comma between them.  The entity is
recognised from the UN system's own names, which also gives its acronym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Acronym -> the ways reports name the entity (longest first is not needed: the earliest match wins).
UN_ENTITIES: dict[str, tuple[str, ...]] = {
    "UN Women": (r"UN[\s-]?Women", r"United Nations Entity for Gender Equality and the Empowerment of Women"),
    "UNDP": (r"UNDP", r"United Nations Development Programme"),
    "UNICEF": (r"UNICEF", r"United Nations Children'?s Fund"),
    "UNFPA": (r"UNFPA", r"United Nations Population Fund"),
    "UNAIDS": (r"UNAIDS", r"Joint United Nations Programme on HIV/AIDS"),
    "UNODC": (r"UNODC", r"United Nations Office on Drugs and Crime"),
    "UNESCO": (r"UNESCO",),
    "FAO": (r"FAO", r"Food and Agriculture Organization"),
    "WHO": (r"WHO", r"World Health Organization"),
    "ILO": (r"ILO", r"International Labour Organization"),
    "IOM": (r"IOM", r"International Organization for Migration"),
    "UNHCR": (r"UNHCR", r"United Nations High Commissioner for Refugees"),
    "OHCHR": (r"OHCHR", r"Office of the (?:United Nations )?High Commissioner for Human Rights"),
    "UNEP": (r"UNEP", r"United Nations Environment Programme"),
    "UNIDO": (r"UNIDO",),
    "UNECE": (r"UNECE",),
    "ESCAP": (r"ESCAP",),
    "WFP": (r"WFP", r"World Food Programme"),
    "UN-Habitat": (r"UN[\s-]?Habitat",),
    "UNOPS": (r"UNOPS",),
    "UNV": (r"UNV", r"United Nations Volunteers"),
    "ITC": (r"ITC",),
    "ITU": (r"ITU",),
    "IAEA": (r"IAEA",),
    "UNRCO": (
        r"UN\s?RCO",
        r"RCO",
        r"(?:UN |United Nations )?Resident Coordinator'?s? Office",
        r"Office of the (?:UN |United Nations )?Resident Coordinator",
    ),
    "UNDSS": (r"UNDSS",),
    "UNOCHA": (r"OCHA",),
    "World Bank": (r"World Bank",),
}

_ENTITY_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (acronym, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])"))
    for acronym, patterns in UN_ENTITIES.items()
    for pattern in patterns
]
_ITEM = re.compile(r"^\(?(\d{1,2})[.)]\s+(\S.*)$")
_LOCATION = r"(?:in\s+)?(?:the\s+Republic\s+of\s+)?"


@dataclass(frozen=True)
class Member:
    number: int
    name: str
    role: str | None
    un_entity: str | None
    entity_text: str | None
    listed_text: str


def find_entity(text: str) -> tuple[str, int, int] | None:
    """The earliest UN entity named in ``text``: (acronym, start, end)."""
    best: tuple[str, int, int] | None = None
    for acronym, pattern in _ENTITY_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[1] or (match.start() == best[1] and match.end() > best[2])):
            best = (acronym, match.start(), match.end())
    return best


def numbered_item(text: str) -> tuple[int, str] | None:
    match = _ITEM.match(text)
    return (int(match.group(1)), match.group(2)) if match else None


def split_member(number: int, text: str, country: str | None) -> Member:
    listed = text.strip().rstrip(".").strip()
    name, _, rest = listed.partition(",")
    name, rest = name.strip(), rest.strip()
    found = find_entity(rest)
    if found is None:
        return Member(number, name, rest or None, None, None, listed)
    acronym, start, end = found
    if start == 0:
        # Entity first: "UN Women Kazakhstan Programme Manager" - the entity runs to the end of
        # its location, the rest is the role.
        location = _country_suffix(country)
        tail = re.match(rf"\s*{location}", rest[end:]) if location else None
        entity_end = end + (tail.end() if tail else 0)
        entity_text, role = rest[:entity_end], rest[entity_end:]
    else:
        role, entity_text = rest[:start], rest[start:]
    return Member(number, name, role.strip(" ,;-") or None, acronym, entity_text.strip(" ,;") or None, listed)


def _country_suffix(country: str | None) -> str | None:
    if not country:
        return None
    return rf"{_LOCATION}{re.escape(country)}\b"
