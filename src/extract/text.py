"""Text normalization shared by extraction, keys and the golden comparison (SCHEMA.md §3-4)."""

from __future__ import annotations

import bisect
import re
import unicodedata

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


def join_wrapped(lines: list[str]) -> str:
    """Join the printed lines of one paragraph: one space, or none after a line-end hyphen."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith(" -"):
            out += line
        else:
            out += " " + line
    return out


_WORD_EDGE = "«»\"'’‘()[]{}.,;:!?…"


def vocabulary(lines: list[str]) -> list[str]:
    """The words a document prints whole (lower case, sorted): every word not cut at a line end."""
    words = set()
    for line in lines:
        for token in re.split(r"[\s'’]+", line):  # an elided article is not part of the word: l'informatique
            token = token.strip(_WORD_EDGE)
            if token and not token.endswith("-"):
                words.add(token.lower())
    return sorted(words)


def dehyphenate(lines: list[str], vocabulary: list[str]) -> list[str]:
    """Undo a typesetter's hyphenation between the printed lines of one paragraph.

    A line ending in `frag-` before a line starting with `rest` is a word cut at the line end
    when the document prints `fragrest` whole elsewhere, or a word of its family (`para-` /
    `métreur` beside `paramétrage`: a word sharing the cut and three letters after it); the cut
    word is then moved up whole (`informa-` / `tique` -> `informatique`). A compound the document
    prints with its hyphen (`concepteur-développeur`) or whose join it never prints
    (`tiers-` / `lieux`) keeps its hyphen. `vocabulary` is vocabulary() of the document's lines.
    """
    known = set(vocabulary)

    def printed_prefix(prefix: str) -> bool:
        i = bisect.bisect_left(vocabulary, prefix)
        return i < len(vocabulary) and vocabulary[i].startswith(prefix)

    out = [ln.strip() for ln in lines]
    for i in range(len(out) - 1):
        line, nxt = out[i], out[i + 1]
        if not line.endswith("-") or line.endswith(" -") or len(line) < 2 or not line[-2].isalpha() or not nxt:
            continue
        head = line[:-1].split()[-1] if line[:-1].split() else ""
        frag = re.split(r"['’]", head.split("-")[-1])[-1].lstrip(_WORD_EDGE)
        rest_token, _, after = nxt.partition(" ")
        rest = rest_token.rstrip(_WORD_EDGE)
        if not frag or not rest or not rest[0].isalpha() or not rest[0].islower():
            continue
        joined, compound = (frag + rest).lower(), f"{frag}-{rest}".lower()
        if compound in known:
            continue
        two_words = frag.lower() in known and rest.lower() in known
        family = len(rest) >= 3 and not two_words and printed_prefix(joined[: len(frag) + 3])
        if joined in known or family:
            out[i] = line[:-1] + rest_token
            out[i + 1] = after.strip()
    return [ln for ln in out if ln]
