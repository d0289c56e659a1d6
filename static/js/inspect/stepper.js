// The algorithm one step at a time: input, feedforward layer by layer, the output
// error (BP1), the error sent back layer by layer (BP2), then the gradient (BP3, BP4).
// Each step lights up the layer it works on and shows the equation with its numbers.

import { tex } from "../core/format.js";
import { h, morph } from "../ui/dom.js";
import { COST_TEX, renderTex } from "../ui/tex.js";

const SHOW = 6; // entries of a vector written out
// Short chip names; "BP1".."BP4" stay reserved for the four equations.
const CHIP = {
  input: () => "x",
  forward: (s) => `→ ${s.layer}`,
  output: () => "δᴸ (BP1)",
  back: (s) => `δ${sup(s.layer)} (BP2)`,
  gradient: () => "∇C (BP3, BP4)",
};

const sup = (n) => String(n).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[+d]);

export function stepsFor(L) {
  const steps = [{ phase: "input", layer: 0, title: "Input" }];
  for (let l = 1; l <= L; l++) steps.push({ phase: "forward", layer: l, title: `Feedforward ${l}` });
  steps.push({ phase: "output", layer: L, title: "Output error", bp: "1" });
  for (let l = L - 1; l >= 1; l--)
    steps.push({ phase: "back", layer: l, title: `Backpropagate ${l}`, bp: "2" });
  steps.push({ phase: "gradient", layer: null, title: "Gradient", bp: "3,4" });
  return steps;
}

// What the canvas may show at step i: activations fed so far, deltas found so far.
export function overlayFor(steps, i, L) {
  const s = steps[i];
  const aVisible = Array.from({ length: L + 1 }, (_, l) => s.phase !== "input" || l === 0);
  const deltaVisible = Array(L + 1).fill(false);
  const edges = Array(L + 1).fill("plain");
  if (s.phase === "forward") {
    for (let l = 0; l <= L; l++) aVisible[l] = l <= s.layer;
    edges[s.layer] = "forward";
  }
  if (s.phase === "output") deltaVisible[L] = true;
  if (s.phase === "back") {
    for (let l = s.layer; l <= L; l++) deltaVisible[l] = true;
    edges[s.layer + 1] = "backward";
  }
  if (s.phase === "gradient") {
    deltaVisible.fill(true);
    edges.fill("value");
  }
  return { aVisible, deltaVisible, edges, focus: s.layer };
}

const vec = (v) => {
  if (!v) return "\\cdot";
  const shown = v.slice(0, SHOW).map((x) => tex(x, 3));
  return `\\left(${shown.join(",\\ ")}${v.length > SHOW ? `,\\ \\dots\\ (${v.length})` : ""}\\right)`;
};

