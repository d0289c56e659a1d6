// The equation of each stepper step with this input's numbers. Every product is preceded
// by its factors with their numbers: BP1 shows grad_a C and sigma'(z^L), BP2 shows
// (w^{l+1})^T delta^{l+1} and sigma'(z^l), BP3/BP4 the delta and activation they multiply.
// All vectors are the API's (dC_da is (w^{l+1})^T delta^{l+1} below the output).

import { jk, tex, times } from "../core/format.js";
import { COST_TEX, sampleCostTex } from "../ui/tex.js";

const SHOW = 6; // entries of a vector written out
const PAIR = 3; // entries each when two vectors share a row
const COLS = 5; // neurons written out in a product table

export const vec = (v, show = SHOW) => {
  if (!v) return "\\cdot";
  const shown = v.slice(0, show).map((x) => tex(x, 3));
  return `\\left(${shown.join(",\\ ")}${v.length > show ? `,\\ \\dots\\ (${v.length})` : ""}\\right)`;
};

// Rows set one under the other, each a formula of its own.
const rows = (...lines) => `\\begin{gathered}${lines.join(" \\\\ ")}\\end{gathered}`;

export const ALL_TEX =
  "\\delta^L = \\nabla_a C \\odot \\sigma'(z^L),\\;\\; \\delta^l " +
  "= \\big((w^{l+1})^{\\mathsf T}\\delta^{l+1}\\big)\\odot\\sigma'(z^l),\\;\\; " +
  "\\tfrac{\\partial C}{\\partial b^l_j} = \\delta^l_j,\\;\\; \\tfrac{\\partial " +
  "C}{\\partial w^l_{jk}} = a^{l-1}_k\\delta^l_j";

export function forwardTex(s, r, net, L) {
  const l = s.layer;
  const layer = r.layers[l];
  let source =
    `z^{${l}} = w^{${l}} a^{${l - 1}} + b^{${l}} = ${vec(layer.z)},\\quad ` +
    `a^{${l}} = \\sigma(z^{${l}}) = ${vec(layer.a)}`;
  if (l === L) {
    // The cost of this one sample (C_x, or 3Blue1Brown's C_0), not the mean C.
    const c = COST_TEX[net.cost].c.replace("C_x", sampleCostTex(net.cost));
    source = rows(source, `${c} = ${tex(r.cost)}`);
  }
  return source;
}

// An elementwise product as a table: each factor a row, the product under them, one
// column per neuron j, so every entry of the product sits under the two numbers it is.
function productTable(factors, product) {
  const n = product[1].length;
  const m = Math.min(n, COLS);
  const more = n > m;
  const cells = (v) => [...v.slice(0, m).map((x) => tex(x, 3)), ...(more ? ["\\dots"] : [])];
  const head = [
    "",
    ...Array.from({ length: m }, (_, j) => `\\scriptstyle j=${j}`),
    ...(more ? [`\\scriptstyle (${n})`] : []),
  ];
  const row = ([label, v]) => [label, ...cells(v)].join(" & ");
  return (
    `{\\def\\arraystretch{1.2}\\begin{array}{l|${"r".repeat(m)}${more ? "c" : ""}} ${head.join(" & ")} ` +
    `\\\\ \\hline ${factors.map(row).join(" \\\\ ")} \\\\ \\hline ${row(product)} \\end{array}}`
  );
}

export function outputTex(r, net, L) {
  const o = r.layers[L];
  if (net.activations[L - 1] === "softmax") {
    // Softmax couples the outputs: BP1's elementwise product becomes the Jacobian's.
    return rows(
      `\\nabla_a C = ${vec(o.dC_da, PAIR)},\\qquad a^{${L}} = ${vec(o.a, PAIR)}`,
      `\\delta^{${L}}_j = \\sum_m a^{${L}}_m\\big([m{=}j] - a^{${L}}_j\\big)\\frac{\\partial ` +
        `C}{\\partial a^{${L}}_m}: \\quad \\delta^{${L}} = ${vec(o.delta)}`,
    );
  }
  return productTable(
    [
      ["\\nabla_a C", o.dC_da],
      [`\\sigma'(z^{${L}})`, o.sigma_prime],
    ],
    [`\\delta^{${L}} = \\nabla_a C \\odot \\sigma'(z^{${L}})`, o.delta],
  );
}

export function backTex(l, r) {
  const here = r.layers[l];
  const wd = `(w^{${l + 1}})^{\\mathsf T}\\delta^{${l + 1}}`;
  return productTable(
    [
      [wd, here.dC_da],
      [`\\sigma'(z^{${l}})`, here.sigma_prime],
    ],
    [`\\delta^{${l}} = \\big(${wd}\\big)\\odot\\sigma'(z^{${l}})`, here.delta],
  );
}

// The weight the gradient step writes out: the selected one, else in the selected neuron's
// (or the output) layer, the incoming weight of neuron j with the largest gradient.
export function exampleWeight(sel, r, L) {
  if (sel?.kind === "weight") return sel;
  const l = sel && sel.layer >= 1 ? sel.layer : L;
  const g = r.layers[l].grad_w;
  let best = { layer: l, j: sel && sel.layer >= 1 ? sel.j : 0, k: 0 };
  let max = -1;
  g.forEach((row, j) => {
    if (sel && sel.layer >= 1 && j !== sel.j) return;
    row.forEach((v, k) => {
      if (Math.abs(v ?? 0) > max) {
        max = Math.abs(v ?? 0);
        best = { layer: l, j, k };
      }
    });
  });
  return best;
}

// BP4 and BP3 for one weight and its neuron's bias, factors first; then the size of the
// gradient layer by layer (where the learning signal is strong).
export function gradientTex(sel, r, net) {
  const L = net.sizes.length - 1;
  const { layer: l, j, k } = exampleWeight(sel, r, L);
  const d = r.layers[l].delta[j];
  const aIn = r.layers[l - 1].a[k];
  const norms = r.layers
    .slice(1)
    .map(
      (layer, i) =>
        `\\lVert\\nabla_{w^{${i + 1}}} C\\rVert = ${tex(Math.hypot(...layer.grad_w.flat().map((v) => v ?? 0)), 3)}`,
    );
  return rows(
    `\\text{BP4: } \\frac{\\partial C}{\\partial w^{${l}}_{${jk(j, k)}}} ` +
      `= a^{${l - 1}}_{${k}}\\,\\delta^{${l}}_{${j}} = ${times([aIn, d])} ` +
      `= ${tex(r.layers[l].grad_w[j][k])}`,
    `\\text{BP3: } \\frac{\\partial C}{\\partial b^{${l}}_{${j}}} ` +
      `= \\delta^{${l}}_{${j}} = ${tex(r.layers[l].grad_b[j])};\\qquad ` +
      `${norms.join(",\\ ")}`,
  );
}
