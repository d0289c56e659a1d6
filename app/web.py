"""The page: `/` rendered from templates/ and the ES modules under /static.

The page talks to the REST API; `/` only adds, for a fast first picture, the API's own
answers for the first network (app/boot.py), and loads the modules that picture needs as one
(app/modules.py). The other views' modules are named for the page to preload once it has drawn.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.assets import Assets, Made
from app.boot import boot_data
from app.modules import imports_of, joined, module_closure, module_order, stand_in

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
TEMPLATES_DIR = ROOT / "templates"
# The first picture's modules (main.js and what it imports), each after what it imports; they
# reach the page as one, JOINED. The rest (js/later.js and its imports) come after the first draw.
ORDER = module_order(STATIC_DIR, "js/main.js")
MODULES = sorted(ORDER)
JOINED = "js/first-picture.js"
LATER_MODULES = [m for m in module_closure(STATIC_DIR, "js/later.js") if m not in MODULES]
# The joined modules that later ones import, served to them as stand-ins (app/modules.py).
SHARED = sorted({d for m in LATER_MODULES for d in imports_of(STATIC_DIR, m) if d in MODULES})
KATEX_VERSION = (STATIC_DIR / "vendor" / "katex" / "VERSION").read_text().strip()
# The page's style sheets, in their cascade order, as one request.
STYLES = ["css/app.css", "css/build.css", "css/train.css", "css/lessons.css", "css/display.css"]


def _stand_in(rel: str) -> Made:
    return Made([rel], lambda texts: stand_in(rel, texts[0], JOINED), versioned_only=True)


templates = Jinja2Templates(directory=TEMPLATES_DIR)
assets = Assets(
    STATIC_DIR,
    made={
        "css/page.css": Made(STYLES, "\n".join),
        JOINED: Made(ORDER, lambda texts: joined(ORDER, texts)),
        **{m: _stand_in(m) for m in ORDER},
    },
)
router = APIRouter(include_in_schema=False)
router.mount("/static", assets, name="static")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    version = assets.version()

    def asset(path: str) -> str:
        """The versioned URL of a static file (cached for a year; a new version, a new URL)."""
        return request.url_for("static", path=f"{version}/{path}").path

    context = {
        "katex_version": KATEX_VERSION,
        "asset": asset,
        "joined": JOINED,
        "later": [asset(m) for m in [*LATER_MODULES, *SHARED]],
        "boot": boot_data(request),
    }
    return templates.TemplateResponse(request, "index.html", context)
