"""The page's ES modules as the server sees them: which ones the first picture needs, and
those joined into one module so the first picture costs one request, not one per module.

No build step: the joined module is made from the files on use (app/assets.py keeps it until
a file changes). It holds each module in a function of its own, in import order (so every
module keeps its own scope, and runs once, after what it imports); static `import {...}` and
`import * as` of another of them become reads of that module's exports, and `export`
declarations are returned as those exports. A module loaded later (js/later.js and what it
imports) that imports one of them gets a stand-in instead, re-exporting the same instance.
Only the forms this code base uses are accepted; any other makes the server refuse to start.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath

# A static import or re-export of a relative module (dynamic import() is left out on purpose).
_IMPORT = re.compile(
    r"""^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.{1,2}/[^"']+)["']|^\s*import\s*["'](\.{1,2}/[^"']+)["']""",
    re.M | re.S,
)
# The import statements the joiner rewrites: `import { a, b as c } from "./x.js";` and
# `import * as X from "./x.js";`.
_IMPORT_STMT = re.compile(
    r"""^import\s+(\{[^}]*\}|\*\s+as\s+[\w$]+)\s+from\s*["'](\.{1,2}/[^"']+)["'];?[ \t]*$""", re.M
)
_EXPORT_DECL = re.compile(r"^export\s+(?=(?:async\s+)?function\b|const\b|class\b)", re.M)
HOLDER = "__joined"  # the joined module's one name of its own: no module may use it
_DECLARED = re.compile(r"^(?:async\s+)?(?:function\*?|const|class)\s+([\w$]+)")


def _resolve(rel: str, spec: str) -> str:
    return PurePosixPath(os.path.normpath(PurePosixPath(rel).parent / spec)).as_posix()


def imports_of(static_dir: Path, rel: str) -> list[str]:
    """The modules `rel` imports statically, as paths under static/, in the order written."""
    text = (static_dir / rel).read_text(encoding="utf-8")
    return [_resolve(rel, m.group(1) or m.group(2)) for m in _IMPORT.finditer(text)]


def module_order(static_dir: Path, start: str) -> list[str]:
    """`start` and every module it imports statically, each after the ones it imports."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(rel: str, via: tuple[str, ...]) -> None:
        if state.get(rel) == "done":
            return
        if state.get(rel) == "open":
            raise ValueError(f"import cycle: {' -> '.join((*via, rel))}")
        state[rel] = "open"
        for dep in imports_of(static_dir, rel):
            visit(dep, (*via, rel))
        state[rel] = "done"
        order.append(rel)

    visit(start, ())
    return order


def module_closure(static_dir: Path, start: str) -> list[str]:
    """`start` ("js/later.js") and every module it imports statically, sorted (cycles are fine
    here: these are served as they are)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        rel = todo.pop()
        if rel not in seen:
            seen.add(rel)
            todo.extend(imports_of(static_dir, rel))
    return sorted(seen)


def exports_of(rel: str, text: str) -> list[str]:
    names = [_DECLARED.match(text[m.end() :]) for m in _EXPORT_DECL.finditer(text)]
    if None in names or len(names) != len(re.findall(r"^export\b", text, re.M)):
        raise ValueError(f"{rel}: an export form the module joiner does not know")
    return [m.group(1) for m in names if m]


def _module_function(rel: str, text: str) -> str:
    def bind(m: re.Match) -> str:
        what, target = m.group(1), _resolve(rel, m.group(2))
        names = what.replace(" as ", ": ") if what.startswith("{") else what.split()[-1]
        return f"const {names} = {HOLDER}[{json.dumps(target)}];"

    if HOLDER in text:
        raise ValueError(f"{rel}: uses {HOLDER}, the module joiner's own name")
    body = _IMPORT_STMT.sub(bind, text)
    if re.search(r"^import\b", body, re.M):
        raise ValueError(f"{rel}: an import form the module joiner does not know")
    exports = exports_of(rel, text)
    body = _EXPORT_DECL.sub("", body)
    key, names = json.dumps(rel), ", ".join(exports)
    return f"// ---- {rel}\n{HOLDER}[{key}] = (() => {{\n{body}\nreturn {{ {names} }};\n}})();\n"


def joined(order: list[str], texts: list[str]) -> str:
    """The modules of `order` (their sources in `texts`) as one ES module exporting `modules`."""
    head = (
        "// The first picture's modules joined into one by the server (app/modules.py), each in\n"
        "// a function of its own, in import order. The files themselves are under /static/js.\n"
        f"const {HOLDER} = {{}};\n"
    )
    parts = [_module_function(rel, text) for rel, text in zip(order, texts, strict=True)]
    return head + "\n".join(parts) + f"\nexport {{ {HOLDER} as modules }};\n"


def stand_in(rel: str, text: str, joined_rel: str) -> str:
    """What a later module gets for `rel` (one of the joined ones): the same instance."""
    spec = os.path.relpath(joined_rel, PurePosixPath(rel).parent)
    spec = spec if spec.startswith(".") else f"./{spec}"
    names = exports_of(rel, text)
    out = f"// {rel}, from the joined first picture (app/modules.py).\n"
    out += f'import {{ modules }} from "{spec}";\n'
    if names:
        out += f"export const {{ {', '.join(names)} }} = modules[{json.dumps(rel)}];\n"
    return out
