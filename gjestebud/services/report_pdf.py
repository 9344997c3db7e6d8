"""The printable report: HTML made into an A4 PDF by WeasyPrint, without touching the network.

WeasyPrint would fetch any URL the HTML names. The fetcher here serves only files from our own
static folder and the report's word clouds (through a callable), and refuses everything else:
other hosts, file paths outside static/, data and other schemes.
"""

from __future__ import annotations

import mimetypes
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from urllib.parse import unquote, urlsplit

STATIC_TYPES = {".css", ".png", ".svg", ".jpg", ".woff2", ".woff"}


def own_files_fetcher(static_root: str | Path, static_prefix: str, image_prefix: str,
                       images: Callable[[str], bytes | None]):
    """A WeasyPrint URL fetcher for our static files and the report's images only."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OwnFilesOnly(URLFetcher):
        """Serves static files and report images from memory and disk; nothing else."""

        def __init__(self, static_root: Path, static_prefix: str, image_prefix: str,
                     images: Callable[[str], bytes | None]):
            super().__init__(allowed_protocols=("http", "https"))
            self._root = static_root.resolve()
            self._static_prefix = static_prefix
            self._image_prefix = image_prefix
            self._images = images

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = unquote(parts.path)
            if parts.scheme in ("http", "https"):
                if path.startswith(self._static_prefix):
                    found = self._static(path.removeprefix(self._static_prefix))
                    if found is not None:
                        return URLFetcherResponse(url, found[0], {"Content-Type": found[1]})
                if path.startswith(self._image_prefix) and path.endswith(".png"):
                    png = self._images(path.removeprefix(self._image_prefix).removesuffix(".png"))
                    if png:
                        return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
            # Never the parent's fetch: that would go to the network or the file system.
            raise ValueError("Only the report's own files are used.")

        def _static(self, relative: str) -> tuple[bytes, str] | None:
            target = (self._root / relative).resolve()
            if self._root not in target.parents or not target.is_file() \
                    or target.suffix not in STATIC_TYPES:
                return None
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return target.read_bytes(), kind

    return OwnFilesOnly(Path(static_root), static_prefix, image_prefix, images)


def render_pdf(html: str, *, base_url: str, static_root: str | Path, static_prefix: str,
               image_prefix: str, images: Callable[[str], bytes | None]) -> bytes:
    """The HTML as a PDF; `images(scope)` gives the word cloud PNG under `image_prefix`."""
    from weasyprint import HTML

    fetcher = own_files_fetcher(static_root, static_prefix, image_prefix, images)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


# A PDF takes a second or more of CPU: the latest few are kept per process (together with a
# rate limit on the public route), so that a public link cannot be used to keep the server busy.
_CACHE: OrderedDict[Hashable, bytes] = OrderedDict()
CACHE_SIZE = 8


def cached(key: Hashable, render: Callable[[], bytes]) -> bytes:
    """The PDF for `key`, rendered by `render()` only when it is not among the latest few."""
    body = _CACHE.get(key)
    if body is None:
        body = render()
        _CACHE[key] = body
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return body
