"""Countries by ISO 3166-1 alpha-2 code, created on first use from the iso3166 list."""

from __future__ import annotations

from functools import cache

import iso3166
from sqlalchemy.orm import Session

from tracker.models import Country

# The names people use, where ISO 3166's are formal or odd: the claim form offered
# "Russian Federation" (the public pages said "Russia") and "Naoero" for Nauru.
_COMMON_NAMES = {
    "BN": "Brunei", "BO": "Bolivia", "CD": "DR Congo", "FM": "Micronesia",
    "GB": "United Kingdom", "IR": "Iran", "KP": "North Korea", "KR": "South Korea",
    "LA": "Laos", "MD": "Moldova", "NR": "Nauru", "RU": "Russia", "SY": "Syria",
    "TW": "Taiwan", "TZ": "Tanzania", "US": "United States", "VA": "Vatican City",
    "VE": "Venezuela", "VG": "British Virgin Islands", "VI": "US Virgin Islands",
    "VN": "Vietnam",
}  # fmt: skip


def country_name(code: str) -> str:
    """The English name of a country code; KeyError when the code is not ISO 3166-1."""
    entry = iso3166.countries_by_alpha2[code.upper()]
    return _COMMON_NAMES.get(entry.alpha2) or entry.apolitical_name or entry.name


def is_country_code(code: str) -> bool:
    """Whether CODE is an ISO 3166-1 alpha-2 code (any case)."""
    try:
        country_name(code)
    except KeyError:
        return False
    return True


def all_countries() -> list[tuple[str, str]]:
    return sorted(
        ((c.alpha2, country_name(c.alpha2)) for c in iso3166.countries), key=lambda p: p[1]
    )


def ensure_countries(session: Session, codes: list[str]) -> list[Country]:
    found = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        name = country_name(code)
        country = session.get(Country, code)
        if country is None:
            country = Country(code=code, name=name)
            session.add(country)
        found.append(country)
    return found


# Common English names that are not the ISO 3166 short name (which iso3166 knows).
_ALIASES = {
    "RUSSIA": "RU", "SYRIA": "SY", "UK": "GB", "GREAT BRITAIN": "GB", "BRITAIN": "GB",
    "UNITED KINGDOM": "GB", "ENGLAND": "GB", "US": "US", "USA": "US", "U.S.": "US",
    "U.S.A.": "US", "UNITED STATES": "US", "AMERICA": "US", "CZECH REPUBLIC": "CZ",
    "HOLLAND": "NL", "TURKEY": "TR", "VATICAN": "VA", "VATICAN CITY": "VA",
    "NORTH KOREA": "KP", "SOUTH KOREA": "KR", "KOREA": "KR", "LAOS": "LA", "VIETNAM": "VN",
    "FYROM": "MK", "MACEDONIA": "MK", "PALESTINE": "PS", "IVORY COAST": "CI",
    "CAPE VERDE": "CV", "SWAZILAND": "SZ", "BURMA": "MM", "EAST TIMOR": "TL",
}  # fmt: skip


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in iso3166.countries:
        for name in (entry.name, entry.apolitical_name):
            upper = name.upper()
            names.setdefault(upper, entry.alpha2)
            # "Moldova, Republic of" is known as "Moldova".
            names.setdefault(upper.split(",")[0].strip(), entry.alpha2)
    names.update({name.upper(): code for code, name in _COMMON_NAMES.items()})
    names.update(_ALIASES)
    return names


def resolve_country(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code or an English country name, else None.

    "UA", "UKR", "Ukraine", "the Netherlands", "Russia", "US" are all understood; regions
    ("EU", "the West", "Baltic states") and former states ("USSR") are not countries: None.
    """
    key = " ".join(text.strip().upper().split())
    if not key:
        return None
    if len(key) == 2 and key in iso3166.countries_by_alpha2:
        return key
    if len(key) == 3 and key in iso3166.countries_by_alpha3:
        return str(iso3166.countries_by_alpha3[key].alpha2)
    names = _names()
    return names.get(key) or names.get(key.removeprefix("THE ").strip())
