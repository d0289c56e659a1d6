"""axe-core in the page under test: vendored (static/vendor/axe-core, pinned in its VERSION),
injected here only; the page itself never loads it."""

from __future__ import annotations

from pathlib import Path

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core"
AXE_JS = VENDOR / "axe.min.js"
AXE_VERSION = (VENDOR / "VERSION").read_text().strip()
# WCAG 2.1 A and AA, plus 2.2's target size (the issue asks for 24 px click targets).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_JS = """async (tags) => {
  const r = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return {
    version: axe.version,
    rules: r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length,
    violations: r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
    })),
  };
}"""


def scan(page) -> dict:
    """Run axe-core over the whole page as it is now; returns its version, the number of
    rules it ran and the violations (id, impact, failing nodes)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        # By URL from the app's own static files: the page's CSP (script-src 'self') refuses
        # inline scripts, and a test should not need to loosen it.
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    return page.evaluate(RUN_JS, TAGS)


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): " + " | ".join(v["nodes"][:5]) for v in violations
    )


# The networks the layout tests open. DEEP_NET: five layers of weights, so the stepper's
# chips wrap onto several rows at 1280 px and every colour of the norm chart is in use.
XOR_NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 5},
}
DEEP_NET = {
    "sizes": [2, 4, 4, 4, 4, 2],
    "activations": ["sigmoid", "sigmoid", "sigmoid", "sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 1},
}
