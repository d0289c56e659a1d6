"""The first picture waits only for what it draws: before the page marks "first-draw" it has
asked for one module, the first picture's modules joined (the diagram, its legend, the top
bar, the stepper), and none of the editor's, the Train dock's, the lessons', the Saved
panel's or the Inspector's, nor KaTeX; those come after it, sharing the joined modules, and a
URL that opens one of them directly still gets it. Nothing here is timed: the order of
requests is what is asserted (bench/training_page.py measures time).
"""

from __future__ import annotations

import re

from app.web import JOINED, LATER_MODULES, SHARED

# The stepper (inspect/stepper*.js) is not among them: it sits above the diagram and sizes it.
LATER = re.compile(r"/js/(build|train|lessons|saved|input)/|/js/inspect/(?!stepper)|/js/later\.js$")

# Every resource the page asked for, as path and whether it was asked for before the first
# drawn network (Resource Timing and the performance mark share one clock).
REQUESTS_JS = """() => {
  const first = performance.getEntriesByName("first-draw")[0].startTime;
  return performance.getEntriesByType("resource").map((r) => ({
    path: new URL(r.name).pathname,
    before: r.startTime < first,
  }));
}"""


def requests(page) -> tuple[list[str], list[str]]:
    seen = page.evaluate(REQUESTS_JS)
    return [r["path"] for r in seen if r["before"]], [r["path"] for r in seen if not r["before"]]


def module_of(path: str) -> str:
    """/static/v-<hash>/js/core/model.js -> js/core/model.js"""
    return re.sub(r"^/static/(v-[0-9a-f]+/)?", "", path)


def test_the_first_draw_needs_none_of_the_later_modules(page, open_page):
    open_page("?tab=inspector")
    before, after = requests(page)
    modules = [module_of(p) for p in before if p.endswith(".js")]
    assert modules == [JOINED], before
    # ... which holds none of the later views' modules.
    held = page.evaluate(
        """async () => {
          const joined = await import(document.querySelector("script[type=module]").src);
          return Object.keys(joined.modules);
        }"""
    )
    assert "js/main.js" in held and "js/diagram/canvas.js" in held
    assert not [m for m in held if LATER.search("/" + m)], held
    assert not any("katex" in p for p in before), before
    # The rest came after the first frame, and the views they make are on the page.
    later = {module_of(p) for p in after if p.endswith(".js")}
    assert set(LATER_MODULES) | set(SHARED) <= later, set(LATER_MODULES) - later
    # One instance of each shared module: the later views see the state the first picture set.
    assert page.evaluate(
        """async () => {
          const src = document.querySelector("script[type=module]").src;
          const joined = await import(src);
          const stand = await import(src.replace("first-picture.js", "core/state.js"));
          return stand.selectionFits === joined.modules["js/core/state.js"].selectionFits;
        }"""
    )
    assert page.locator("#train-play").is_visible()
    assert page.locator("#panel-inspector").inner_text().strip()


def test_a_url_that_opens_a_later_view_gets_it(page, open_page, settled):
    # The Build panel, the Paths tab and folded charts, straight from the URL.
    open_page("?panel=build&tab=paths&sel=w:1:0:0&charts=closed")
    settled()
    before, _ = requests(page)
    assert not [p for p in before if LATER.search(p)], before
    assert page.locator("#panel-build").is_visible()
    assert page.locator("#editor-add-layer").is_visible()
    assert page.locator("#panel-paths").is_visible() and page.locator("#panel-input").is_hidden()
    page.wait_for_function("() => document.querySelector('#panel-paths').textContent.trim() !== ''")
    assert page.get_attribute("#train-dock", "data-charts") == "closed"
    assert page.locator(".train-charts").is_hidden()


def test_a_url_that_opens_the_table_view_gets_its_numbers(page, open_page, api, inputs):
    # The table (inspect/table.js) comes after the first picture, which it replaces here.
    open_page("?view=table")
    assert page.locator("#canvas-wrap").is_hidden() and page.locator("#table-view").is_visible()
    page.wait_for_function("() => document.querySelector('#table-view table')")
    cost = api("backprop", inputs())["cost"]
    assert float(page.get_attribute("#cost-value", "data-cost")) == cost
