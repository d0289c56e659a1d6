// The two training curves: loss and accuracy per step, and |dC/dW^l| per layer per step on
// a log scale (the vanishing gradient made visible: in a deep sigmoid net the early layers'
// lines sit decades below the later ones). Redrawn at most once per frame.

import { fmt } from "../core/format.js";
import { drawLineChart } from "../draw/linechart.js";
import { h } from "../ui/dom.js";

// Okabe & Ito's colour-blind-safe set, the five of it with 3:1 on white (orange, sky blue and
// yellow are paler); past five layers the colours repeat dashed. Every line is also labelled
// at its end (W¹, W², ...), so no one depends on telling colours apart.
export const LAYER_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"];
const SUP = (n) => String(n).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[+d]);
const LOSS_COLOUR = "#1f2933";
const ACC_COLOUR = "#009E73";
const HELD_COLOUR = "#D55E00"; // Okabe & Ito's vermillion: held-out accuracy
const layerStyle = (l) => ({
  color: LAYER_COLOURS[(l - 1) % LAYER_COLOURS.length],
  dash: l > LAYER_COLOURS.length ? [5, 3] : [],
});
const pct = (v) => `${Math.round(v * 100)}%`;

// Per-step norms of a mini-batch gradient are noisy; the chart draws them faintly and, over
// them, an exponential moving average taken in log space (a geometric mean), so the layers'
// levels read at a glance. The window grows with the run: about 1/60 of the steps shown.
export function smoothLog(values, window) {
  const alpha = 2 / (Math.max(1, window) + 1);
  const out = new Array(values.length);
  let m = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !(v > 0)) {
      out[i] = null;
      continue;
    }
    const u = Math.log(v);
    m = m == null ? u : m + alpha * (u - m);
    out[i] = Math.exp(m);
  }
  return out;
}

function card(id, title, note, ...rest) {
  const canvas = h("canvas", { id, role: "img", "aria-label": `${title}: no steps yet` });
  const wrap = h("div", { class: "chart-box" }, canvas);
  const fig = h(
    "figure",
    { class: "chart-card" },
    h("figcaption", {}, h("b", {}, title), h("span", { class: "muted" }, note)),
    ...rest,
    wrap,
  );
  return { fig, wrap, canvas };
}

