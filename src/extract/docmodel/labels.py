"""Lists whose entries open with a bold label set before regular text ("AC 1 Implémenter …",
"CE 2 En appliquant …"), wrapped lines hanging under the text: the label is a printed code."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.layout import Line, Word


@dataclass
class LabelledEntry:
    label: str
    lines: list[Line]
    words: list[list[Word]] = field(default_factory=list)  # per line, the words after the label

    @property
    def texts(self) -> list[str]:
        """The printed lines of the entry without its label."""
        return [Line(list(ws)).text for ws in self.words if ws]


def _label(line: Line) -> tuple[str, list[Word]] | None:
    """A line's opening label: one to three bold words holding a digit, then regular words."""
    n = 0
    while n < len(line.words) and line.words[n].bold:
        n += 1
    if not 1 <= n <= 3 or n == len(line.words):
        return None
    label = Line(line.words[:n]).text
    if not any(c.isdigit() for c in label):
        return None
    return label, line.words[n:]


def labelled_entries(lines: list[Line]) -> list[LabelledEntry] | None:
    """The entries of a labelled list, in reading order; None unless its first line opens with
    a label. A line without a label continues the entry above."""
    if not lines or _label(lines[0]) is None:
        return None
    out: list[LabelledEntry] = []
    for ln in lines:
        found = _label(ln)
        if found is not None:
            out.append(LabelledEntry(found[0], [ln], [found[1]]))
        else:
            out[-1].lines.append(ln)
            out[-1].words.append(list(ln.words))
    return out
