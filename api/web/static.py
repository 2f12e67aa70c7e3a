"""The PWA's static files, and the repo's shared_rules/ read-only at /rules/shared_rules/ (the sources of
the bytecode bundle the phone runs, pwa/vendor/rules.mpypack; the app itself no longer fetches them).
Content-hashed files are immutable for a year; everything else (HTML, the service worker, the manifest,
the built vendor files whose names carry no hash) is `no-cache`: revalidated with its ETag, so an
unchanged file costs a 304. Text and wasm go out gzipped when the client accepts it (compressed once per
file version and kept in memory): the shell is ~62 KB on the wire instead of ~360."""

from __future__ import annotations

import gzip
import mimetypes
import os
import re
from pathlib import Path, PurePosixPath

from litestar import Request, Response, get, head
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import File, Redirect

from ..settings import Settings
from .problems import not_found

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
HASHED = re.compile(r"[.-][0-9a-fA-F]{8,}\.[A-Za-z0-9]+$")  # app.3f9a1c2e.js, chunk-5d41402abc.css
# text/* without a charset: Litestar adds "; charset=utf-8" to every text/ type itself (with one here
# the header said "charset=utf-8; charset=utf-8").
TYPES = {
    ".wasm": "application/wasm",
    ".py": "text/x-python",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".map": "application/json",
    ".mpypack": "application/octet-stream",  # the rules as MicroPython bytecode (pwa/build-rules.mjs)
}
RULES_PREFIX = "rules/shared_rules/"
RULES_SUFFIXES = {".py", ".json", ".csv", ".md"}
NO_SPA = ("api/", "feeds/", "schema", "rules/")


def media_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def cache_control(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    if HASHED.search(name):
        return IMMUTABLE
    return NO_CACHE


COMPRESSIBLE = {".wasm", ".py", ".js", ".mjs", ".css", ".html", ".json", ".webmanifest", ".svg", ".txt",
                ".md", ".map", ".mpypack"}
_gzip_cache: dict[tuple[str, int, int], bytes] = {}
_GZIP_CACHE_MAX = 256


def _gzipped(path: Path, st: os.stat_result) -> bytes:
    key = (str(path), st.st_mtime_ns, st.st_size)
    body = _gzip_cache.get(key)
    if body is None:
        body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        if len(_gzip_cache) >= _GZIP_CACHE_MAX:
            _gzip_cache.clear()
        _gzip_cache[key] = body
    return body


def _accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _safe_join(root: Path, rel: str) -> Path | None:
    parts = PurePosixPath(rel).parts
    if any(p in ("..", "") or p.startswith(".") for p in parts):
        return None
    target = (root / Path(*parts)).resolve() if parts else root.resolve()
    root_r = root.resolve()
    if target != root_r and root_r not in target.parents:
        return None
    return target


def make_static_handlers(settings: Settings) -> list[HTTPRouteHandler]:
    pwa_root = settings.pwa_dir
    rules_root = settings.rules_dir

    def resolve(rel: str) -> tuple[Path, str] | None:
        if rel.startswith(RULES_PREFIX):
            sub = rel[len(RULES_PREFIX):]
            p = _safe_join(rules_root, sub)
            if p is None or p.suffix not in RULES_SUFFIXES or "__pycache__" in p.parts or not p.is_file():
                return None
            return p, NO_CACHE
        p = _safe_join(pwa_root, rel)
        if p is not None and p.is_dir():
            p = p / "index.html"
        if p is None or not p.is_file():
            return None
        return p, cache_control(rel)

    def serve(request: Request, rel: str) -> Response:
        found = resolve(rel)
        if found is None:
            # client-side routes of the PWA (no extension, a page navigation) get the app shell
            last = rel.rsplit("/", 1)[-1]
            if not rel.startswith(NO_SPA) and "." not in last and "text/html" in request.headers.get("accept", ""):
                found = resolve("index.html")
        if found is None:
            raise not_found("Dit bestand bestaat niet.")
        path, cc = found
        if path.suffix == ".html" and settings.redirect_ip_to_rp and _is_ip_host(request) \
                and settings.rp_id == "localhost":
            # passkeys do not work on an IP address: send the page load to http://localhost:<port>
            query = ("?" + request.url.query) if request.url.query else ""
            return Redirect(settings.public_url + request.url.path + query, status_code=307)
        st = path.stat()
        compress = path.suffix.lower() in COMPRESSIBLE and _accepts_gzip(request)
        etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}{"-gz" if compress else ""}"'
        headers = {"Cache-Control": cc, "ETag": etag}
        if path.suffix.lower() in COMPRESSIBLE:
            headers["Vary"] = "Accept-Encoding"
        if request.headers.get("if-none-match") == etag:
            return Response(content=b"", status_code=304, headers=headers)
        if compress:
            headers["Content-Encoding"] = "gzip"
            return Response(content=_gzipped(path, st), media_type=media_type(path), headers=headers)
        return File(path=path, media_type=media_type(path), headers=headers, content_disposition_type="inline",
                    etag=None)

    # "/" is the app shell; a path below it is a file (Litestar: one handler, two paths, the path
    # parameter's default for the first)
    @get(["/", "/{file_path:path}"], include_in_schema=False, name="pwa-static")
    async def static(request: Request, file_path: FromPath[str] = "index.html") -> Response:
        return serve(request, file_path.lstrip("/"))

    @head(["/", "/{file_path:path}"], include_in_schema=False, name="pwa-static-head")
    async def static_head(request: Request, file_path: FromPath[str] = "index.html") -> File:
        return _head(request, file_path.lstrip("/"))

    def _head(request: Request, rel: str) -> File:
        found = resolve(rel)
        if found is None:
            raise not_found("Dit bestand bestaat niet.")
        path, cc = found
        return File(path=path, media_type=media_type(path), headers={"Cache-Control": cc},
                    content_disposition_type="inline")

    return [static, static_head]


def _is_ip_host(request: Request) -> bool:
    host = request.headers.get("host", "")
    hostname = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
    return bool(re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", hostname)) or hostname.startswith("[")
