"""The page's static files: which modules the first picture needs, and how they are served.

- `first_picture_modules()`: main.js and what it imports, followed through every static
  `import ... from "./..."`; the page preloads only these. `later_modules()`: what
  js/later.js adds (imported by main.js once the network is drawn).
- `Assets`: /static, with every text file gzip-compressed once (level 9, kept in memory, made
  again only if the file changes) instead of at each request; bundles, several files joined
  and served as one for fewer requests (joined on use: no build step); and a versioned
  path, /static/v-<hash>/..., whose answers may be cached for a year: the hash follows
  every file's size and modification time, so a changed file gets a new URL. Plain
  /static/... still works and is revalidated on every use.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import re
import time
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# A static import or re-export of a relative module (dynamic import() is left out on purpose).
_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']|^\s*import\s*["'](\.{1,2}/[^"']+)["']""",
    re.M | re.S,
)
_TEXT = {".js", ".css", ".svg", ".json", ".html", ".txt", ".map", ".md"}
YEAR = "public, max-age=31536000, immutable"
RECHECK_S = 1.0  # the version is worked out again at most this often


def module_closure(static_dir: Path, start: str) -> list[str]:
    """`start` ("js/main.js") and every module it imports statically, as paths under static/."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        text = (static_dir / rel).read_text(encoding="utf-8")
        base = Path(rel).parent
        for m in _IMPORT.finditer(text):
            target = os.path.normpath(base / (m.group(1) or m.group(2)))
            todo.append(Path(target).as_posix())
    return sorted(seen)


class Assets(StaticFiles):
    """/static, with text files kept gzipped in memory and `bundles`: a path served as the
    files it names joined in order (the page's five style sheets in one request)."""

    def __init__(self, directory: Path, bundles: dict[str, list[str]] | None = None) -> None:
        super().__init__(directory=directory)
        self.root = Path(directory)
        self.bundles = bundles or {}
        self._cache: dict[str, tuple[tuple, bytes, bytes, str]] = {}
        self._version = ""
        self._checked = -RECHECK_S
        # The page's own code is compressed now, so the first visitor does not wait for it.
        for rel in [*self.bundles, *(p.relative_to(self.root).as_posix() for p in self._own())]:
            self._text(rel)

    def _own(self) -> list[Path]:
        return [
            p
            for sub in ("js", "css", "img")
            for p in sorted((self.root / sub).rglob("*"))
            if p.is_file()
        ]

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

    def _text(self, rel: str) -> tuple[bytes, bytes, str] | None:
        """(bytes, gzip bytes, etag) of a text file or bundle, made once per version of it."""
        parts = self.bundles.get(rel, [rel])
        if Path(parts[0]).suffix not in _TEXT:
            return None
        paths = [self.root / part for part in parts]
        try:
            if not all(p.resolve().is_relative_to(self.root.resolve()) for p in paths):
                return None
            stamp = tuple((st.st_mtime_ns, st.st_size) for st in (p.stat() for p in paths))
        except OSError:
            return None
        hit = self._cache.get(rel)
        if hit is None or hit[0] != stamp:
            try:
                raw = b"\n".join(p.read_bytes() for p in paths)
            except OSError:  # a folder, or gone since
                return None
            etag = f'"{hashlib.md5(raw, usedforsecurity=False).hexdigest()}"'
            hit = (stamp, raw, gzip.compress(raw, compresslevel=9, mtime=0), etag)
            self._cache[rel] = hit
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
        if scope["method"] in ("GET", "HEAD") and (rel in self.bundles or "range" not in headers):
            hit = self._text(rel)
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
