"""Every number in typeset maths is one number, and no TeX source shows as plain text.

A network whose gradients are all below 1e-3 (many of them negative) puts numbers like
-2.5e-4 into every formula; each is checked in KaTeX's TeX annotation and its MathML,
and the visible text of the page is scanned for TeX source, over every view.
"""

from __future__ import annotations

import pytest

# In each visible formula: the TeX source (KaTeX's annotation) holds no U+2212 minus and
# no e-notation, every "\times 10" has its exponent, and the MathML has no number followed
# by an identifier "e" (how "4.415e-4" used to be typeset: 4.415 e minus 4).
FORMULAS_JS = r"""() => {
  const out = { formulas: 0, sci: [], bad: [] };
  for (const k of document.querySelectorAll(".katex")) {
    if (!k.checkVisibility()) continue;
    out.formulas++;
    const src = k.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? "";
    const say = (why) => out.bad.push(`${why}: ${src.slice(0, 160)}`);
    if (src.includes("\u2212")) say("U+2212 in TeX");
    if (/\d\s*e\s*[-+\u2212]?\s*\d/.test(src)) say("e-notation in TeX");
    for (const m of src.matchAll(/(-?[\d.]+) \\times 10/g)) {
      const rest = src.slice(m.index + m[0].length);
      const exp = /^\^\{(-?\d+)\}/.exec(rest);
      if (!exp) say("\\times 10 without its exponent");
      else out.sci.push(Number(`${m[1]}e${exp[1]}`));
    }
    const tokens = [...k.querySelectorAll("math mn, math mi, math mo")];
    tokens.forEach((t, i) => {
      const tag = (n) => n?.tagName.toLowerCase();
      if (tag(t) === "mi" && t.textContent === "e" && tag(tokens[i - 1]) === "mn")
        say("number followed by e in MathML");
    });
    const html = k.querySelector(".katex-html")?.textContent ?? "";
    if (/\d(\.\d+)?e[\u2212-]\d/.test(html)) say("e-notation in the rendered formula");
  }
  return out;
}"""

# Visible text outside KaTeX (and titles, aria-labels, options) holds no TeX source:
# no \commands, no x^2 or x_{..} written with carets and underscores.
RAW_TEXT_JS = r"""() => {
  const SYM = "[A-Za-z\u03b4\u03c3\u2202\\])]"; // a letter, δ, σ, ∂ or a bracket
  const RAW = new RegExp(`\\\\[a-zA-Z]+|${SYM}\\^[\\w{(]|${SYM}_[\\w{(]|\\^\\{|_\\{`);
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(".katex, script, style, noscript, code")) continue;
    if (!n.nodeValue.trim() || !el.checkVisibility()) continue;
    if (RAW.test(n.nodeValue)) bad.push(n.nodeValue.trim().slice(0, 100));
  }
  for (const el of document.querySelectorAll("[title], [aria-label], option")) {
    if (el.closest(".katex")) continue;
    const texts = [el.getAttribute("title"), el.getAttribute("aria-label")];
    if (el.tagName === "OPTION") texts.push(el.textContent);
    for (const t of texts) if (t && RAW.test(t)) bad.push(`${el.tagName}: ${t.slice(0, 100)}`);
  }
  return bad;
}"""

TINY = {
    "sizes": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "weights": [[[0.12, -0.08], [-0.1, 0.15]], [[0.11, -0.09], [-0.13, 0.07]]],
    "biases": [[0.05, -0.04], [0.02, -0.03]],
}
X = [0.6, -0.4]


def tex_of(v: float, digits: int = 4) -> str:
    """The TeX the page writes for v (static/js/core/format.js tex())."""
    a = abs(v)
    sign = "-" if v < 0 else ""
    if 1e-3 <= a < 1e5:
        m = float(f"{a:.{digits}g}")
        return sign + (str(int(m)) if m.is_integer() else repr(m))
    mant, exp = f"{a:.{digits - 1}e}".split("e")
    m = float(mant)
    return f"{sign}{int(m) if m.is_integer() else repr(m)} \\times 10^{{{int(exp)}}}"


def annotation(locator) -> str:
    return locator.locator('annotation[encoding="application/x-tex"]').first.text_content()


