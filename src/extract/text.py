"""Text normalization shared by extraction, keys and the golden comparison (SCHEMA.md §3-4)."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterable, Iterator

_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_SINGLE_QUOTES = "\u2019\u2018\u201a\u201b\u2032\u00b4\u02bc`"
_DOUBLE_QUOTES = "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033"
_SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u205f\u3000"
_TRANSLATE = str.maketrans(
    {
        **{c: "'" for c in _SINGLE_QUOTES},
        **{c: '"' for c in _DOUBLE_QUOTES},
        **{c: " " for c in _SPACES},
        **_LIGATURES,
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\ufeff": None,
    }
)
_WS = re.compile(r"\s+")
# A hyphen at a line end is a real compound in these documents: join without a space.
_HYPHEN_EOL = re.compile(r"-[ \t]*\n[ \t]*")


def normalize_text(text: str | None) -> str:
    """The comparison form of SCHEMA.md §4: NFC, ligatures, quotes, spaces, hyphens folded."""
    if not text:
        return ""
    t = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    t = _HYPHEN_EOL.sub("-", t)
    return _WS.sub(" ", t).strip()


def clean_line(text: str) -> str:
    """Printed text kept as printed, only whitespace tidied (for node text lines)."""
    t = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    t = t.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"[ \t]+", " ", t).strip()


def fold(text: str) -> str:
    """Upper case, accents stripped, spaces collapsed: a template's variants of a word or label
    ('ACTIVITE', 'Activité', 'Date de  mise à jour') compare equal."""
    t = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in t if not unicodedata.combining(c)).upper().split())


def slugify(text: str) -> str:
    """Lower-case ASCII, accents stripped, runs of non-alphanumerics -> '-'."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def key_code(printed: str) -> str:
    """A printed code as it appears in a node_key: NFC, spaces removed, trailing dot dropped."""
    t = unicodedata.normalize("NFC", printed)
    t = re.sub(r"\s+", "", t)
    return t.rstrip(".")


_VOCABULARY: ContextVar[tuple[dict[str, int], list[str], bool] | None] = ContextVar("vocabulary", default=None)


_TOKEN = re.compile(r"[^\s–—/.,;:!?()«»\"“”\[\]'’]+")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def vocabulary(words: Iterable[str]) -> dict[str, int]:
    """How often a document prints each word whole (lower case): what tells a typesetter's break
    from a compound. Words cut by a line-end hyphen ("informa-") are not counted; hyphenated
    compounds are counted whole and by their parts; an elided article is no part of the word
    ("l'informatique" prints "informatique")."""
    counts: Counter[str] = Counter()
    text = " ".join(w for w in words if not w.endswith("-")).lower()
    for token in _TOKEN.findall(text):
        if len(token) < 2 or not _WORD.fullmatch(token):
            continue
        counts[token] += 1
        if "-" in token:
            counts.update(p for p in token.split("-") if len(p) >= 2)
    return dict(counts)


def hyphenates(breaks: Iterable[tuple[str, str]], vocab: dict[str, int], least: int = 3) -> bool:
    """Does the typesetter cut words at line ends? `breaks`: (line ending in "-", next line).
    A typesetter that hyphenates does it often, in words printed whole elsewhere; a line-end
    hyphen in a document that does not (a Word export) is a real compound ("micro-services")."""
    ordered = sorted(vocab)
    cut = total = 0
    for before, after in breaks:
        a, b = _tail(before), _head(after)
        if not a or not b or not b[0].islower():
            continue
        total += 1
        if _cut_word(a, b, vocab, ordered):
            cut += 1
    return cut >= least and cut >= 0.5 * total


@contextmanager
def printed_vocabulary(words: dict[str, int], typeset_hyphens: bool) -> Iterator[None]:
    """Within this block, join_wrapped mends the words a line end cut (see join_wrapped);
    `typeset_hyphens`: the typesetter hyphenates (see hyphenates), so line-end hyphens may go."""
    token = _VOCABULARY.set((words, sorted(words), typeset_hyphens))
    try:
        yield
    finally:
        _VOCABULARY.reset(token)


def _tail(text: str) -> str:
    m = re.search(r"([^\W\d_]+)-?$", text)
    return m.group(1) if m else ""


def _head(text: str) -> str:
    m = re.match(r"^([^\W\d_]+)", text)
    return m.group(1) if m else ""


def _cut_word(a: str, b: str, vocab: dict[str, int], ordered: list[str]) -> bool:
    """Is "a-" / "b" one word cut by the typesetter? The document prints "ab" whole, or a word
    of its family (sharing the cut and three letters after it: "para-" / "métreur" beside
    "paramétrage"), and never the compound "a-b"; two words it prints on their own and never
    joined ("tiers-" / "lieux") are a compound."""
    joined, compound = (a + b).lower(), f"{a}-{b}".lower()
    if compound in vocab:
        return False
    if joined in vocab:
        return True
    if len(b) < 3 or (a.lower() in vocab and b.lower() in vocab):
        return False
    prefix = joined[: len(a) + 3]
    i = bisect.bisect_left(ordered, prefix)
    return i < len(ordered) and ordered[i].startswith(prefix)


def _broken_word(a: str, b: str, prev: str, line: str, vocab: dict[str, int]) -> bool:
    """Did a line end break one word without a hyphen ("TECHNOLOGIQ" / "UES", "modific" /
    "ation")? The pieces are no words the document prints elsewhere (each occurs only here), and
    either the whole is one it prints, or the head stood alone on its line (a layout breaks a
    word only when it does not fit on a line of its own) and the tail goes on in lower case."""
    token = line.split()[0].rstrip(".,;:!?)»\"…")
    if token != b:
        return False  # the next line opens with a whole token ("d'investigation", "2024"), no piece
    pieces_only_here = vocab.get(a.lower(), 0) <= 1 and vocab.get(b.lower(), 0) <= 1
    if not pieces_only_here:
        return False
    if (a + b).lower() in vocab:
        return True
    return prev.strip() == a and b[0].islower()


def join_wrapped(lines: list[str]) -> str:
    """Join the printed lines of one paragraph: one space, or none after a line-end hyphen.

    With the document's vocabulary in scope (printed_vocabulary), a line end that cut a word is
    mended: "informa-" / "tique" is "informatique" when the document prints "informatique" and
    not "informa-tique" (a typesetter's hyphenation; "tiers-" / "lieux" stays "tiers-lieux"), and
    "TECHNOLOGIQ" / "UES" is "TECHNOLOGIQUES" when neither piece is a word it prints but the
    whole is (a narrow cell broke the word without a hyphen)."""
    scope = _VOCABULARY.get()
    vocab, ordered, typeset = scope if scope is not None else ({}, [], False)
    out = prev = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = prev = line
            continue
        a, b = _tail(out), _head(line)
        if out.endswith("-") and not out.endswith(" -"):
            if typeset and a and b and b[0].islower() and _cut_word(a, b, vocab, ordered):
                out = out[:-1] + line
            else:
                out += line
        elif vocab and a and b and out[-1].isalpha() and _broken_word(a, b, prev, line, vocab):
            out += line
        else:
            out += " " + line
        prev = line
    return out
