// The neuron inspector: every number backprop keeps for one neuron, and BP1 (output
// layer) or BP2 (hidden layer) written out with that neuron's own values put in.
// Weights and biases are in param.js; both render into the same panel.

import { fmt, jk, tex, times } from "../core/format.js";
import { button, equation, h, morph, quantity, section } from "../ui/dom.js";
import { ACT_TEX, COST_TEX, sampleCostText, texNode, typesetter } from "../ui/tex.js";
import { renderParam } from "./param.js";
import { receptiveField } from "./receptive.js";

const SATURATION = 0.1; // sigma'(z) below this fraction of its maximum counts as saturated
const SHOW_TERMS = 4; // write out sums with at most this many terms; summarise longer ones

export function createInspector(el, { state, model, minibatch, canvasView }) {
  function render() {
    const r = model.result;
    if (!r || !model.network) {
      el.replaceChildren(h("p", { class: "muted" }, "Computing…"));
      return;
    }
    const hover = state.get("hover");
    const sel = hover?.kind === "neuron" ? hover : state.get("sel");
    el.dataset.kind = sel?.kind ?? "none";
    if (!sel) {
      morph(el, [intro()]);
      return;
    }
    el.dataset.layer = sel.layer;
    el.dataset.j = sel.j;
    el.dataset.k = sel.k ?? "";
    el.dataset.preview = String(sel === hover);
    const ctx = {
      net: model.network.spec,
      r,
      y: model.inputs.y,
      state,
      model,
      minibatch,
      edgeKind: shownEdges(),
    };
    morph(el, sel.kind === "neuron" ? renderNeuron(sel, ctx) : renderParam(sel, ctx));
  }

  // What the edges show right now (the renderer's own word: "mean" falls back to this
  // sample's gradient until the batch has been computed).
  function shownEdges() {
    return canvasView?.renderer.scaleInfo()?.edgeKind ?? state.get("edge");
  }

  // The empty state describes the colouring that is on screen, not a fixed one.
  function intro() {
    const kind = shownEdges();
    const cx = sampleCostText(model.network.spec.cost);
    const words = {
      weight:
        "Edges are coloured by the weight w: orange positive, blue negative; thicker means a larger |w|.",
      mean:
        "Edges are coloured by ∂C/∂w, the gradient of the mean cost over " +
        "the batch: orange where raising the weight raises the cost, blue " +
        "where it lowers it; thicker means a larger gradient.",
      grad:
        `Edges are coloured by this sample's ∂${cx}/∂w: orange where raising ` +
        `the weight raises the cost, blue where it lowers it; thicker ` +
        `means a larger gradient.`,
    };
    return h(
      "div",
      { class: "intro", data: { edgeKind: kind } },
      h("p", {}, "Click a neuron or an edge on the diagram (or focus it and use the arrow keys)."),
      h("p", { class: "muted" }, words[kind] ?? words.grad),
    );
  }

  state.subscribe((changed) => {
    if (changed.has("sel") || changed.has("hover") || changed.has("edge")) render();
  });
  const typeset = typesetter();
  model.on(
    (what) =>
      (what === "result" || what === "frame" || what === "network") && typeset(render, what === "frame"),
  );
  // After the canvas has taken the new batch (it subscribed first), so the words agree.
  minibatch?.on(() => typeset(render, false));
  return { render };
}

export function saturation(act, sp) {
  if (sp == null) return null;
  if ((act === "relu" || act === "leaky_relu") && sp < 0.5) {
    return act === "relu"
      ? "off: z ≤ 0 so σ′(z) = 0 and no gradient passes back through this neuron"
      : "on its leaky side: σ′(z) = 0.01, gradients pass at 1%";
  }
  const max = ACT_TEX[act]?.max ?? 1;
  if (act !== "linear" && sp < SATURATION * max)
    return "saturated: σ′(z) is tiny, so δ and every gradient into this neuron are small — it learns slowly";
  return null;
}

// Σ_k w_k a_k written out; past SHOW_TERMS terms, the two largest and a count of the rest.
export function sumTex(pairs, { extra = null } = {}) {
  let shown = pairs;
  if (pairs.length > SHOW_TERMS)
    shown = [...pairs].sort((p, q) => Math.abs(q[0] * q[1]) - Math.abs(p[0] * p[1])).slice(0, 2);
  const terms = shown.map(([w, a]) => times([w, a], 3));
  if (pairs.length > SHOW_TERMS) terms.push(`\\cdots_{\\,(${pairs.length - 2}\\text{ smaller})}`);
  if (extra != null) terms.push(tex(extra, 3, { paren: extra < 0 }));
  return terms.join(" + ");
}