export function createStepper(el, { state, model, canvasView }) {
  const controls = h("div", {
    class: "stepper-controls",
    role: "group",
    "aria-label": "Step through backpropagation",
  });
  const chips = h("ol", { class: "chips", "aria-label": "Steps" });
  const eq = h("div", { class: "stepper-eq", "aria-live": "polite" });
  el.append(controls, eq);
  const mk = (label, aria, fn, id) =>
    h("button", { type: "button", class: "step-btn", "aria-label": aria, id, onclick: fn }, label);
  const first = mk("↺ Start", "Back to the input", () => go(0), "step-first");
  const prev = mk("◀ Back", "Previous step", () => go((current() ?? steps().length) - 1), "step-prev");
  const next = mk("Next ▶", "Next step", () => go((current() ?? -1) + 1), "step-next");
  const last = mk("Finish", "Show the finished pass", () => state.set({ step: null }), "step-all");
  const label = h("span", { class: "sr-only", "aria-live": "polite" });
  controls.append(
    h("span", { class: "stepper-title" }, "Backprop, step by step"),
    first,
    prev,
    next,
    last,
    label,
    chips,
  );

  const steps = () => stepsFor(model.network.spec.sizes.length - 1);
  const current = () => state.get("step");
  function go(i) {
    const n = steps().length;
    state.set({ step: i >= n ? null : Math.max(0, i) });
  }

  function render() {
    if (!model.network) return;
    const all = steps();
    const L = model.network.spec.sizes.length - 1;
    let i = current();
    if (i != null && (i < 0 || i >= all.length)) i = null;
    const s = i == null ? null : all[i];
    el.dataset.step = i ?? "done";
    el.dataset.phase = s?.phase ?? "done";
    el.dataset.bp = s?.bp ?? "";
    el.dataset.layer = s?.layer ?? "";
    prev.disabled = i === 0;
    first.disabled = i === 0;
    next.disabled = i == null;
    last.disabled = i == null;
    label.textContent = s ? `Step ${i + 1} of ${all.length}: ${s.title}` : "Showing the finished pass";
    chips.replaceChildren(
      ...all.map((st, k) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: `chip ${k === i ? "current" : ""} ${i != null && k < i ? "done" : ""}`,
              "aria-current": k === i ? "step" : null,
              onclick: () => go(k),
            },
            CHIP[st.phase](st),
          ),
        ),
      ),
    );
    canvasView.setOverlay({ step: s ? overlayFor(all, i, L) : null });
    renderEquation(s, L);
  }

  function renderEquation(s, L) {
    const r = model.result;
    if (!r) return;
    const net = model.network.spec;
    let source;
    let note;
    if (!s) {
      source =
        `\\delta^L = \\nabla_a C \\odot \\sigma'(z^L),\\;\\; \\delta^l = \\big((w^{l+1})^{\\mathsf ` +
        `T}\\delta^{l+1}\\big)\\odot\\sigma'(z^l),\\;\\; \\tfrac{\\partial C}{\\partial b^l_j} = ` +
        `\\delta^l_j,\\;\\; \\tfrac{\\partial C}{\\partial w^l_{jk}} = ` +
        `a^{l-1}_k\\delta^l_j`;
      note = "BP1–BP4 together. Press Next ▶ or ↺ Start to walk through them with this input.";
    } else if (s.phase === "input") {
      source = `a^0 = x = ${vec(r.layers[0].a)}`;
      note = "Step 1: set the input layer's activations to the sample.";
    } else if (s.phase === "forward") {
      const layer = r.layers[s.layer];
      source =
        `z^{${s.layer}} = w^{${s.layer}} a^{${s.layer - 1}} + b^{${s.layer}} = ` +
        `${vec(layer.z)},\\quad a^{${s.layer}} = \\sigma(z^{${s.layer}}) = ` +
        `${vec(layer.a)}`;
      if (s.layer === L) source += `,\\quad ${COST_TEX[net.cost].c.replace("C_x", "C")} = ${tex(r.cost)}`;
      note = `Step 2: feed forward into layer ${s.layer} (${net.activations[s.layer - 1]}).`;
    } else if (s.phase === "output") {
      source = `\\delta^{${L}} = \\nabla_a C \\odot \\sigma'(z^{${L}}) = ${vec(r.layers[L].delta)}`;
      note =
        "Step 3, BP1: the output error. Its ring appears on each output neuron (blue negative, orange positive).";
    } else if (s.phase === "back") {
      source =
        `\\delta^{${s.layer}} = \\big((w^{${s.layer + 1}})^{\\mathsf ` +
        `T}\\delta^{${s.layer + 1}}\\big)\\odot\\sigma'(z^{${s.layer}}) = ` +
        `${vec(r.layers[s.layer].delta)}`;
      note = `Step 4, BP2: send the error back through w^${s.layer + 1} (highlighted) into layer ${s.layer}.`;
    } else {
      const P = net.sizes.slice(1).reduce((acc, n, i) => acc + n * (net.sizes[i] + 1), 0);
      // The gradient vector's size, layer by layer: where the learning signal is strong.
      const norms = r.layers
        .slice(1)
        .map(
          (layer, i) =>
            `\\lVert\\nabla_{w^{${i + 1}}} C\\rVert = ${tex(Math.hypot(...layer.grad_w.flat().map((v) => v ?? 0)), 3)}`,
        );
      source =
        `\\frac{\\partial C}{\\partial b^l_j} = \\delta^l_j,\\quad \\frac{\\partial C}{\\partial ` +
        `w^l_{jk}} = a^{l-1}_k\\,\\delta^l_j;\\qquad ` +
        `${norms.join(",\\ ")}`;
      note =
        `Step 5, BP3 and BP4: all ${P} gradients at once from one forward and one backward pass. The ` +
        `edges now show ∂C/∂w.`;
    }
    // Focusable so a keyboard can scroll an equation wider than the column.
    const texEl = h("div", {
      class: "tex display",
      tabindex: 0,
      role: "group",
      "aria-label": "equation of this step",
    });
    renderTex(texEl, source, { display: true });
    morph(eq, [h("p", { class: "step-note" }, note), texEl]);
    eq.dataset.equation = s?.bp ? `BP${s.bp}` : (s?.phase ?? "all");
  }

  state.subscribe((changed) => changed.has("step") && render());
  model.on((what) => (what === "result" || what === "network") && render());
  return { render };
}
