"""Paragraphs and bullet hierarchies from positioned lines.

A block of lines (a table cell, a page region) becomes a list of entries: paragraphs and list
items, each with its marker as printed and a depth measured from the marker's indentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from extract.docmodel.codes import candidate
from extract.layout import Line, Word
from extract.schema import Item
from extract.text import clean_line, join_wrapped

# Glyphs that open a list item when they stand alone at the start of a line.
BULLET_GLYPHS = frozenset(
    "-–—•◦○●▪▫■□►▸▹➢➤✓✔✗❖◆◇*o\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8\uf0e0\uf09f\uf0de\u2043\u2219"
)


def split_marker(line: Line, o_list: bool = False) -> tuple[str | None, list[Word]]:
    """The bullet marker opening a line (as printed), and the words after it. `o_list`: the
    block sets several lines as "o" + text at the same two indents (a list of "o" bullets)."""
    if not line.words:
        return None, []
    first = line.words[0]
    t = first.text
    if t in BULLET_GLYPHS and len(line.words) > 1:
        if t == "o" and not (o_list or _looks_like_o_bullet(line)):
            return None, line.words
        return t, line.words[1:]
    if t in BULLET_GLYPHS and t != "o" and len(line.words) == 1:
        return t, []  # an empty list item, printed as a lone marker
    # Marker glued to its text ("•Texte", "-Texte", "Texte"): not for "-" before a digit.
    if len(t) > 1 and t[0] in BULLET_GLYPHS and t[0] not in "o*" and not t[1].isdigit():
        if t[0] in "-–—" and not t[1].isalpha():
            return None, line.words
        rest = Word(t[1:].lstrip(), first.x0, first.top, first.x1, first.bottom, first.font, first.size)
        return t[0], [rest, *line.words[1:]]
    return None, line.words


def _opens_with_code(words: Sequence[Word]) -> bool:
    """A code-shaped token (extract.docmodel.codes) opens the line and a capital, a separator or
    nothing follows it ("A2 expression" is prose)."""
    if not words:
        return False
    found = candidate(_words_text(words))
    if found is None:
        return False
    code, rest = found
    if not rest:
        # A bare number alone on a line ends a wrapped sentence ("… de l'étape" / "1."); a code
        # with letters alone on its line ("C1.1.1" over its statement) opens an entry.
        return not code.printed.rstrip(".").replace(".", "").isdigit()
    return rest[0].isupper() or rest[0] in "-–—:" or not rest[0].isalpha()


def _gaps(line: Line) -> list[float]:
    return [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]


def natural_end(line: Line, space: float) -> float:
    """Where the line would end with normal word spacing: justification stretch taken out."""
    return line.x1 - sum(max(0.0, g - space) for g in _gaps(line) if g > 0.15 * line.size)


def normal_space(lines: Sequence[Line]) -> float:
    gaps = sorted(g for ln in lines for g in _gaps(ln) if g > 0.15 * ln.size)
    if not gaps:
        return 0.28 * (lines[0].size if lines else 10.0)
    return gaps[len(gaps) // 5]


def _o_lists(lines: Sequence[Line]) -> set[int]:
    """Lines opened by a lone "o" that is a list marker: "o" a word apart from its text, on two or
    more lines whose "o" and text start at the same indents (the French word "o" never does)."""
    opened = [ln for ln in lines if len(ln.words) > 1 and ln.words[0].text == "o"
              and ln.words[1].x0 - ln.words[0].x1 > 0.15 * ln.words[0].size]
    out: set[int] = set()
    for ln in opened:
        twins = [o for o in opened if abs(o.words[0].x0 - ln.words[0].x0) <= 1.5
                 and abs(o.words[1].x0 - ln.words[1].x0) <= 1.5]
        if len(twins) >= 2:
            out.add(id(ln))
    return out


def _looks_like_o_bullet(line: Line) -> bool:
    # "o" as a word is a French word only in rare cases; as a bullet it is followed by a gap
    # wider than a space and by a word starting with a capital or a lower-case word.
    if len(line.words) < 2:
        return False
    gap = line.words[1].x0 - line.words[0].x1
    return gap > 0.4 * line.words[0].size


@dataclass
class Entry:
    kind: str  # "para" | "item"
    lines: list[Line]
    marker: str | None = None
    depth: int = 0
    text_x0: float = 0.0
    words: list[list[Word]] = field(default_factory=list)
    gap_before: bool = False  # a blank line (or a page break) separates it from the entry above

    @property
    def text(self) -> str:
        parts = [clean_line(_words_text(ws)) for ws in self.words]
        return join_wrapped(parts)

    @property
    def bold(self) -> bool:
        return all(ln.bold for ln in self.lines)

    @property
    def underlined(self) -> bool:
        return all(ln.underlined for ln in self.lines)

    @property
    def italic(self) -> bool:
        return all(ln.italic for ln in self.lines)


def _words_text(words: Sequence[Word]) -> str:
    return Line(list(words)).text if words else ""


TERMINAL = (".", "!", "?", ";", "…")  # what closes a sentence


def starts_lower(text: str) -> bool:
    """Does the text go on a sentence (lower case or punctuation first)?"""
    t = text.lstrip("«\"'( ")
    return bool(t) and (t[0].islower() or t[0] in ",;:.)")


def title_line(ln: Line) -> bool:
    """A line set as a title: bold or in capitals."""
    return ln.bold or ln.caps


def after_marker(line: Line) -> str:
    """The text of a line, its list marker left out."""
    _, words = split_marker(line)
    return Line(words).text if words else ""


def entry_openings(lines: Sequence[Line]) -> list[str]:
    """What opens each paragraph and list item of a block of lines, markers left out: where a
    document prints its codes (a wrapped line that starts with a number opens nothing)."""
    return [after_marker(e.lines[0]) for e in parse_entries(lines)]


# Words after which a French line cannot end a list item.
_JOINERS = frozenset(
    "le la les l' l’ de des du d' d’ à au aux et ou en un une par pour sur avec dans que qui "
    "dont sans sous entre vers chez son sa ses leur leurs ce cet cette ces".split()
)


def _list_item_goes_on(text_so_far: str, next_words: Sequence[Word]) -> bool:
    """In a list whose items start with a capital, does a capitalized line still continue?"""
    if text_so_far.rfind("(") > text_so_far.rfind(")"):
        return True  # the last parenthesis opened is still open
    stripped = text_so_far.rstrip()
    if stripped.endswith((",", "-", "'", "’", "/")):
        return True
    last = stripped.split()[-1].lower() if stripped.split() else ""
    if last in _JOINERS:
        return True
    first = next_words[0].text if next_words else ""
    # An acronym or a code ("B1", "RGPD", "A2") is no item start; nor is a bracket.
    return first[:1] in "([«\"" or sum(c.isupper() for c in first) >= 2 or any(c.isdigit() for c in first)


def _list_item_closed(text_so_far: str, next_words: Sequence[Word]) -> bool:
    stripped = text_so_far.rstrip()
    if not stripped.endswith((")", ".", "]", "»")) or stripped.rfind("(") > stripped.rfind(")"):
        return False
    first = next_words[0].text if next_words else ""
    return first[:1].isupper() and sum(c.isupper() for c in first) == 1 and not any(c.isdigit() for c in first)


def parse_entries(lines: Sequence[Line], right_edge: float | None = None,
                  justified: bool | None = None, list_mode: bool = False) -> list[Entry]:
    """Split lines into paragraphs and list items.

    A line continues the entry above unless: it opens with a marker; the vertical gap shows a
    blank line; its weight differs (bold heading above regular text); or the line above was
    short, i.e. the first word of this line would have fitted on it (and this line does not start
    in lower case).
    """
    if not lines:
        return []
    right = right_edge if right_edge is not None else max(ln.x1 for ln in lines)
    space = normal_space(lines)
    if justified is None:
        # Justified text: several lines end on the margin; then only a line that ends short of it
        # closes a paragraph, whatever would have fitted.
        flush = sum(1 for ln in lines if right - ln.x1 <= 1.5)
        justified = flush >= 3 and flush >= 0.3 * len(lines)
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0.9 * a.size <= b.top - a.top < 3 * a.size]
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    # When every paragraph is one line, the median gap is the blank line itself: cap by font size.
    pitch = min(sorted(pitches)[len(pitches) // 2], 1.35 * size) if pitches else size * 1.2
    entries: list[Entry] = []
    o_lists = _o_lists(lines)
    marker_levels: list[tuple[float, float, str]] = []  # (marker x0, text x0, glyph) of open levels
    prev: Line | None = None
    for ln in lines:
        marker, words = split_marker(ln, id(ln) in o_lists)
        text_x0 = words[0].x0 if words else ln.x1 + 2.0
        new_entry = True
        page_break = prev is not None and ln.page != prev.page
        blank = False
        if marker is None and entries and prev is not None:
            cur = entries[-1]
            first_word_w = (words[0].x1 - words[0].x0) if words else 0
            # Would the next word have fitted on the line above at normal spacing? Then the line
            # was broken on purpose (paragraph end or manual break), not wrapped. In justified
            # text, a line that stops short of the margin is a paragraph's last line.
            fits_above = natural_end(prev, space) + space + first_word_w < right - 0.5
            ended = (right - prev.x1 > 1.5 or fits_above) if justified else fits_above
            lower = starts_lower(ln.text)
            if list_mode and not lower and not fits_above:
                if right - prev.x1 > 1.5:
                    # Short of the margin yet the next word would not have fitted: the print
                    # cannot tell a wrap from an item end; the list's typography decides.
                    ended = not _list_item_goes_on(cur.text, words)
                else:
                    # At the margin: a wrap, unless the line closed its brackets or sentence and
                    # a plain capitalized word (an item start) follows.
                    ended = _list_item_closed(cur.text, words)
            if page_break:
                # No gap or indentation to compare across pages; a closed sentence ends there too.
                open_above = not prev.text.rstrip().endswith((".", "!", "?", ":", ";", "…"))
                new_entry = not (lower or (not ended and open_above))
                blank = new_entry
            else:
                gap = ln.top - prev.top
                blank = gap > pitch * 1.45 if gap > 0 else False
                weight_change = prev.bold != ln.bold and not lower
                # Continuation lines of an item hang at its text, right of the marker (or,
                # unindented, go on in lower case).
                indent_ok = cur.kind != "item" or ln.x0 >= cur.text_x0 - 2.0 or lower
                if (not blank and indent_ok and not weight_change and not _opens_with_code(words)
                        and (not ended or lower)):
                    new_entry = False
                if cur.underlined != ln.underlined and not lower:
                    new_entry = True
        elif marker is not None and prev is not None and not page_break:
            blank = ln.top - prev.top > pitch * 1.45
        if not new_entry:
            entries[-1].lines.append(ln)
            entries[-1].words.append(words)
        else:
            if marker is None:
                entries.append(Entry("para", [ln], None, 0, text_x0, [words], gap_before=blank))
            else:
                mx = ln.words[0].x0

                if page_break and marker_levels:
                    # Cell padding may shift a list between pages: the glyph finds its level again.
                    same = [i for i, lv in enumerate(marker_levels) if lv[2] == marker]
                    if same:
                        del marker_levels[same[-1] + 1 :]
                        marker_levels[-1] = (mx, text_x0, marker)

                def same_level(level: tuple[float, float, str]) -> bool:
                    # Glyphs of one level differ in width: aligned markers or aligned text both tell.
                    return abs(mx - level[0]) <= 2.0 or abs(text_x0 - level[1]) <= 2.0

                while marker_levels and not same_level(marker_levels[-1]) and mx < marker_levels[-1][0]:
                    marker_levels.pop()
                if marker_levels and same_level(marker_levels[-1]):
                    depth = len(marker_levels) - 1
                elif marker_levels and mx > marker_levels[-1][0]:
                    marker_levels.append((mx, text_x0, marker))
                    depth = len(marker_levels) - 1
                else:
                    marker_levels = [(mx, text_x0, marker)]
                    depth = 0
                entries.append(Entry("item", [ln], marker, depth, text_x0, [words], gap_before=blank))
        if marker is None and new_entry and ln.x0 <= (marker_levels[0][0] + 1 if marker_levels else ln.x0):
            # A paragraph at or left of the list's margin closes the list.
            marker_levels = []
        prev = ln
    return entries


def build_items(entries: Sequence[Entry]) -> list[Item]:
    """The bullet tree of the list entries (paragraphs between lists are not items)."""
    roots: list[Item] = []
    stack: list[tuple[int, Item]] = []
    for e in entries:
        if e.kind != "item":
            stack = []
            continue
        item = Item(marker=e.marker or "", text=e.text, children=[])
        while stack and stack[-1][0] >= e.depth:
            stack.pop()
        if stack:
            stack[-1][1].children.append(item)
        else:
            roots.append(item)
        stack.append((e.depth, item))
    return roots


def entries_text(entries: Sequence[Entry]) -> str:
    return "\n".join(t for t in (e.text for e in entries) if t)


def paragraphs(lines: Sequence[Line], gap_factor: float = 1.45) -> list[list[Line]]:
    """Group lines into blocks separated by vertical white space (a blank line or more)."""
    blocks: list[list[Line]] = []
    prev: Line | None = None
    for ln in lines:
        if prev is not None and ln.page == prev.page and ln.top - prev.bottom < gap_factor * ln.size * 0.6:
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
        prev = ln
    return blocks
