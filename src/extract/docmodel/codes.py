"""A document's own code grammar, inferred from what repeats at the starts of cells and lines.

A code is a short token opening a line: a letter prefix and numbers joined by dots (`C1.1`,
`CA1.1`, `C.12`, `C1.a`, `Cr 1.a.1`, `E1.`, `A.3.1`), a number with a dot (`1.`, `2.3`), or a
compound registry code (`RNCP37805BC01`). Its *shape* replaces numbers by `#` and keeps the
prefix and separators (`CA#.#`, `Cr #.a.#`). A shape is one of the document's code schemes when
it opens several lines with different values: a word that happens to open one line ("A2
expression") is not a code. No scheme is listed here: the document shows its own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

_CANDIDATE = re.compile(
    r"""^(?P<code>
        (?:(?P<prefix>[A-Z][A-Za-z]{0,4})(?P<psep>\s?\.\s?|\s(?=\d+\s?\.\s?[0-9a-z])|(?<=[A-Z]{2})\s)?)?  # C, CA, C., "Cr 1.a", "CP 3\"
        \d{1,6}(?:[A-Z]{1,3}\d{1,4})?                  # 1, 37805BC01
        (?:\s?\.\s?(?:\d{1,3}|[a-z])(?![A-Za-z]))*     # .1  .a
        \.?)
    (?=$|[\s\-–—:)])""",
    re.X,
)
# What may follow a code before the statement: " - ", " – ", " : ", ":", or nothing.
_AFTER = re.compile(r"^\s*(?:[-–—:]\s*)?")


@dataclass(frozen=True)
class Code:
    printed: str  # as printed, trailing dot kept
    shape: str
    series: str  # the code without its last number or letter: codes of one list share it


def shape_of(code: str) -> str:
    t = re.sub(r"\s+", " ", code.strip()).rstrip(".")
    t = re.sub(r"\d+", "#", t)
    return re.sub(r"(?<=[.\s])[a-z](?![A-Za-z])", "a", t)


def series_of(code: str) -> str:
    t = code.strip().rstrip(".")
    return re.sub(r"[.\s]*(?:\d+|[a-z])$", "", t)


def candidate(text: str) -> tuple[Code, str] | None:
    """A code-shaped token opening `text`, and the text after it and its separator."""
    m = _CANDIDATE.match(text.strip())
    if not m:
        return None
    printed = m.group("code")
    if not m.group("prefix") and "." not in printed:
        return None  # a bare number ("2 ans") is not a code; "2." or "2.1" may be
    if m.group("prefix") and len(m.group("prefix")) > 1 and m.group("prefix")[1:].islower() and not m.group("psep"):
        return None  # a capitalised word glued to a number is no prefix ("Article3")
    rest = text.strip()[m.end():]
    rest = rest[_AFTER.match(rest).end():]  # type: ignore[union-attr]
    return Code(printed, shape_of(printed), series_of(printed)), rest


@dataclass
class Grammar:
    """The code schemes of one scope (a column, a document): shapes seen opening several lines."""

    shapes: frozenset[str]

    def match(self, text: str) -> tuple[Code, str] | None:
        found = candidate(text)
        if found is None or found[0].shape not in self.shapes:
            return None
        return found

    def __bool__(self) -> bool:
        return bool(self.shapes)


def family_of(shape: str) -> str:
    """Shapes of one scheme printed with other separators or depths (`C#.#.#`, `C.#.#`) share
    their letters."""
    return re.sub(r"[^A-Za-z]", "", re.sub(r"(?<=[.\s])a(?![A-Za-z])", "", shape))


def infer_grammar(openings: Iterable[str], min_values: int = 2) -> Grammar:
    """Shapes whose scheme (prefix letters) opens at least `min_values` lines with different
    printed values."""
    values: dict[str, set[str]] = defaultdict(set)
    shapes: dict[str, set[str]] = defaultdict(set)
    for text in openings:
        found = candidate(text)
        if found is not None:
            fam = family_of(found[0].shape)
            values[fam].add(found[0].printed.rstrip("."))
            shapes[fam].add(found[0].shape)
    return Grammar(frozenset(s for fam, v in values.items() if len(v) >= min_values for s in shapes[fam]))
