// The weight and bias inspector: BP4 (dC/dw = a_in δ_out) and BP3 (dC/db = δ) with this
// parameter's numbers, the same derivative as a chain of three rates (the last one, for an
// earlier layer, opened into its sum), and both gradients: this sample's dC_x/dw and the
// mean over the mini-batch, dC/dw, the one SGD uses (core/minibatch.js).

import { fmt, jk, tex, times } from "../core/format.js";
import { describeBatch } from "../core/minibatch.js";
import { button, equation, h, quantity, section } from "../ui/dom.js";
import { sampleCostTex, texNode } from "../ui/tex.js";

const SHOW_TERMS = 4; // a sum with more terms shows its largest two and a count
const BARS = 64; // per-sample bars drawn at most
let expandBP2 = false; // the BP2 sum opened: kept across re-renders while training plays

export function renderParam(sel, ctx) {
  return sel.kind === "weight" ? renderWeight(sel, ctx) : renderBias(sel, ctx);
}

function chainTex(l, j, sub, first, ctx) {
  // dC/dp = dz/dp · da/dz · dC/da: the three rates 3Blue1Brown multiplies.
  const here = ctx.r.layers[l];
  const L = ctx.net.sizes.length - 1;
  if (ctx.net.activations[l - 1] === "softmax") return null;
  const dCda = here.dC_da[j];
  return (
    `\\frac{\\partial C}{\\partial ${sub}} = \\underbrace{\\frac{\\partial ` +
    `z^{${l}}_{${j}}}{\\partial ${sub}}}_{${tex(first, 3)}}\\;\\underbrace{\\frac{\\partial ` +
    `a^{${l}}_{${j}}}{\\partial z^{${l}}_{${j}}}}_{${tex(here.sigma_prime[j], 3)}}\\;` +
    `\\underbrace{\\frac{\\partial C}{\\partial a^{${l}}_{${j}}}}` +
    `_{${tex(dCda, 3)}${l < L ? "\\text{ (BP2 sum)}" : ""}}` +
    ` = ${tex(first * here.sigma_prime[j] * dCda)}`
  );
}

// dC/da^l_j for l < L is a sum over the next layer's neurons q, each term the chain
// dz^{l+1}_q/da^l_j · da^{l+1}_q/dz^{l+1}_q · dC/da^{l+1}_q = w^{l+1}_qj σ'(z^{l+1}_q) dC/da^{l+1}_q.
function bp2Expansion(l, j, ctx) {
  const { net, r } = ctx;
  const L = net.sizes.length - 1;
  if (l >= L || net.activations[l - 1] === "softmax") return null;
  const next = r.layers[l + 1];
  const soft = net.activations[l] === "softmax"; // no elementwise σ′: use δ^{l+1}_q directly
  const w = net.weights[l].map((row) => row[j]);
  const terms = w.map((wq, q) => (soft ? [wq, next.delta[q]] : [wq, next.sigma_prime[q], next.dC_da[q]]));
  const value = (t) => t.reduce((p, v) => p * (v ?? 0), 1);
  let shown = terms.map((t, q) => [t, q]);
  if (terms.length > SHOW_TERMS)
    shown = [...shown].sort((p, q) => Math.abs(value(q[0])) - Math.abs(value(p[0]))).slice(0, 2);
  const termTex = shown.map(([t]) => times(t, 3));
  if (terms.length > SHOW_TERMS) termTex.push(`\\cdots_{\\,(${terms.length - 2}\\text{ smaller})}`);
  const general = soft
    ? `\\sum_q w^{${l + 1}}_{q${j}}\\,\\delta^{${l + 1}}_q`
    : `\\sum_q w^{${l + 1}}_{q${j}}\\,\\sigma'(z^{${l + 1}}_q)\\,\\frac{\\partial C}{\\partial a^{${l + 1}}_q}`;
  const lines = [
    `\\frac{\\partial C}{\\partial a^{${l}}_{${j}}} &= \\sum_q \\frac{\\partial ` +
      `z^{${l + 1}}_q}{\\partial a^{${l}}_{${j}}}\\frac{\\partial a^{${l + 1}}_q}{\\partial ` +
      `z^{${l + 1}}_q}\\frac{\\partial C}{\\partial a^{${l + 1}}_q}`,
    `&= ${general}`,
    ...termTex.map((t, i) => `&${i ? "\\quad+ " : "= "}${t}`),
    `&= ${tex(r.layers[l].dC_da[j])}`,
  ];
  const details = h(
    "details",
    {
      class: "bp2-sum",
      open: expandBP2,
      data: { terms: terms.length, value: r.layers[l].dC_da[j] ?? "null" },
      ontoggle: (e) => {
        expandBP2 = e.currentTarget.open;
      },
    },
    h(
      "summary",
      {},
      "Open the BP2 sum: ",
      texNode(`\\partial C/\\partial a^{${l}}_{${j}}`),
      ` over the ${terms.length} neurons of layer ${l + 1}`,
    ),
    h(
      "div",
      { class: "eq", data: { bp2Terms: shown.map(([, q]) => q).join(",") } },
      texNode(`\\begin{aligned}${lines.join(" \\\\ ")}\\end{aligned}`, { display: true }),
    ),
    h(
      "p",
      { class: "muted small" },
      `One term per path through a neuron q of layer ${l + 1}: the weight ` +
        `to it, its σ′, and how the cost moves with its activation (itself ` +
        `a sum, one layer further on).`,
    ),
  );
  return details;
}

