// Nielsen's sum over paths, live: every way a change in the selected parameter (or
// neuron) can reach the cost, each path's rate factors and their product. The products
// add up to backprop's gradient, and a central difference from two nudges checks both.

import { freshSignal, isAbort, rawInteger } from "../core/api.js";
import { describeCount, fmt, jk, tex, texToText } from "../core/format.js";
import { dot, hline, polyline, svgChart } from "../draw/svgchart.js";
import { button, equation, h, section } from "../ui/dom.js";
import { texNode } from "../ui/tex.js";

const LIMIT = 12;
const FD_EPS = 1e-5;

export function createPathsView(el, { state, model, report }) {
  let last = null; // {key, data, count}
  let fd = null; // {key, value}

  const targetOf = (sel) =>
    sel.kind === "weight"
      ? { kind: "weight", layer: sel.layer, j: sel.j, k: sel.k }
      : sel.kind === "bias"
        ? { kind: "bias", layer: sel.layer, j: sel.j }
        : { kind: "activation", layer: sel.layer, j: sel.j };
  const keyOf = (sel) =>
    `${model.network.key}|${JSON.stringify(model.inputs)}|${JSON.stringify(targetOf(sel))}`;

  async function refresh() {
    const sel = state.get("sel");
    if (state.get("tab") !== "paths") return;
    if (!model.result || !sel) {
      el.replaceChildren(
        h(
          "p",
          { class: "muted" },
          sel ? "Computing…" : "Select a weight, bias or neuron to see its paths to the cost.",
        ),
      );
      return;
    }
    const key = keyOf(sel);
    if (last?.key === key) return render();
    el.replaceChildren(h("p", { class: "muted" }, "Tracing paths…"));
    const body = { ...model.inputs, target: targetOf(sel), mode: "top", limit: LIMIT };
    try {
      const { data, text } = await model.compute("paths", model.source(), body, freshSignal("paths"));
      last = { key, data, count: rawInteger(text, "count") ?? BigInt(data.count) };
      if (data.notes?.length) report(new Error(`paths: ${data.notes.join("; ")}`), "note");
      render();
    } catch (e) {
      if (isAbort(e)) return;
      el.replaceChildren(
        h("p", { class: "muted" }, "The paths could not be computed (see the message above)."),
      );
      throw e;
    }
    if (sel.kind !== "neuron") finiteDifference(sel, key);
  }

  // dC/dp ≈ (C(p+ε) − C(p−ε)) / 2ε from two nudges: forward passes only, no backprop.
  async function finiteDifference(sel, key) {
    const signal = freshSignal("fd");
    const call = (delta) =>
      model.compute("nudge", model.source(), { ...model.inputs, target: targetOf(sel), delta }, signal);
    try {
      const [plus, minus] = await Promise.all([call(FD_EPS), call(-FD_EPS)]);
      const cp = plus.data.cost_after;
      const cm = minus.data.cost_after;
      fd = { key, value: cp == null || cm == null ? null : (cp - cm) / (2 * FD_EPS) };
      if (last?.key === key) render();
    } catch (e) {
      if (!isAbort(e)) throw e;
    }
  }

  function factorNames(sel, path, start) {
    const L = model.network.spec.sizes.length - 1;
    const names = [];
    const first = path.neurons[0];
    if (sel.kind === "weight")
      names.push(`\\partial a^{${start}}_{${first}}/\\partial w^{${sel.layer}}_{${jk(sel.j, sel.k)}}`);
    if (sel.kind === "bias")
      names.push(`\\partial a^{${start}}_{${first}}/\\partial b^{${sel.layer}}_{${sel.j}}`);
    for (let i = 1; i < path.neurons.length; i++)
      names.push(
        `\\partial a^{${start + i}}_{${path.neurons[i]}}/\\partial a^{${start + i - 1}}_{${path.neurons[i - 1]}}`,
      );
    names.push(`\\partial C/\\partial a^{${L}}_{${path.neurons.at(-1)}}`);
    return names;
  }

  function render() {
    const sel = state.get("sel");
    if (!last || !sel) return;
    const { data, count } = last;
    const start = sel.layer;
    const paths = data.paths;
    let running = 0;
    const rows = paths.map((p, i) => {
      running += p.product ?? 0;
      const names = factorNames(sel, p, start);
      const chain = [
        sel.kind === "weight"
          ? `w^{${sel.layer}}_{${jk(sel.j, sel.k)}}`
          : sel.kind === "bias"
            ? `b^{${sel.layer}}_{${sel.j}}`
            : null,
        ...p.neurons.map((q, t) => `a^{${start + t}}_{${q}}`),
        "C",
      ].filter(Boolean);
      const hover = {
        start,
        neurons: p.neurons,
        from: sel.kind === "weight" ? sel.k : null,
        factors: p.factors,
      };
      const row = h(
        "li",
        {
          class: "path",
          tabindex: "0",
          data: { rank: i, product: p.product ?? "null", running },
          "aria-label": `path ${i + 1}: ${texToText(chain.join(" \\to "))}; product ${fmt(p.product)}`,
          onmouseenter: () => state.set({ hoverPath: hover }),
          onmouseleave: () => state.set({ hoverPath: null }),
          onfocus: () => state.set({ hoverPath: hover }),
          onblur: () => state.set({ hoverPath: null }),
        },
        h("div", { class: "path-chain" }, texNode(chain.join(" \\to "))),
        h(
          "div",
          { class: "path-factors", title: names.map(texToText).join(" × ") },
          p.factors.map((f, t) => h("span", { class: "factor" }, t ? "× " : "", fmt(f, 3))),
        ),
        h(
          "div",
          { class: "path-product" },
          h("span", { class: `num ${p.product < 0 ? "neg" : "pos"}` }, `= ${fmt(p.product, 4)}`),
          h("span", { class: "muted small" }, ` Σ ${fmt(running, 4)}`),
        ),
      );
      return row;
    });
    const listed = BigInt(paths.length);
    const rest = count - listed;
    const restSum = data.sum == null ? null : data.sum - running;
    const kindWord =
      sel.kind === "neuron"
        ? `a^{${sel.layer}}_{${sel.j}}`
        : sel.kind === "bias"
          ? `b^{${sel.layer}}_{${sel.j}}`
          : `w^{${sel.layer}}_{${jk(sel.j, sel.k)}}`;
    const fdValue = fd?.key === last.key ? fd.value : undefined;
    el.replaceChildren(
      ...[
        h(
          "p",
          { class: "lead" },
          "A change here travels to the cost along every path through later layers. Each edge on a path " +
            "has a rate factor (∂ of one activation by the previous); a path contributes the product of " +
            "its factors.",
        ),
        h(
          "div",
          {
            class: "sums",
            data: {
              count: count.toString(),
              sum: data.sum ?? "null",
              gradient: data.gradient ?? "null",
              fd: fdValue ?? "",
            },
          },
          row3("Paths", h("span", { data: { q: "count" } }, describeCount(count))),
          row3(
            "Σ over all paths",
            h("span", { class: "num", data: { q: "sum", value: data.sum ?? "null" } }, fmt(data.sum, 8)),
          ),
          row3(
            h("span", {}, "Backprop ", texNode(`\\partial C/\\partial ${kindWord}`)),
            h(
              "span",
              { class: "num", data: { q: "gradient", value: data.gradient ?? "null" } },
              fmt(data.gradient, 8),
            ),
          ),
          row3(
            "Finite difference",
            sel.kind === "neuron"
              ? h("span", { class: "muted" }, "— (an activation is not a parameter)")
              : h(
                  "span",
                  { class: "num", data: { q: "fd", value: fdValue ?? "" } },
                  fdValue === undefined ? "…" : fmt(fdValue, 8),
                ),
          ),
        ),
        equation(
          `\\frac{\\partial C}{\\partial ${kindWord}} = \\sum_{\\text{paths}} \\prod \\text{rate factors} ` +
            `= ${tex(data.sum, 6)}`,
        ),
        cumulativeChart(paths, data.gradient, data.sum, rest),
        h(
          "h3",
          {},
          paths.length < Number(count)
            ? `The ${paths.length} largest paths by |product|`
            : `All ${paths.length} paths`,
        ),
        h("ol", { class: "paths", "aria-label": "Paths to the cost; focus one to draw it" }, rows),
        rest > 0n
          ? h(
              "p",
              { class: "rest", data: { rest: rest.toString() } },
              `…and ${describeCount(rest)} more paths, not listed, whose products add up to ${fmt(restSum, 6)}.`,
            )
          : null,
        gradcheckSection(),
      ].filter(Boolean),
    );
  }

  function row3(label, value) {
    return h("div", { class: "sum-row" }, h("span", { class: "sum-label" }, label), value);
  }

  // The running sum approaching the gradient as paths are added, largest first; a dotted
  // last step adds every path not listed, landing on the sum over all of them.
  function cumulativeChart(paths, gradient, total, restCount) {
    if (paths.length < 2 || gradient == null) return null;
    const W = 320;
    const H = 70;
    let s = 0;
    const ys = [0, ...paths.map((p) => (s += p.product ?? 0))];
    const withRest = restCount > 0n && total != null;
    const n = ys.length + (withRest ? 1 : 0);
    const lo = Math.min(0, gradient, ...ys);
    const hi = Math.max(0, gradient, ...ys);
    const sy = (v) => H - 6 - ((v - lo) / (hi - lo || 1)) * (H - 12);
    const sx = (i) => 4 + (i / (n - 1)) * (W - 8);
    const sum = withRest ? `, ${fmt(total)} with the rest` : "";
    const svg = svgChart({
      width: W,
      height: H,
      label: `Running sum of path products: ${fmt(s)} after the listed paths${sum}; backprop gradient ${fmt(gradient)}`,
      shapes: [
        hline(sy(gradient), "target", 0, W),
        hline(sy(0), "zero", 0, W),
        polyline(
          ys.map((v, i) => [sx(i), sy(v)]),
          "run",
        ),
        ...(withRest
          ? [
              polyline(
                [
                  [sx(ys.length - 1), sy(s)],
                  [sx(n - 1), sy(total)],
                ],
                "run rest-step",
              ),
              dot(sx(n - 1), sy(total)),
            ]
          : []),
      ],
    });
    const caption = withRest
      ? "Running sum of the listed paths, then (dotted) all the rest at once, against backprop's gradient (dashed)."
      : "Running sum of the paths, largest first, against backprop's gradient (dashed).";
    return h("figure", { class: "chart-wrap" }, svg, h("figcaption", { class: "muted small" }, caption));
  }

  function gradcheckSection() {
    const out = h("div", { class: "gradcheck", "aria-live": "polite" });
    const run = async () => {
      out.replaceChildren(h("p", { class: "muted" }, "Checking every parameter…"));
      try {
        const { data } = await model.compute(
          "gradcheck",
          model.source(),
          { ...model.inputs, epsilon: 1e-6 },
          freshSignal("gradcheck"),
        );
        out.replaceChildren(
          h(
            "p",
            { data: { maxRel: data.max_rel_error ?? "null", maxAbs: data.max_abs_error ?? "null" } },
            `All ${data.parameters} parameters: largest difference between backprop and central ` +
              `differences ${fmt(data.max_abs_error, 3)} (relative ` +
              `${fmt(data.max_rel_error, 3)}).`,
          ),
          h(
            "p",
            { class: "muted" },
            `Backprop: 1 forward + 1 backward pass, ${fmt(data.seconds.backprop * 1000, 3)} ms. ` +
              `Differences: ${data.forward_passes.numerical} forward passes, ` +
              `${fmt(data.seconds.numerical * 1000, 3)} ms. That gap is why backprop ` +
              `exists.`,
          ),
        );
      } catch (e) {
        if (isAbort(e)) return;
        out.replaceChildren(h("p", { class: "muted" }, "The check could not run (see the message above)."));
        throw e;
      }
    };
    return section(
      "Every parameter at once",
      h(
        "p",
        { class: "muted" },
        "Finite differences need two forward passes per parameter; backprop gets them all from one " +
          "forward and one backward pass.",
      ),
      button("Check all gradients", run),
      out,
    );
  }

  state.subscribe((changed) => {
    if (changed.has("sel") || changed.has("tab")) refresh();
  });
  model.on((what) => {
    if (what === "result") refresh();
    if (what === "network") last = null;
  });
  return { refresh };
}