function renderNeuron({ layer: l, j }, ctx) {
  const { net, r } = ctx;
  const L = net.sizes.length - 1;
  const here = r.layers[l];
  const out = [];
  const title = l === 0 ? `Input neuron ${j}` : l === L ? `Output neuron ${j}` : `Hidden neuron ${j}`;
  out.push(h("h2", { class: "insp-title" }, title, h("span", { class: "muted" }, ` · layer ${l}`)));

  if (l === 0) {
    // dC/dx_j = Σ_q w^1_qj δ^1_q: inputs are data, but the cost still has a slope along them.
    const col = net.weights[0].map((row) => row[j]);
    const d1 = r.layers[1].delta;
    const g = col.reduce((s, w, q) => s + w * d1[q], 0);
    out.push(
      h(
        "dl",
        { class: "quantities" },
        quantity("a", `a^0_{${j}} = x_{${j}}`, here.a[j]),
        quantity("dC_da", `\\partial C/\\partial a^0_{${j}}`, g),
      ),
      h(
        "p",
        { class: "muted" },
        "Inputs are data, not parameters: nothing here learns. The slope of the cost along this input " +
          "still follows the same rule as a hidden " +
          "neuron's:",
      ),
      equation(
        `\\frac{\\partial C}{\\partial x_{${j}}} = \\sum_q w^1_{q${j}}\\,\\delta^1_q = ` +
          `${sumTex(col.map((w, q) => [w, d1[q]]))} = ` +
          `${tex(g)}`,
      ),
    );
    return out;
  }

  const act = net.activations[l - 1];
  const sat = saturation(act, here.sigma_prime[j]);
  if (sat)
    out.push(
      h(
        "p",
        { class: "badge saturated", data: { saturated: "true" }, role: "note" },
        h("b", {}, "Learns slowly. "),
        sat,
      ),
    );
  out.push(
    h(
      "dl",
      { class: "quantities" },
      quantity("z", `z^{${l}}_{${j}}`, here.z[j]),
      quantity("a", `a^{${l}}_{${j}}`, here.a[j]),
      quantity(
        "sigma_prime",
        `\\sigma'(z^{${l}}_{${j}})`,
        here.sigma_prime[j],
        act === "softmax" ? "(Jacobian diagonal)" : "",
      ),
      quantity("dC_da", `\\partial C/\\partial a^{${l}}_{${j}}`, here.dC_da[j]),
      quantity("delta", `\\delta^{${l}}_{${j}}`, here.delta[j]),
      quantity("b", `b^{${l}}_{${j}}`, net.biases[l - 1][j]),
    ),
  );

  // Forward: z = Σ w a + b, a = σ(z).
  const w = net.weights[l - 1][j];
  const prev = r.layers[l - 1].a;
  out.push(
    section(
      "Forward",
      equation(
        `z^{${l}}_{${j}} = \\sum_k w^{${l}}_{${j}k}\\,a^{${l - 1}}_k + b^{${l}}_{${j}} = ${sumTex(
          w.map((wk, k) => [wk, prev[k]]),
          { extra: net.biases[l - 1][j] },
        )} = ${tex(here.z[j])}`,
      ),
      equation(`a^{${l}}_{${j}} = \\sigma(z^{${l}}_{${j}}) = ${tex(here.a[j])}`),
      equation(`${ACT_TEX[act].d.replaceAll("(z)", `(z^{${l}}_{${j}})`)} = ${tex(here.sigma_prime[j])}`),
    ),
  );
  const field = receptiveField(l, j, ctx);
  if (field) out.push(field);

  if (l === L) out.push(outputError(j, ctx));
  else out.push(hiddenError(l, j, ctx));

  out.push(
    section(
      "BP3: the bias",
      equation(
        `\\frac{\\partial C}{\\partial b^{${l}}_{${j}}} = \\delta^{${l}}_{${j}} = ${tex(here.grad_b[j])}`,
        { data: { bp: "3" } },
      ),
      h(
        "p",
        { class: "muted" },
        "z moves one for one with the bias (∂z/∂b = 1), so the bias gradient is the error term itself.",
      ),
      button(["Select the bias ", texNode(`b^{${l}}_{${j}}`)], () =>
        ctx.state.set({ sel: { kind: "bias", layer: l, j } }),
      ),
    ),
  );
  out.push(strongestInputs(l, j, ctx));
  return out;
}

