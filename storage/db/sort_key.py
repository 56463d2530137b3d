"""Sort keys for names: the order people read them in (docs/data.md), the same on every backend.

``sort_key(name)`` is stored beside each customer, contact and employee name (the models'
``sort_name`` column, kept in step on every write by ``storage.db.models.SortedByName`` and
``storage.db.bulk``) and indexed, so lists page from an index and both SQLite (BINARY) and
PostgreSQL (collation "C") order by the same plain code points:

- compatibility decomposition (NFKD) with the accents dropped: "Ärger" → "arger", "Çelik" →
  "celik", "ﬁx" → "fix", full-width "Ａ" → "a";
- letters that have no decomposition but that readers file under a plain one: Ø → o, Ł → l,
  Đ → d, Æ → ae, Œ → oe, ß → ss, Þ → th, ı → i;
- case folded (casefold), outer spaces dropped, runs of spaces as one.

Scripts then follow each other in code point order (Latin, Greek, Cyrillic, …, CJK), each in
its own alphabet's order; Greek accents (Ά) go like the Latin ones. Ties (names that differ
only in case or accents) are broken by the name itself, then the id.
"""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 255  # a key longer than this sorts by its first 255 characters

_LETTERS = str.maketrans(
    {
        "Ø": "O",
        "ø": "o",
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "Ð": "D",
        "ð": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "ẞ": "SS",
        "Þ": "TH",
        "þ": "th",
        "ı": "i",
        "Ħ": "H",
        "ħ": "h",
        "Ŧ": "T",
        "ŧ": "t",
        "Ŋ": "N",
        "ŋ": "n",
        "ĸ": "k",
    }
)


def sort_key(name: str | None) -> str:
    """The key ``name`` sorts by (see the module's docstring)."""
    text = unicodedata.normalize("NFKD", (name or "").translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())[:MAX_LENGTH]
