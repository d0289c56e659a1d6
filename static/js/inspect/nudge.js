// Nudge one parameter and watch the change ripple forward (Nielsen's eq. 47-48): the
// canvas shows the actual Δa of every neuron, the readout compares the actual ΔC with
// the first-order ∂C/∂w·Δw, and their ratio goes to 1 as Δw shrinks.

import { freshSignal, isAbort } from "../core/api.js";
import { fmt, indexed, jk, signed, sup, tex, times } from "../core/format.js";
import { dot, hline, polyline, svgChart, tick } from "../draw/svgchart.js";
import { button, equation, h, section } from "../ui/dom.js";
import { sampleCostText, texNode } from "../ui/tex.js";

// Slider position i (−17..17) -> Δ = ±10^(−4 + (|i|−1)/4): four decades in quarter steps.
const STEPS = 17;
export const sliderToDelta = (i) => (i === 0 ? 0 : Math.sign(i) * 10 ** (-4 + (Math.abs(i) - 1) / 4));
export const deltaToSlider = (d) =>
  d === 0
    ? 0
    : Math.sign(d) * Math.max(1, Math.min(STEPS, Math.round((Math.log10(Math.abs(d)) + 4) * 4 + 1)));

const valueText = (delta) => `Δ = ${fmt(delta, 3)}`;

