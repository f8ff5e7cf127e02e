"""Errors a user can act on. Each carries the pipeline stage and a hint."""

from __future__ import annotations

from typing import Callable


class ExtractError(Exception):
    """A deterministic failure on one input: reported, never retried."""

    stage = "extract"
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None, stage: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint
        if stage is not None:
            self.stage = stage


class InputError(ExtractError):
    """The file is not a readable PDF (empty, corrupt, not a PDF, encrypted...)."""

    stage = "read"


class LimitExceeded(ExtractError):
    """The input exceeds a configured limit (pages, page size, time, memory)."""

    stage = "limits"


class NeedsOCR(ExtractError):
    """The PDF has pages but no text layer."""

    stage = "read"
    hint = "This PDF is a scan without a text layer: run OCR (e.g. ocrmypdf) first, then ingest the result."


class TransientError(Exception):
    """A failure worth retrying (network download)."""


def caused_by(e: BaseException, predicate: Callable[[BaseException], bool]) -> bool:
    """Does e, or an exception it wraps (cause, context, or argument), satisfy predicate?

    Parsers wrap each other's errors (pdfplumber around pdfminer around zlib)."""
    seen: set[int] = set()
    stack: list[object] = [e]
    while stack:
        x = stack.pop()
        if id(x) in seen or not isinstance(x, BaseException):
            continue
        seen.add(id(x))
        if predicate(x):
            return True
        stack += [x.__cause__, x.__context__, *x.args]
    return False


def is_memory_error(e: BaseException) -> bool:
    return caused_by(e, lambda x: isinstance(x, MemoryError) or "unable to allocate" in str(x).lower())