@pytest.fixture
def tiny(page, open_page, saved_network, web_server, settled):
    """The tiny network on screen with a target 0.002 above its output: every gradient is
    below 1e-3. Returns the API's backprop answer for that input."""
    nid = saved_network(TINY, "tiny gradients", "xor")
    r = page.request.post(f"{web_server}/api/forward", data={"network": TINY, "x": X})
    y = [a + 0.002 for a in r.json()["output"]]
    open_page(f"?net={nid}")
    page.evaluate("([x, y]) => window.__explorer.setInput(x, y)", [X, y])
    settled()
    url = f"{web_server}/api/networks/{nid}/backprop"
    answer = page.request.post(url, data={"x": X, "y": y}).json()
    grads = [g for layer in answer["layers"][1:] for row in layer["grad_w"] for g in row]
    grads += [g for layer in answer["layers"][1:] for g in layer["grad_b"]]
    assert all(abs(g) < 1e-3 for g in grads) and min(grads) < 0, grads
    return answer


def check(page, where: str) -> list[float]:
    f = page.evaluate(FORMULAS_JS)
    assert f["formulas"] > 0, where
    assert not f["bad"], f"{where}: {f['bad']}"
    raw = page.evaluate(RAW_TEXT_JS)
    assert not raw, f"{where}: TeX source in plain text: {raw}"
    return f["sci"]


SELECT_JS = """([s, tab]) => {
  const [k, ...n] = s.split(":");
  const [layer, j, kk] = n.map(Number);
  const kind = { w: "weight", b: "bias", n: "neuron" }[k];
  const sel = kind === "weight" ? { kind, layer, j, k: kk } : { kind, layer, j };
  window.__explorer.state.set({ tab, sel });
}"""


def select(page, sel: str, tab: str = "inspector") -> None:
    """select(page, "w:2:0:1", "paths"): the selection and the right-hand tab, as a click would."""
    page.evaluate(SELECT_JS, [sel, tab])


def test_tiny_gradients_typeset_as_one_number_everywhere(page, tiny, shot):
    answer = tiny
    seen: list[float] = []

    # Inspector: a weight of each layer, with the BP2 sum opened, a bias, each neuron kind.
    select(page, "w:2:0:1")
    panel = page.locator("#panel-inspector[data-kind=weight][data-layer='2']")
    panel.wait_for()
    grad = answer["layers"][2]["grad_w"][0][1]
    assert float(panel.locator("[data-q=grad]").get_attribute("data-value")) == grad
    # The BP4 line shows the API's number as one number: -2.5 \times 10^{-4}, not 2.5e-4.
    bp4 = annotation(panel.locator(".eq[data-bp='4']"))
    assert tex_of(grad) in bp4 and "\\times 10^{-" in tex_of(grad), (tex_of(grad), bp4)
    # The plain-text value reads the same way: −2.497×10⁻⁴.
    shown = panel.locator("[data-q=grad] .num").inner_text()
    assert "×10" in shown and shown.startswith("\u2212"), shown
    seen += check(page, "inspector, w^2_01")
    shot("tiny-weight")

    select(page, "w:1:1:0")
    panel = page.locator("#panel-inspector[data-kind=weight][data-layer='1']")
    panel.wait_for()
    panel.locator("details.bp2-sum summary").click()
    seen += check(page, "inspector, w^1_10 with the BP2 sum open")
    for sel in ("b:1:0", "n:2:0", "n:1:1", "n:0:1"):
        select(page, sel)
        page.locator(f"#panel-inspector[data-layer='{sel.split(':')[1]}']").wait_for()
        seen += check(page, f"inspector, {sel}")

    select(page, "w:1:0:1", "paths")
    page.locator("#panel-paths .sums[data-fd]:not([data-fd=''])").wait_for(timeout=15_000)
    total = page.locator("#panel-paths [data-q=sum]").get_attribute("data-value")
    sources = page.locator("#panel-paths annotation").all_text_contents()
    assert tex_of(float(total), 6) in " ".join(sources)
    seen += check(page, "paths")
    shot("tiny-paths")

    page.evaluate("window.__explorer.state.set({ dw: 0.0001 })")
    select(page, "w:1:0:1", "nudge")
    page.locator("#nudge-value[data-ratio]").wait_for(timeout=15_000)
    page.locator("#nudge-sweep svg").wait_for(timeout=15_000)
    seen += check(page, "nudge")
    shot("tiny-nudge")

    select(page, "w:2:1:0", "batch")
    page.locator("#panel-batch[data-state=ready]").wait_for(timeout=15_000)
    seen += check(page, "batch")

    # The stepper, every step, and the table view.
    select(page, "w:1:0:0")
    page.click("#step-first")
    while True:
        seen += check(page, f"stepper step {page.get_attribute('#stepper', 'data-step')}")
        if page.is_disabled("#step-next"):
            break
        page.click("#step-next")
    page.click("#view-toggle")
    page.locator("#weight-table").wait_for()
    check_text = page.evaluate(RAW_TEXT_JS)
    assert not check_text, check_text
    # The scan saw the tiny numbers themselves, written with their powers of ten.
    assert sum(1 for v in seen if abs(v) < 1e-3) >= 20, seen


NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 5},
}


def test_stepper_shows_factors_before_products(page, open_page, saved_network, api, inputs):
    nid = saved_network(NET, "stepper factors", "xor")
    open_page(f"?net={nid}&sel=w:1:2:1")
    r = api("backprop", inputs())
    L, l = 2, 1

    def source():
        return page.locator(".stepper-eq .tex.display annotation").text_content()

    page.click("#step-first")
    n = page.locator("#stepper .chip").count()
    for i in range(n):
        note = page.inner_text(".stepper-eq .step-note")
        # One numbering: the note, the chip and the screen reader's label agree.
        assert note.startswith(f"Step {i + 1} of {n}"), note
        assert page.locator("#stepper .chip.current .chip-n").inner_text() == str(i + 1)
        phase = page.get_attribute("#stepper", "data-phase")
        s = source()
        if phase == "output":  # BP1: grad_a C and sigma'(z^L), then their product
            for name in ("dC_da", "sigma_prime", "delta"):
                assert all(tex_of(v, 3) in s for v in r["layers"][L][name]), (name, s)
            assert s.index(tex_of(r["layers"][L]["sigma_prime"][0], 3)) < s.index("\\odot")
        if phase == "back":  # BP2: (w^{l+1})^T delta^{l+1} and sigma'(z^l), then theirs
            wt_delta = [
                sum(w[j] * d for w, d in zip(NET_W(page, 2), r["layers"][2]["delta"], strict=True))
                for j in range(3)
            ]
            assert wt_delta == pytest.approx(r["layers"][l]["dC_da"], rel=1e-12)
            for name in ("dC_da", "sigma_prime", "delta"):
                assert all(tex_of(v, 3) in s for v in r["layers"][l][name]), (name, s)
            # A table: the factors' rows above the product's, one column per neuron j.
            assert s.index("(w^{2})^{\\mathsf T}\\delta^{2} &") < s.index("\\sigma'(z^{1}) &")
            assert s.index("\\sigma'(z^{1}) &") < s.index("\\delta^{1} = ")
        if phase == "gradient":  # BP4 for the selected w^1_21 with its two factors
            a, d, g = (
                r["layers"][0]["a"][1],
                r["layers"][1]["delta"][2],
                r["layers"][1]["grad_w"][2][1],
            )
            assert "a^{0}_{1}\\,\\delta^{1}_{2} = " in s
            assert tex_of(a) in s and tex_of(d) in s and tex_of(g) in s
            assert a * d == pytest.approx(g, rel=1e-12)
        if i < n - 1:
            page.click("#step-next")


def NET_W(page, layer):
    return page.evaluate(f"window.__explorer.model.network.spec.weights[{layer - 1}]")


def test_inspector_opens_the_bp2_sum(page, open_page, saved_network, api, inputs, shot):
    nid = saved_network(NET, "bp2 sum", "xor")
    open_page(f"?net={nid}&sel=w:1:1:0")
    r = api("backprop", inputs())
    panel = page.locator("#panel-inspector[data-kind=weight]")
    panel.wait_for()
    details = panel.locator("details.bp2-sum")
    assert details.get_attribute("data-terms") == "2"
    details.locator("summary").click()
    s = details.locator(".eq annotation").text_content()
    w2 = NET_W(page, 2)
    total = 0.0
    for q in range(2):
        w, sp, dca = w2[q][1], r["layers"][2]["sigma_prime"][q], r["layers"][2]["dC_da"][q]
        for v in (w, sp, dca):
            assert tex_of(v, 3) in s, (v, s)
        total += w * sp * dca
    assert float(details.get_attribute("data-value")) == r["layers"][1]["dC_da"][1]
    assert total == pytest.approx(r["layers"][1]["dC_da"][1], rel=1e-12)
    shot("bp2-open")
    # It stays open while the numbers change (a re-render must not fold it).
    page.evaluate("window.__explorer.setInput([0.3, -0.7], [1, 0])")
    page.wait_for_function("() => window.__explorer.model.inputs.x[0] === 0.3")
    assert page.locator("#panel-inspector details.bp2-sum").get_attribute("open") is not None
