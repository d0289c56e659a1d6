"""The page's static files: which modules the first picture needs, and how they are served.

- `first_picture_modules()`: main.js and what it imports, followed through every static
  `import ... from "./..."`; the page preloads only these. `later_modules()`: what
  js/later.js adds (imported by main.js once the network is drawn).
- `Assets`: /static, with every text file gzip-compressed once (level 9, kept in memory, made
  again only if the file changes) instead of at each request, and a versioned path,
  /static/v-<hash>/..., whose answers may be cached for a year: the hash follows every
  file's size and modification time, so a changed file gets a new URL. Plain /static/...
  still works and is revalidated on every use.
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
    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory)
        self.root = Path(directory)
        self._gz: dict[str, tuple[tuple[int, int], bytes, str]] = {}
        self._version = ""
        self._checked = -RECHECK_S
        # The page's own code is compressed now, so the first visitor does not wait for it.
        for sub in ("js", "css", "img"):
            for path in sorted((self.root / sub).rglob("*")):
                if path.is_file():
                    self._compressed(path)

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

    def _compressed(self, path: Path) -> tuple[bytes, str] | None:
        """(gzip bytes, etag) of a text file, made once per version of the file."""
        if path.suffix not in _TEXT:
            return None
        try:
            st = path.stat()
        except OSError:
            return None
        key = str(path)
        stamp = (st.st_mtime_ns, st.st_size)
        hit = self._gz.get(key)
        if hit is None or hit[0] != stamp:
            raw = path.read_bytes()
            etag = f'"{hashlib.md5(raw, usedforsecurity=False).hexdigest()}-gz"'
            hit = (stamp, gzip.compress(raw, compresslevel=9, mtime=0), etag)
            self._gz[key] = hit
        return hit[1], hit[2]

    async def get_response(self, path: str, scope: Scope) -> Response:
        head, _, rest = path.partition(os.sep)
        versioned = head.startswith("v-") and bool(rest)
        if versioned:
            path = rest
        # An old version's URL gets today's file, but not for a year.
        cache = YEAR if versioned and head == self.version() else "no-cache"
        headers = Headers(scope=scope)
        if (
            scope["method"] == "GET"
            and "gzip" in headers.get("accept-encoding", "")
            and "range" not in headers
            and (self.root / path).resolve().is_relative_to(self.root.resolve())
            and (hit := self._compressed(self.root / path))
        ):
            body, etag = hit
            common = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
            if etag in headers.get("if-none-match", ""):
                return Response(status_code=304, headers=common)
            media = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return Response(body, media_type=media, headers={**common, "Content-Encoding": "gzip"})
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = cache
        return response