function renderWeight({ layer: l, j, k }, ctx) {
  const { net, r } = ctx;
  const w = net.weights[l - 1][j][k];
  const aIn = r.layers[l - 1].a[k];
  const dOut = r.layers[l].delta[j];
  const grad = r.layers[l].grad_w[j][k];
  const out = [
    h(
      "h2",
      { class: "insp-title" },
      "Weight ",
      texOf(`w^{${l}}_{${jk(j, k)}}`),
      h("span", { class: "muted" }, ` · neuron ${k} of layer ${l - 1} → neuron ${j} of layer ${l}`),
    ),
    h(
      "dl",
      { class: "quantities" },
      quantity("w", `w^{${l}}_{${jk(j, k)}}`, w),
      quantity("a_in", `a_{\\text{in}} = a^{${l - 1}}_{${k}}`, aIn),
      quantity("delta_out", `\\delta_{\\text{out}} = \\delta^{${l}}_{${j}}`, dOut),
      ...bothGradients(ctx, `w^{${l}}_{${jk(j, k)}}`, grad, (p) => p.layers[l].grad_w[j][k]),
    ),
    section(
      "BP4: the weight's gradient",
      equation(
        `\\frac{\\partial C}{\\partial w^{${l}}_{${jk(j, k)}}} = ` +
          `a^{${l - 1}}_{${k}}\\,\\delta^{${l}}_{${j}} = ${times([aIn, dOut], 4)} = ` +
          `${tex(grad)}`,
        { label: "BP4", data: { bp: "4" } },
      ),
      h("p", { class: "muted" }, "The activation going in times the error coming out. "),
      Math.abs(aIn ?? 0) < 0.02
        ? h(
            "p",
            { class: "badge saturated", data: { slow: "true" } },
            h("b", {}, "Learns slowly. "),
            `Its input neuron is nearly silent (a = ${fmt(aIn, 3)}), so the weight barely affects z and ` +
              `its gradient is small.`,
          )
        : h(
            "p",
            { class: "hint" },
            "Neurons that fire together wire together: the more active the input neuron, the more this weight matters.",
          ),
    ),
  ];
  const chain = chainTex(l, j, `w^{${l}}_{${jk(j, k)}}`, aIn, ctx);
  if (chain) {
    const note = h(
      "p",
      { class: "muted small" },
      "∂z/∂w is the input activation ",
      texNode(`a^{${l - 1}}_{${k}}`),
      "; the last two rates multiply to ",
      texNode(`\\delta^{${l}}_{${j}}`),
      ".",
    );
    out.push(section("The same, as a chain of rates", equation(chain), note, bp2Expansion(l, j, ctx)));
  }
  out.push(direction(grad, "w"));
  out.push(actions(ctx));
  out.push(
    batchSection(
      ctx,
      (p, i) => p.layers[l - 1].a[i][k] * p.layers[l].delta[i][j],
      (p) => p.layers[l].grad_w[j][k],
      `w^{${l}}_{${jk(j, k)}}`,
    ),
  );
  return out;
}

function renderBias({ layer: l, j }, ctx) {
  const { net, r } = ctx;
  const b = net.biases[l - 1][j];
  const delta = r.layers[l].delta[j];
  const grad = r.layers[l].grad_b[j];
  const out = [
    h(
      "h2",
      { class: "insp-title" },
      "Bias ",
      texOf(`b^{${l}}_{${j}}`),
      h("span", { class: "muted" }, ` · neuron ${j} of layer ${l}`),
    ),
    h(
      "dl",
      { class: "quantities" },
      quantity("b", `b^{${l}}_{${j}}`, b),
      quantity("delta_out", `\\delta^{${l}}_{${j}}`, delta),
      ...bothGradients(ctx, `b^{${l}}_{${j}}`, grad, (p) => p.layers[l].grad_b[j]),
    ),
    section(
      "BP3: the bias's gradient",
      equation(`\\frac{\\partial C}{\\partial b^{${l}}_{${j}}} = \\delta^{${l}}_{${j}} = ${tex(grad)}`, {
        label: "BP3",
        data: { bp: "3" },
      }),
    ),
  ];
  const chain = chainTex(l, j, `b^{${l}}_{${j}}`, 1, ctx);
  if (chain)
    out.push(
      section(
        "The same, as a chain of rates",
        equation(chain),
        h("p", { class: "muted small" }, "∂z/∂b = 1: a bias is a weight whose input is always 1."),
        bp2Expansion(l, j, ctx),
      ),
    );
  out.push(direction(grad, "b"));
  out.push(actions(ctx));
  out.push(
    batchSection(
      ctx,
      (p, i) => p.layers[l].delta[i][j],
      (p) => p.layers[l].grad_b[j],
      `b^{${l}}_{${j}}`,
    ),
  );
  return out;
}

