// The algorithm one step at a time: input, feedforward layer by layer, the output
// error (BP1), the error sent back layer by layer (BP2), then the gradient (BP3, BP4).
// Each step lights up the layer it works on and shows the equation with its numbers.

import { parameterCount } from "../core/meta.js";
import { h, morph } from "../ui/dom.js";
import { texNode, typesetInto, typesetter } from "../ui/tex.js";
import { ALL_TEX, backTex, forwardTex, gradientTex, outputTex, vec } from "./stepper-math.js";

// Short chip names; "BP1".."BP4" stay reserved for the four equations.
const CHIP = {
  input: () => "x",
  forward: (s) => `→ ${s.layer}`,
  output: (s) => `δ${sup(s.layer)} (BP1)`,
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
  const first = mk("↺ Start", "Start: back to the input", () => go(0), "step-first");
  const prev = mk(
    "◀ Back",
    "Back: the previous step",
    () => go((current() ?? steps().length) - 1),
    "step-prev",
  );
  const next = mk("Next ▶", "Next step", () => go((current() ?? -1) + 1), "step-next");
  const last = mk("Finish", "Finish: show the finished pass", () => state.set({ step: null }), "step-all");
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
    // The chips and the diagram's overlay depend on the step, not on the numbers: a training
    // frame leaves them be.
    const key = `${i}|${L}`;
    if (key !== shownKey) {
      shownKey = key;
      showChips(all, i, L);
    }
    renderEquation(s, i, all.length, L);
  }

  let shownKey = null;
  function showChips(all, i, L) {
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
            h("span", { class: "chip-n" }, `${k + 1}`),
            " ",
            CHIP[st.phase](st),
          ),
        ),
      ),
    );
    canvasView.setOverlay({ step: i == null ? null : overlayFor(all, i, L) });
  }

  function renderEquation(s, i, n, L) {
    const r = model.result;
    if (!r) return;
    const net = model.network.spec;
    let source;
    let note;
    // One numbering: "Step 4 of 7" here, in the chips and in what a screen reader hears.
    const at = (what) => [
      h("b", {}, `Step ${i + 1} of ${n}${s.bp ? `, BP${s.bp.replace(",", " and BP")}` : ""}: `),
      ...what,
    ];
    if (!s) {
      source = ALL_TEX;
      note = ["BP1–BP4 together. Press ↺ Start to walk through them with this input."];
    } else if (s.phase === "input") {
      source = `a^0 = x = ${vec(r.layers[0].a)}`;
      note = at(["set the input layer's activations to the sample."]);
    } else if (s.phase === "forward") {
      source = forwardTex(s, r, net, L);
      note = at([
        `feed forward into layer ${s.layer} (${net.activations[s.layer - 1]})`,
        s.layer === L ? ", and the cost of this sample." : ".",
      ]);
    } else if (s.phase === "output") {
      source = outputTex(r, net, L);
      note = at(["the output error, its two factors above their product (the ring on each output neuron)."]);
    } else if (s.phase === "back") {
      source = backTex(s.layer, r);
      note = at([
        "send the error back through ",
        texNode(`w^{${s.layer + 1}}`),
        ` (highlighted) into layer ${s.layer}, factors above their product.`,
      ]);
    } else {
      const P = parameterCount(net.sizes);
      source = gradientTex(state.get("sel"), r, net);
      note = at([`all ${P} gradients at once from one forward and one backward pass. ${edgeWords()}`]);
    }
    // Focusable so a keyboard can scroll an equation wider than the column.
    const texEl = h("div", {
      class: "tex display",
      tabindex: 0,
      role: "group",
      "aria-label": "equation of this step",
    });
    typesetInto(texEl, source, { display: true });
    morph(eq, [h("p", { class: "step-note" }, ...note), texEl]);
    eq.dataset.equation = s?.bp ? `BP${s.bp}` : (s?.phase ?? "all");
  }

  // What the edges show at the last step follows the edge colouring chosen above the diagram.
  function edgeWords() {
    const mode = canvasView.renderer.scaleInfo()?.edgeKind ?? state.get("edge");
    if (mode === "weight")
      return "The edges show the weights w (choose ∂C/∂w above the diagram to see these gradients).";
    if (mode === "mean")
      return "The edges show ∂C/∂w averaged over the batch; the numbers here are this sample's.";
    return "The edges now show this sample's ∂C/∂w.";
  }

  state.subscribe((changed) => {
    if (changed.has("step")) render();
    else if (state.get("step") != null && (changed.has("edge") || changed.has("sel"))) render();
  });
  const typeset = typesetter();
  model.on(
    (what) =>
      (what === "result" || what === "frame" || what === "network") && typeset(render, what === "frame"),
  );
  return { render };
}