export function createNudgeView(el, { state, model, canvasView }) {
  let answer = null; // latest /nudge answer for the current selection
  const sweepPoints = [-4, -3, -2, -1.5, -1, -0.5, 0];

  const targetOf = (sel) =>
    sel.kind === "weight"
      ? { kind: "weight", layer: sel.layer, j: sel.j, k: sel.k }
      : { kind: "bias", layer: sel.layer, j: sel.j };
  const symbol = (sel) =>
    sel.kind === "weight" ? `w^{${sel.layer}}_{${jk(sel.j, sel.k)}}` : `b^{${sel.layer}}_{${sel.j}}`;
  const plain = (sel) =>
    sel.kind === "weight" ? indexed("w", sel.layer, jk(sel.j, sel.k)) : indexed("b", sel.layer, sel.j);
  // The visible label typeset as w with its indices, not the caret-and-underscore source.
  const typeset = (sel) => [
    sel.kind === "weight" ? "Δw" : "Δb",
    h("sup", {}, String(sel.layer)),
    h("sub", {}, sel.kind === "weight" ? jk(sel.j, sel.k) : String(sel.j)),
  ];

  function active() {
    const sel = state.get("sel");
    return state.get("tab") === "nudge" && model.result && sel && sel.kind !== "neuron";
  }

  function build() {
    const sel = state.get("sel");
    canvasView.setOverlay({ nudge: null });
    if (state.get("tab") !== "nudge") return;
    if (!sel || sel.kind === "neuron") {
      el.replaceChildren(
        h("p", { class: "lead" }, "Nudging moves one weight or bias and pushes the input forward again."),
        sel
          ? button(["Nudge the bias ", texNode(`b^{${sel.layer}}_{${sel.j}}`), " of this neuron"], () =>
              state.set({ sel: { kind: "bias", layer: sel.layer, j: sel.j } }),
            )
          : h("p", { class: "muted" }, "Select an edge (a weight) first."),
      );
      return;
    }
    if (!model.result) return;
    const dw = state.get("dw");
    const slider = h("input", {
      type: "range",
      id: "nudge-slider",
      min: -STEPS,
      max: STEPS,
      step: 1,
      value: deltaToSlider(dw),
      // A screen reader says the nudge itself, not the slider's position on its log scale.
      "aria-valuetext": valueText(dw),
      "aria-describedby": "nudge-value",
    });
    const field = h("input", {
      type: "number",
      id: "nudge-field",
      step: "any",
      value: String(dw),
      "aria-label": `Δ${plain(sel)}`,
      class: "num-input",
    });
    slider.addEventListener("input", () => state.set({ dw: +sliderToDelta(+slider.value).toPrecision(3) }));
    field.addEventListener("change", () => {
      const v = Number(field.value);
      if (field.value.trim() === "" || !Number.isFinite(v)) {
        field.setCustomValidity("a number, please");
        field.reportValidity();
        return;
      }
      field.setCustomValidity("");
      state.set({ dw: v });
    });
    el.replaceChildren(
      h(
        "p",
        { class: "lead" },
        "Change the selected parameter by Δ and run the same input forward again. The canvas colours each " +
          "neuron by how much its activation actually " +
          "moved.",
      ),
      h(
        "div",
        { class: "nudge-controls" },
        h(
          "label",
          { for: "nudge-slider", id: "nudge-label" },
          ...typeset(sel),
          h("span", { class: "muted small" }, " (log scale, 10⁻⁴ … 1, either sign)"),
        ),
        slider,
        h("label", { class: "nudge-field" }, h("span", {}, "Δ ="), field),
      ),
      h("div", { id: "nudge-value", class: "nudge-readout", "aria-live": "polite" }),
      h("div", { id: "nudge-layers" }),
      section(
        "Smaller nudges, better line",
        h(
          "p",
          { class: "muted" },
          "The ratio of actual to predicted ΔC for Δ from 10⁻⁴ to 1 (same sign as above): the first-order " +
            "estimate becomes exact as Δ → " +
            "0.",
        ),
        h("div", { id: "nudge-sweep" }),
      ),
    );
    request();
    sweep();
  }

  async function request() {
    if (!active()) return;
    const sel = state.get("sel");
    const delta = state.get("dw");
    const slider = el.querySelector("#nudge-slider");
    const field = el.querySelector("#nudge-field");
    if (slider && +slider.value !== deltaToSlider(delta)) slider.value = deltaToSlider(delta);
    slider?.setAttribute("aria-valuetext", valueText(delta));
    if (field && Number(field.value) !== delta && document.activeElement !== field)
      field.value = String(delta);
    try {
      const { data } = await model.compute(
        "nudge",
        model.source(),
        { ...model.inputs, target: targetOf(sel), delta },
        freshSignal("nudge"),
      );
      answer = { sel, delta, data };
      show();
    } catch (e) {
      if (!isAbort(e)) throw e;
    }
  }

  function show() {
    const { sel, delta, data } = answer;
    const box = el.querySelector("#nudge-value");
    if (!box) return;
    const ratio =
      data.delta_cost == null || !data.delta_cost_linear ? null : data.delta_cost / data.delta_cost_linear;
    box.dataset.ratio = ratio ?? "null";
    box.dataset.actual = data.delta_cost ?? "null";
    box.dataset.linear = data.delta_cost_linear ?? "null";
    box.dataset.delta = delta;
    const wb = sel.kind === "bias" ? "b" : "w";
    const cell = (q, label, v, digits = 6) =>
      h(
        "div",
        { class: "readout", data: { q, value: v ?? "null" } },
        h("span", { class: "sum-label" }, label),
        h("span", { class: "num" }, fmt(v, digits)),
      );
    const cx = sampleCostText(model.network.spec.cost);
    box.replaceChildren(
      h(
        "div",
        { class: "readouts" },
        // The cost of this one sample (C_x), the one the nudge moves.
        cell("cost_before", `${cx} before`, data.cost_before, 8),
        cell("cost_after", `${cx} after`, data.cost_after, 8),
        cell("delta_cost", `Δ${cx} actual`, data.delta_cost),
        cell("delta_cost_linear", `∂C/∂${wb} · Δ${wb}`, data.delta_cost_linear),
        cell("ratio", "ratio", ratio, 6),
      ),
      equation(
        `\\Delta C \\approx \\frac{\\partial C}{\\partial ${symbol(sel)}}\\,\\Delta ${symbol(sel)} = ` +
          `${times([data.gradient, delta], 4)} = ` +
          `${tex(data.delta_cost_linear)}`,
      ),
      equation(
        `\\Delta C_{\\text{actual}} = C(${symbol(sel)} + \\Delta) - C(${symbol(sel)}) = ${tex(data.delta_cost)}`,
      ),
    );
    // Δa per layer, actual against first order (eq. 48 and onwards).
    const layers = data.layers;
    const tableRows = [];
    layers.forEach((layer, l) => {
      if (l < sel.layer) return;
      const n = layer.delta_a.length;
      const shown = n <= 6 ? [...Array(n).keys()] : topIndices(layer.delta_a, 3);
      for (const j of shown) {
        tableRows.push(
          h(
            "tr",
            {},
            h("td", {}, "a", h("sup", {}, l), h("sub", {}, j)),
            h("td", { class: "num" }, signed(layer.delta_a[j], 4)),
            h("td", { class: "num" }, signed(layer.delta_a_linear[j], 4)),
          ),
        );
      }
      if (n > shown.length)
        tableRows.push(
          h(
            "tr",
            { class: "muted" },
            h("td", { colspan: 3 }, `…${n - shown.length} more in layer ${l} (largest shown)`),
          ),
        );
    });
    el.querySelector("#nudge-layers").replaceChildren(
      ...[chainOfNudges(sel, delta, data)].filter(Boolean),
      h(
        "table",
        { class: "data small" },
        h("caption", {}, "How the change ripples forward, layer by layer"),
        h(
          "thead",
          {},
          h("tr", {}, h("th", {}, "neuron"), h("th", {}, "Δa actual"), h("th", {}, "first order")),
        ),
        h("tbody", {}, tableRows),
      ),
    );
    let max = 0;
    for (const layer of layers)
      for (const v of layer.delta_a) if (v != null && Math.abs(v) > max) max = Math.abs(v);
    canvasView.setOverlay({ nudge: { deltaA: layers.map((l) => l.delta_a), max } });
  }

  // The nudge as a chain: Δp moves z, z moves a, a moves C. Each arrow is one rate of
  // the chain rule times the nudge before it; the actual values sit beside the estimates.
  function chainOfNudges(sel, delta, data) {
    const { layer: l, j } = sel;
    const r = model.result;
    if (model.network.spec.activations[l - 1] === "softmax") return null;
    const dzdp = sel.kind === "weight" ? r.layers[l - 1].a[sel.k] : 1;
    const dz = dzdp * delta;
    const da = r.layers[l].sigma_prime[j] * dz;
    const actualDa = data.layers[l].delta_a[j];
    const p = symbol(sel);
    return equation(
      `\\begin{aligned}&\\Delta ${p} = ${tex(delta, 3)} \\;\\xrightarrow{\\;\\times\\,\\partial ` +
        `z/\\partial ${p}\\,=\\,${tex(dzdp, 3)}\\;}\\; \\Delta z^{${l}}_{${j}} = ${tex(dz, 3)} \\\\ ` +
        `` +
        `&\\xrightarrow{\\;\\times\\,\\sigma'(z)\\,=\\,${tex(r.layers[l].sigma_prime[j], 3)}\\;}\\; ` +
        `\\Delta a^{${l}}_{${j}} \\approx ${tex(da, 3)}\\;(\\text{actual}\\ {${tex(actualDa, 3)}}) \\\\ ` +
        `` +
        `&\\xrightarrow{\\;\\times\\,\\partial C/\\partial ` +
        `a^{${l}}_{${j}}\\,=\\,${tex(r.layers[l].dC_da[j], 3)}\\;}\\; \\Delta C \\approx ` +
        `${tex(data.delta_cost_linear, 3)}\\;(\\text{actual}\\ ` +
        `{${tex(data.delta_cost, 3)}})\\end{aligned}`,
      { inline: true, data: { chain: "nudges" } },
    );
  }

  async function sweep() {
    const sel = state.get("sel");
    const box = el.querySelector("#nudge-sweep");
    if (!box || !active()) return;
    const sign = state.get("dw") < 0 ? -1 : 1;
    const signal = freshSignal("sweep");
    try {
      const answers = await Promise.all(
        sweepPoints.map((p) =>
          model.compute(
            "nudge",
            model.source(),
            {
              ...model.inputs,
              target: targetOf(sel),
              delta: sign * 10 ** p,
              include: ["delta_cost", "delta_cost_linear"], // the sweep plots only their ratio
            },
            signal,
          ),
        ),
      );
      const pts = answers.map(({ data }, i) => ({
        p: sweepPoints[i],
        ratio: data.delta_cost_linear ? data.delta_cost / data.delta_cost_linear : null,
      }));
      box.replaceChildren(
        sweepChart(pts),
        h(
          "p",
          { class: "muted small" },
          pts.map((q) => `Δ = ${sign < 0 ? "−" : ""}${pow10(q.p)}: ${fmt(q.ratio, 5)}`).join(" · "),
        ),
      );
      box.dataset.sign = String(sign); // which sweep is shown (tests wait for it)
    } catch (e) {
      if (!isAbort(e)) throw e;
    }
  }

  function sweepChart(pts) {
    const W = 320;
    const H = 90;
    const ok = pts.filter((q) => q.ratio != null && Number.isFinite(q.ratio));
    const lo = Math.min(0.9, ...ok.map((q) => q.ratio));
    const hi = Math.max(1.1, ...ok.map((q) => q.ratio));
    const sx = (p) => 24 + ((p + 4) / 4) * (W - 32);
    const sy = (v) => H - 14 - ((v - lo) / (hi - lo)) * (H - 24);
    const label = ok.map((q) => `${fmt(q.ratio, 4)} at ${pow10(q.p)}`).join(", ");
    return svgChart({
      width: W,
      height: H,
      label: `ratio of actual to predicted cost change: ${label}`,
      shapes: [
        hline(sy(1), "target", 20, W),
        tick(2, sy(1) + 4, "1"),
        ...[-4, -3, -2, -1, 0].map((p) => tick(sx(p) - 8, H - 2, pow10(p))),
        polyline(
          ok.map((q) => [sx(q.p), sy(q.ratio)]),
          "run",
        ),
        ...ok.map((q) => dot(sx(q.p), sy(q.ratio), 2.5)),
      ],
    });
  }

  state.subscribe((changed) => {
    if (changed.has("tab") || changed.has("sel")) build();
    else if (changed.has("dw")) {
      request();
      if (Math.sign(state.get("dw")) !== Math.sign(answer?.delta ?? 0)) sweep();
    }
  });
  model.on((what) => {
    if (what === "result") build();
  });
  return { build };
}

// 10 to a power as text: 10⁻¹·⁵ would not read, so half powers are written as a decimal.
function pow10(p) {
  if (p === 0) return "1";
  return Number.isInteger(p) ? `10${sup(p)}` : fmt(10 ** p, 3);
}

function topIndices(values, n) {
  return values
    .map((v, i) => [Math.abs(v ?? 0), i])
    .sort((a, b) => b[0] - a[0])
    .slice(0, n)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}
