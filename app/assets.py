"""/static: the page's files, served so the first picture costs few requests and few bytes.

- Every text file is gzip-compressed once (level 9, kept in memory, made again only if the
  file changes) instead of at each request.
- `Made` files are made from others on use (no build step): the five style sheets joined
  into one, the first picture's modules joined into one (app/modules.py) and the stand-ins
  that let later modules share them.
- A versioned path, /static/v-<hash>/..., may be cached for a year: the hash follows every
  file's size and modification time, so a changed file gets a new URL. Plain /static/...
  still serves the files as they are and is revalidated on every use.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

_TEXT = {".js", ".css", ".svg", ".json", ".html", ".txt", ".map", ".md"}
YEAR = "public, max-age=31536000, immutable"
RECHECK_S = 1.0  # the version is worked out again at most this often


@dataclass(frozen=True)
class Made:
    """A file served from others: `make` gets their texts, in order."""

    parts: list[str]
    make: Callable[[list[str]], str]
    versioned_only: bool = False  # plain /static/<path> still serves the file of that name


class Assets(StaticFiles):
    """/static, with text files kept gzipped in memory, and the `made` ones."""

    def __init__(self, directory: Path, made: dict[str, Made] | None = None) -> None:
        super().__init__(directory=directory)
        self.root = Path(directory)
        self.made = made or {}
        self._cache: dict[tuple[str, str], tuple[tuple, bytes, bytes, str]] = {}
        self._version = ""
        self._checked = -RECHECK_S
        # The page's own files are made and compressed now, so the first visitor waits for none.
        for rel in self.made:
            self._text(rel, versioned=True)
        for sub in ("js", "css", "img"):
            for path in sorted((self.root / sub).rglob("*")):
                if path.is_file():
                    self._text(path.relative_to(self.root).as_posix(), versioned=False)

    def version(self) -> str:
        """v-<hash of every file's path, size and mtime>: the prefix of cacheable URLs."""
        now = time.monotonic()
        if now - self._checked >= RECHECK_S:
            h = hashlib.sha256()
            for path in sorted(p for p in self.root.rglob("*") if p.is_file()):
                st = path.stat()
                h.update(
                    f"{path.relative_to(self.root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode()
                )
            self._version = f"v-{h.hexdigest()[:12]}"
            self._checked = now
        return self._version

    def _text(self, rel: str, *, versioned: bool) -> tuple[bytes, bytes, str] | None:
        """(bytes, gzip bytes, etag) of a text file or a made one, made once per version."""
        made = self.made.get(rel)
        if made and made.versioned_only and not versioned:
            made = None
        parts = made.parts if made else [rel]
        if Path(rel).suffix not in _TEXT:
            return None
        paths = [self.root / part for part in parts]
        try:
            if not all(p.resolve().is_relative_to(self.root.resolve()) for p in paths):
                return None
            stamp = tuple((st.st_mtime_ns, st.st_size) for st in (p.stat() for p in paths))
        except OSError:
            return None
        key = ("made" if made else "file", rel)
        hit = self._cache.get(key)
        if hit is None or hit[0] != stamp:
            try:
                if made is None:
                    raw = paths[0].read_bytes()
                else:
                    raw = made.make([p.read_text(encoding="utf-8") for p in paths]).encode()
            except OSError:  # a folder, or gone since
                return None
            etag = f'"{hashlib.md5(raw, usedforsecurity=False).hexdigest()}"'
            hit = (stamp, raw, gzip.compress(raw, compresslevel=9, mtime=0), etag)
            self._cache[key] = hit
        return hit[1], hit[2], hit[3]

    async def get_response(self, path: str, scope: Scope) -> Response:
        head, _, rest = path.partition(os.sep)
        versioned = head.startswith("v-") and bool(rest)
        if versioned:
            path = rest
        # An old version's URL gets today's file, but not for a year.
        cache = YEAR if versioned and head == self.version() else "no-cache"
        headers = Headers(scope=scope)
        rel = Path(path).as_posix()
        if scope["method"] in ("GET", "HEAD") and (rel in self.made or "range" not in headers):
            hit = self._text(rel, versioned=versioned)
            if hit is not None:
                raw, gz, etag = hit
                zipped = "gzip" in headers.get("accept-encoding", "")
                if zipped:
                    etag = etag[:-1] + '-gz"'  # another representation, another tag
                common = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
                if etag in headers.get("if-none-match", ""):
                    return Response(status_code=304, headers=common)
                media = mimetypes.guess_type(rel)[0] or "application/octet-stream"
                if zipped:
                    common["Content-Encoding"] = "gzip"
                body = gz if zipped else raw
                if scope["method"] == "HEAD":
                    common["Content-Length"] = str(len(body))
                    body = b""
                return Response(body, media_type=media, headers=common)
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = cache
        return response
