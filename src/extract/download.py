"""Fetching PDFs listed by URL in a manifest: bounded, checked, and saved under a safe name."""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from extract.errors import InputError, LimitExceeded, TransientError
from extract.outputs import atomic_write_bytes


@dataclass(frozen=True)
class DownloadLimits:
    max_bytes: int = 100 * 1024 * 1024
    timeout: float = 30.0


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(url: str, content_disposition: str | None = None) -> str:
    """A local file name that cannot leave the download folder, whatever the server says."""
    name = ""
    if content_disposition:
        m = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', content_disposition, re.I)
        if m:
            name = urllib.parse.unquote(m.group(1))
    if not name:
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    # Only the last path component, no dots-only names, a restricted alphabet.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = _UNSAFE.sub("-", Path(name).stem).strip(".-") or "download"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return f"{stem[:80]}-{digest}.pdf"


def fetch(url: str, dest_dir: Path, limits: DownloadLimits = DownloadLimits()) -> Path:
    """Download one URL into dest_dir. Transient network failures raise TransientError (retried by
    the flow); bad content raises InputError/LimitExceeded (never retried)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"unsupported URL scheme in {url!r}", hint="Use an http(s) URL or a local path.")
    request = urllib.request.Request(url, headers={"User-Agent": "rncp-extract"})
    try:
        with urllib.request.urlopen(request, timeout=limits.timeout) as resp:  # noqa: S310 - scheme checked above
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_bytes:
                raise LimitExceeded(f"{url}: {int(declared) / 1e6:.1f} MB announced, over the download limit",
                                    hint="Raise --max-mb if this file is legitimate.", stage="download")
            data = resp.read(limits.max_bytes + 1)
            disposition = resp.headers.get("Content-Disposition")
    except urllib.error.HTTPError as e:
        if e.code >= 500 or e.code == 429:
            raise TransientError(f"{url}: HTTP {e.code}") from e
        raise InputError(f"{url}: HTTP {e.code} {e.reason}", hint="Check the URL.", stage="download") from e
    except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
        raise TransientError(f"{url}: {e}") from e
    if len(data) > limits.max_bytes:
        raise LimitExceeded(f"{url}: more than {limits.max_bytes / 1e6:.0f} MB", hint="Raise --max-mb if legitimate.",
                            stage="download")
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise InputError(f"{url} did not return a PDF", hint="The server answered with something else "
                         "(an HTML error or login page?): open the URL in a browser.", stage="download")
    path = dest_dir / safe_name(url, disposition)
    atomic_write_bytes(path, data)
    return path