export function createCharts() {
  const accKey = h(
    "span",
    { class: "acc-key" },
    h("span", { class: "key-line dashed", style: `--c:${ACC_COLOUR}` }),
    " accuracy (right) ",
  );
  const heldKey = h(
    "span",
    { class: "acc-key" },
    h("span", { class: "key-line dotted", style: `--c:${HELD_COLOUR}` }),
    " held-out accuracy (right)",
  );
  const lossKey = h(
    "p",
    { class: "chart-key small" },
    h("span", { class: "key-line", style: `--c:${LOSS_COLOUR}` }),
    " loss (left) ",
    accKey,
    heldKey,
  );
  const loss = card(
    "loss-chart",
    "Loss and accuracy",
    " per step: training samples, and held-out ones training never sees",
    lossKey,
  );
  const legend = h("ul", { class: "chart-legend small", id: "norm-legend", "aria-label": "Layers" });
  const norms = card("norm-chart", "‖∂C/∂Wˡ‖ per layer", " per step (faint) and smoothed, log scale", legend);
  let history = null;
  let frame = 0;

  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function sizeOf(wrap) {
    return {
      width: Math.max(40, wrap.clientWidth),
      height: Math.max(40, wrap.clientHeight),
      dpr: window.devicePixelRatio || 1,
    };
  }

  function draw() {
    frame = 0;
    if (!history) return;
    const hist = history;
    const n = hist.step.length;
    const last = n - 1;
    const series = [{ name: "loss", y: hist.loss, color: LOSS_COLOUR, axis: "left", width: 1.8 }];
    if (hist.acc)
      series.push({ name: "accuracy", y: hist.acc, color: ACC_COLOUR, axis: "right", dash: [5, 3] });
    if (hist.held)
      series.push({
        name: "held-out accuracy",
        y: hist.held,
        color: HELD_COLOUR,
        axis: "right",
        dash: [2, 2],
      });
    const lossInfo = drawLineChart(loss.canvas, {
      ...sizeOf(loss.wrap),
      x: hist.step,
      series,
      left: { scale: "linear", min: 0, label: "C" },
      right: hist.acc ? { scale: "linear", min: 0, max: 1, label: "acc", format: pct } : undefined,
      empty: "Press Play or Step to train",
    });
    loss.canvas.dataset.points = String(lossInfo.points);
    // The first and last values drawn, exact, for tests and screen readers' "how far".
    loss.canvas.dataset.first = n ? String(hist.loss[0]) : "";
    loss.canvas.dataset.last = n ? String(hist.loss[last]) : "";
    loss.canvas.dataset.series = String(lossInfo.series);
    loss.canvas.dataset.steps = n ? String(hist.step[last]) : "";
    loss.canvas.dataset.held = n && hist.held ? String(hist.held[last]) : "";
    accKey.hidden = !hist.acc;
    heldKey.hidden = !hist.held;
    loss.canvas.setAttribute(
      "aria-label",
      n
        ? `Loss and accuracy over ${n} steps: loss ${fmt(hist.loss[0], 3)} at step ${hist.step[0]}, ` +
            `${fmt(hist.loss[last], 3)} at step ` +
            `${hist.step[last]}${hist.acc ? `; accuracy ${pct(hist.acc[last] ?? 0)}` : ""}` +
            `${hist.held ? `, held-out ${pct(hist.held[last] ?? 0)}` : ""}.`
        : "Loss and accuracy: no steps yet.",
    );

    const window = Math.min(200, Math.max(1, n / 60));
    const normSeries = [
      ...hist.norms.map((y, i) => ({
        name: `layer ${i + 1} (each step)`,
        y,
        ...layerStyle(i + 1),
        color: `${layerStyle(i + 1).color}38`,
        width: 1,
      })),
      ...hist.norms.map((y, i) => ({
        name: `layer ${i + 1}`,
        label: `W${SUP(i + 1)}`,
        y: window > 1.5 ? smoothLog(y, window) : y,
        ...layerStyle(i + 1),
        width: 2,
      })),
    ];
    const normInfo = drawLineChart(norms.canvas, {
      ...sizeOf(norms.wrap),
      x: hist.step,
      series: normSeries,
      left: { scale: "log", label: "|∂C/∂W|" },
      empty: "One line per layer once training starts",
    });
    norms.canvas.dataset.points = String(normInfo.points);
    norms.canvas.dataset.series = String(hist.norms.length); // one per layer (each drawn raw and smoothed)
    norms.canvas.dataset.labels = JSON.stringify(normInfo.labels ?? []);
    const latest = hist.norms.map((y) => y[last]);
    norms.canvas.setAttribute(
      "aria-label",
      n
        ? `Gradient norm per layer at step ${hist.step[last]}: ` +
            `${latest.map((v, i) => `layer ${i + 1} ${fmt(v, 2)}`).join(", ")}.`
        : "Gradient norm per layer: no steps yet.",
    );
    legend.querySelectorAll("[data-value]").forEach((el, i) => {
      el.textContent = n ? fmt(latest[i], 2) : "–";
    });
  }

  function setLayers(L) {
    legend.replaceChildren(
      ...Array.from({ length: L }, (_, i) => {
        const l = i + 1;
        const { color, dash } = layerStyle(l);
        const name = l === 1 ? "layer 1 (first)" : l === L ? `layer ${l} (output)` : `layer ${l}`;
        return h(
          "li",
          { data: { layer: l } },
          h("span", { class: `key-line${dash.length ? " dashed" : ""}`, style: `--c:${color}` }),
          ` ${name} `,
          h("span", { class: "num", data: { value: "" } }, "–"),
        );
      }),
    );
  }

  for (const c of [loss, norms]) new ResizeObserver(schedule).observe(c.wrap);

  return {
    elements: [loss.fig, norms.fig],
    show(hist) {
      if (!history || history.layers !== hist.layers || legend.children.length !== hist.layers)
        setLayers(hist.layers);
      history = hist;
      schedule();
    },
    drawNow() {
      cancelAnimationFrame(frame);
      draw();
    },
  };
}
