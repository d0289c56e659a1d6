// The weight and bias inspector: BP4 (dC/dw = a_in δ_out) and BP3 (dC/db = δ) with this
// parameter's numbers, the same derivative as a chain of three rates, and the gradient
// of the mean cost as the mean of per-sample gradients over a real batch.

import { freshSignal, isAbort } from "../core/api.js";
import { fmt, jk, tex, times } from "../core/format.js";
import { button, equation, h, quantity, section } from "../ui/dom.js";
import { texNode } from "../ui/tex.js";

const BATCH = 8;

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
      quantity("grad", `\\partial C/\\partial w^{${l}}_{${jk(j, k)}}`, grad),
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
    out.push(section("The same, as a chain of rates", equation(chain), note));
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
      quantity("grad", `\\partial C/\\partial b^{${l}}_{${j}}`, grad),
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

// C is the mean of per-sample costs, so its gradient is the mean of per-sample gradients.
function batchSection(ctx, perSample, batchGrad, symbol) {
  // data-own: filled when the batch arrives, so a re-render takes the new box, not the old.
  const box = h(
    "div",
    { class: "batch", "aria-live": "polite", data: { own: "" } },
    h("p", { class: "muted" }, "Loading a batch…"),
  );
  const wrap = section(`Over a batch of ${BATCH} samples`, box);
  if (!ctx.model.network?.dataset) {
    box.replaceChildren(h("p", { class: "muted" }, "This network has no dataset to draw a batch from."));
    return wrap;
  }
  ctx.model
    .batch(BATCH, freshSignal("batch"))
    .then((p) => {
      if (!p) return;
      const values = Array.from({ length: p.n }, (_, i) => perSample(p, i));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const max = Math.max(...values.map(Math.abs), 1e-300);
      box.replaceChildren(
        h(
          "p",
          { class: "muted" },
          `The first ${p.n} samples of ${ctx.model.network.dataset}, one backprop over all of them. Each ` +
            `bar is one sample's `,
          texNode(`\\partial C_x/\\partial ${symbol}`),
          ":",
        ),
        h(
          "div",
          {
            class: "bars",
            role: "img",
            "aria-label": `per-sample gradients: ${values.map((v) => fmt(v, 3)).join(", ")}`,
          },
          values.map((v, i) =>
            h("span", {
              class: `bar ${v < 0 ? "neg" : "pos"}`,
              style: `--h:${(Math.abs(v) / max) * 100}%`,
              title: `sample ${i}: ${fmt(v)}`,
            }),
          ),
        ),
      );
      box.append(
        equation(
          `\\frac{\\partial C}{\\partial ${symbol}} = \\frac1{${p.n}}\\sum_x \\frac{\\partial ` +
            `C_x}{\\partial ${symbol}} = ${tex(mean)}\\quad(\\text{API: } ` +
            `${tex(batchGrad(p))})`,
          { data: { batchMean: mean } },
        ),
      );
    })
    .catch((e) => {
      if (isAbort(e)) return;
      box.replaceChildren(
        h("p", { class: "muted" }, "The batch could not be computed (see the message above)."),
      );
      throw e;
    });
  return wrap;
}
