"""Write the base gazetteer of states (extract/gazetteer/states.jsonl and capitals.jsonl) from data libraries.

    pip install 'essay-kg[gazetteer]' && python tools/gazetteer.py [OUT_DIR]

States come from pycountry (ISO 3166-1: the short name, the official name, the common name)
and countryinfo (the name in common English use, other spellings, the demonym, the capital).
The output is sorted and deterministic; each line names its sources. Historical states and
international organisations are not in these libraries: they are kept by hand in
extract/gazetteer/historical-states.jsonl and organisations.jsonl, each line with its source.
"""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

from essay_kg.model import slug

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "extract" / "gazetteer"
LATIN = re.compile(r"^[A-Za-z][A-Za-z .'’-]+$")
# ISO names that put the qualifier after a comma ("Korea, Republic of") read badly in running text
COMMA = re.compile(r",")
# short forms of common English use that neither library gives (added by hand, by ISO code)
EXTRA = {"GB": ["Britain"], "US": ["U.S.", "U. S.", "US", "USA", "U.S.A.", "America"], "BA": ["Bosnia"],
         "MK": ["Macedonia", "FYROM"], "MM": ["Burma"], "VA": ["Vatican"], "BY": ["Byelorussia", "Belorussia"],
         "KG": ["Kirghizia"], "KH": ["Kampuchea"]}
# adjectives of common English use that differ from the library's demonym ("Philippine" beside "Filipino")
EXTRA_DEMONYMS = {"PH": ["Philippine"], "SA": ["Saudi"], "IS": ["Icelandic"], "SI": ["Slovenian"]}


def usable(name: str | None, code: str = "") -> bool:
    """A name for running text: Latin script, no inverted ISO form; an acronym (UK, USA) but not the two-letter code."""
    if not name or not LATIN.match(name) or COMMA.search(name):
        return False
    return name != code and (len(name) >= 2 if name.isupper() else len(name) >= 4)


def main(out: Path = OUT) -> None:
    import pycountry
    from countryinfo import CountryInfo

    sources = f"pycountry {version('pycountry')} (ISO 3166-1); countryinfo {version('countryinfo')}"
    states, capitals = [], []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        try:
            info = CountryInfo(country.alpha_2).info()
        except (KeyError, ValueError):
            info = {}
        label = info.get("name") or getattr(country, "common_name", None) or country.name
        if not usable(label):
            label = getattr(country, "common_name", None) or country.name
        names = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None),
                 *info.get("altSpellings", [])]
        aliases = sorted({n for n in names if usable(n, country.alpha_2) and n != label and n != country.alpha_3}
                         | {"USA"} & set(names) | set(EXTRA.get(country.alpha_2, [])))
        demonyms = [d.strip() for d in (info.get("demonym") or "").split(",") if LATIN.match(d.strip())] \
            + EXTRA_DEMONYMS.get(country.alpha_2, [])
        row = {"id": slug(label), "type": "State", "label": label, "aliases": aliases, "aliases_ci": [],
               "demonyms": demonyms,
               "note": f"ISO 3166-1 {country.alpha_2}/{country.alpha_3}. Sources: {sources}"
                       + ("; short forms added by hand." if {country.alpha_2} & (EXTRA.keys() | EXTRA_DEMONYMS.keys()) else ".")}
        states.append(row)
        capital = info.get("capital")
        if capital and LATIN.match(capital):
            capitals.append({"id": slug(capital), "type": "Place", "label": capital, "aliases": [], "aliases_ci": [],
                             "demonyms": [], "note": f"Capital of {label}. Source: countryinfo {version('countryinfo')}."})
    seen: set[str] = set()
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("states.jsonl", states), ("capitals.jsonl", capitals)):
        lines = []
        for row in sorted(rows, key=lambda r: r["id"]):
            if row["id"] in seen:  # a capital named like a state (Singapore, Monaco…): the state has the name
                continue
            seen.add(row["id"])
            lines.append(json.dumps(row, ensure_ascii=False))
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(lines)} entries")


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