function outputError(j, ctx) {
  const { net, r, y } = ctx;
  const L = net.sizes.length - 1;
  const o = r.layers[L];
  const a = o.a[j];
  const cost = net.cost;
  const act = net.activations[L - 1];
  const dCda = o.dC_da[j];
  let costLine;
  const yj = tex(y[j], 4, { paren: y[j] < 0 });
  if (cost === "quadratic") costLine = `a^L_{${j}} - y_{${j}} = ${tex(a)} - ${yj}`;
  else if (cost === "sse")
    costLine = `2\\left(a^L_{${j}} - y_{${j}}\\right) = 2\\left(${tex(a)} - ${yj}\\right)`;
  else if (cost === "cross_entropy")
    costLine =
      `\\frac{a^L_{${j}} - y_{${j}}}{a^L_{${j}}(1-a^L_{${j}})} = \\frac{${tex(a)} ` +
      `- ${yj}}{${tex(a)}\\,(1-${tex(a)})}`;
  else costLine = `-\\frac{y_{${j}}}{a^L_{${j}}} = -\\frac{${tex(y[j])}}{${tex(a)}}`;
  const want = dCda == null ? null : dCda < 0 ? "up" : dCda > 0 ? "down" : null;
  const children = [
    h(
      "p",
      { class: "muted" },
      "Start of the backward pass: how fast the cost changes with this output, times how fast the output " +
        "changes with its weighted input.",
    ),
    equation(`${COST_TEX[cost].d} = ${costLine} = ${tex(dCda)}`),
  ];
  if (act === "softmax") {
    // One z moves every softmax output, so BP1 needs the whole Jacobian column.
    const terms = o.a.map((am, m) => am * ((m === j ? 1 : 0) - a) * (o.dC_da[m] ?? 0));
    children.push(
      equation(
        `\\delta^L_{${j}} = \\sum_m \\frac{\\partial a^L_m}{\\partial z^L_{${j}}}\\frac{\\partial ` +
          `C}{\\partial a^L_m} = \\sum_m a^L_m([m{=}${j}] - a^L_{${j}})\\frac{\\partial C}{\\partial ` +
          `a^L_m} = ${tex(o.delta[j])}`,
        { label: "BP1 (softmax)", data: { bp: "1" } },
      ),
      h(
        "p",
        { class: "muted small" },
        `Softmax couples the outputs, so BP1's elementwise product becomes this sum (${terms.length} terms).`,
      ),
    );
  } else {
    const product = dCda == null ? null : dCda * o.sigma_prime[j];
    children.push(
      equation(
        `\\delta^L_{${j}} = \\frac{\\partial C}{\\partial a^L_{${j}}}\\,\\sigma'(z^L_{${j}}) = ` +
          `${times([dCda, o.sigma_prime[j]], 4)} = ` +
          `${tex(o.delta[j])}`,
        { label: "BP1", data: { bp: "1" } },
      ),
    );
    if (
      product != null &&
      o.delta[j] != null &&
      Math.abs(product - o.delta[j]) > 1e-9 * Math.max(1, Math.abs(o.delta[j]))
    ) {
      children.push(
        h(
          "p",
          { class: "muted small" },
          `This cost and activation cancel in closed form; the API computes δ directly ` +
            `(${fmt(o.delta[j])}) where the product would ` +
            `round.`,
        ),
      );
    }
  }
  if (want) {
    children.push(
      h(
        "p",
        { class: "hint" },
        `Gradient descent pushes this output ${want}: ${want === "up" ? "raising" : "lowering"} `,
        texNode(`a^L_{${j}}`),
        ` lowers the cost${y[j] === 1 ? " (it is the target class)" : ""}.`,
      ),
    );
  }
  return section("BP1: error at the output", ...children);
}

function hiddenError(l, j, ctx) {
  const { net, r } = ctx;
  const next = r.layers[l + 1];
  const col = net.weights[l].map((row) => row[j]); // w^{l+1}_{qj} for every q
  const pairs = col.map((w, q) => [w, next.delta[q]]);
  const back = pairs.reduce((s, [w, d]) => s + w * (d ?? 0), 0);
  const here = r.layers[l];
  return section(
    "BP2: error sent back",
    h(
      "p",
      { class: "muted" },
      `This neuron reaches the cost through all ${col.length} neurons of layer ${l + 1}; their errors ` +
        `come back weighted by the edges between them, then scaled by ` +
        `σ′.`,
    ),
    equation(
      `\\frac{\\partial C}{\\partial a^{${l}}_{${j}}} = \\sum_q ` +
        `w^{${l + 1}}_{q${j}}\\,\\delta^{${l + 1}}_q = ${sumTex(pairs)} = ` +
        `${tex(back)}`,
    ),
    equation(
      `\\delta^{${l}}_{${j}} = \\Big(\\sum_q ` +
        `w^{${l + 1}}_{q${j}}\\delta^{${l + 1}}_q\\Big)\\,\\sigma'(z^{${l}}_{${j}}) = ` +
        `${times([back, here.sigma_prime[j]], 4)} = ` +
        `${tex(here.delta[j])}`,
      { label: "BP2", data: { bp: "2" } },
    ),
  );
}

function strongestInputs(l, j, ctx) {
  const g = ctx.r.layers[l].grad_w[j];
  const ranked = g
    .map((v, k) => [Math.abs(v ?? 0), k])
    .sort((p, q) => q[0] - p[0])
    .slice(0, 3);
  return section(
    "Incoming weights with the largest gradient",
    h(
      "ul",
      { class: "plain" },
      ranked.map(([, k]) =>
        h(
          "li",
          {},
          button(texNode(`w^{${l}}_{${jk(j, k)}}`), () =>
            ctx.state.set({ sel: { kind: "weight", layer: l, j, k }, edgeWalk: true }),
          ),
          " ",
          h("span", { class: "muted" }, "∂C/∂w = ", h("span", { class: "num" }, fmt(g[k]))),
        ),
      ),
    ),
  );
}