function direction(grad, sym) {
  if (grad == null || grad === 0)
    return h(
      "p",
      { class: "muted" },
      `The cost is flat along ${sym} here: gradient descent leaves it alone.`,
    );
  return h(
    "p",
    { class: "hint" },
    `Raising ${sym} ${grad > 0 ? "raises" : "lowers"} the cost, so a gradient-descent step ${sym} → ` +
      `${sym} − η·∂C/∂${sym} ${grad > 0 ? "lowers" : "raises"} ` +
      `${sym}.`,
  );
}

function actions(ctx) {
  return h(
    "p",
    { class: "actions" },
    button("Show its paths to the cost", () => ctx.state.set({ tab: "paths" })),
    " · ",
    button("Nudge it", () => ctx.state.set({ tab: "nudge" })),
  );
}

const texOf = (source) => texNode(source);

// This sample's gradient and the mini-batch's mean, side by side; the one the edges show
// is marked. Both are the API's numbers (the mean is grad_w of one backprop over the batch).
function bothGradients(ctx, symbol, grad, batchGrad) {
  const mb = ctx.minibatch?.current();
  const cx = sampleCostTex(ctx.net.cost);
  const onEdges = (kind) => (ctx.edgeKind === kind ? ", drawn on the edges" : "");
  const wide = (q) => {
    q.classList.add("wide");
    return q;
  };
  const out = [
    wide(quantity("grad", `\\partial ${cx}/\\partial ${symbol}`, grad, `this sample${onEdges("grad")}`)),
  ];
  if (mb)
    out.push(
      wide(
        quantity(
          "grad_mean",
          `\\partial C/\\partial ${symbol}`,
          batchGrad(mb.r),
          `mean over the batch (${mb.B})${onEdges("mean")}`,
        ),
      ),
    );
  return out;
}

// C is the mean of per-sample costs, so its gradient is the mean of per-sample gradients.
function batchSection(ctx, perSample, batchGrad, symbol) {
  const mb = ctx.minibatch?.current();
  const title = mb ? `Over the batch: ${describeBatch(mb)}` : "Over a batch";
  if (!ctx.model.network?.dataset)
    return section(title, h("p", { class: "muted" }, "This network has no dataset to draw a batch from."));
  if (!mb) return section(title, h("p", { class: "muted" }, "Computing the batch…"));
  const values = Array.from({ length: mb.B }, (_, i) => perSample(mb.r, i));
  const mean = values.reduce((s, v) => s + (v ?? 0), 0) / values.length;
  const shown = values.slice(0, BARS);
  const max = Math.max(...shown.map((v) => Math.abs(v ?? 0)), 1e-300);
  const cx = sampleCostTex(ctx.net.cost).replace("_0", "_x");
  return section(
    title,
    h(
      "p",
      { class: "muted" },
      "The batch size from the Train dock, starting at the sample in " +
        "view; one backprop over all of them. Each bar is one sample's ",
      texNode(`\\partial ${cx}/\\partial ${symbol}`),
      values.length > BARS ? ` (the first ${BARS} of ${values.length}):` : ":",
    ),
    h(
      "div",
      {
        class: "bars",
        role: "img",
        "aria-label": `per-sample gradients: ${shown.map((v) => fmt(v, 3)).join(", ")}`,
      },
      shown.map((v, i) =>
        h("span", {
          class: `bar ${v < 0 ? "neg" : "pos"}`,
          style: `--h:${(Math.abs(v ?? 0) / max) * 100}%`,
          title: `sample ${mb.index[i]}: ${fmt(v)}`,
        }),
      ),
    ),
    equation(
      `\\frac{\\partial C}{\\partial ${symbol}} = \\frac1{${mb.B}}\\sum_x ` +
        `\\frac{\\partial ${cx}}{\\partial ${symbol}} = ${tex(mean)}\\quad(\\text{API: ` +
        `} ${tex(batchGrad(mb.r))})`,
      { data: { batchMean: mean } },
    ),
  );
}
