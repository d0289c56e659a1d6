// The batch view: for the selected weight w^l_jk, every sample's own dC_x/dw = a_k δ_j
// beside their mean, the gradient SGD steps along. One backprop over the whole batch gives
// per-sample a^{l-1}_k and δ^l_j and the batch-averaged grad_w; the page multiplies and
// averages, and shows that the two agree.
//
// Which batch: the `batch size` samples of the dataset starting at the sample in view
// (wrapping at the end). Training draws its own shuffled mini-batches on the server, so this
// is a batch of the same size, not a prediction of the next one; the panel says so.

import { fmt, jk, tex } from "../core/format.js";
import { suggestedRate } from "../core/meta.js";
import { drawBars } from "../draw/barchart.js";
import { equation, h, quantity, section } from "../ui/dom.js";

const TABLE_ROWS = 24;

export function createBatchView(el, { state, model, minibatch }) {
  let frame = 0;
  let last = null; // what the bars show: { values, mean, highlight }
  const visible = () => state.get("tab") === "batch";

  function message(kind, ...children) {
    el.dataset.state = kind;
    el.replaceChildren(h("h2", { class: "insp-title" }, "One mini-batch, sample by sample"), ...children);
  }

  // The page's one mini-batch (core/minibatch.js): the header's mean C and the "batch
  // mean" edge colouring are of these same samples.
  function refresh() {
    if (!visible()) return;
    const net = model.network;
    const sel = state.get("sel");
    if (!net) return;
    if (!sel || sel.kind === "neuron") {
      return message(
        "intro",
        h(
          "p",
          {},
          "Select a weight (click an edge on the diagram) or a bias to see its gradient sample by sample: " +
            "each sample's own ∂Cₓ/∂w, and their mean, the gradient a mini-batch SGD step " +
            "uses.",
        ),
      );
    }
    if (!net.dataset)
      return message(
        "no-data",
        h("p", { class: "muted" }, "This network has no dataset to draw a batch from."),
      );
    const mb = minibatch.current();
    if (!mb) {
      if (el.dataset.state !== "ready")
        message("loading", h("p", { class: "muted" }, "Computing the batch…"));
      return;
    }
    const d = { x: mb.x, y: mb.y, labels: mb.labels, classNames: mb.classNames, index: mb.index };
    render(sel, {
      d,
      r: mb.r,
      B: mb.B,
      start: mb.start,
      n: mb.n,
      name: mb.name,
      spec: mb.spec,
      version: mb.version,
    });
  }

  function render(sel, { d, r, B, start, n, name, spec, version }) {
    const { layer: l, j } = sel;
    const isW = sel.kind === "weight";
    const k = sel.k;
    const sym = isW ? `w^{${l}}_{${jk(j, k)}}` : `b^{${l}}_{${j}}`;
    const delta = r.layers[l].delta.map((row) => row[j]);
    const aIn = isW ? r.layers[l - 1].a.map((row) => row[k]) : null;
    const values = delta.map((dj, i) =>
      dj == null || (isW && aIn[i] == null) ? null : isW ? aIn[i] * dj : dj,
    );
    const apiGrad = isW ? r.layers[l].grad_w[j][k] : r.layers[l].grad_b[j];
    const finite = values.every((v) => v != null && Number.isFinite(v));
    const mean = finite ? values.reduce((s, v) => s + v, 0) / values.length : null;
    const diff = mean != null && apiGrad != null ? Math.abs(mean - apiGrad) : null;
    const agree = diff != null && diff <= 1e-12 * Math.max(1e-300, ...values.map(Math.abs));
    const param = isW ? spec.weights[l - 1][j][k] : spec.biases[l - 1][j];
    const eta = state.get("lr") ?? suggestedRate(spec);

    const end = (start + B - 1) % n;
    const which = h(
      "p",
      { class: "small", id: "batch-which" },
      h("b", {}, "The batch: "),
      `samples ${start}${B > 1 ? `–${end}` : ""} of ` +
        `${name}${start + B > n ? " (wrapping round to 0)" : ""}, ${B} of them (the batch size), starting ` +
        `at the sample in view. `,
      h(
        "span",
        { class: "muted" },
        "Training shuffles its own mini-batches on the server; this is a batch of the same size, not " +
          "necessarily the next one.",
      ),
    );
    const canvas = h("canvas", {
      class: "batch-bars",
      id: "batch-bars",
      role: "img",
      "aria-label": `Per-sample ∂Cₓ/∂${isW ? "w" : "b"} for ${B} samples, mean ${fmt(mean, 3)}`,
    });
    canvas.dataset.values = JSON.stringify(values);
    canvas.dataset.mean = String(mean);
    canvas.dataset.api = String(apiGrad);
    const perSample = isW ? `a^{${l - 1}}_{${k}}(x)\\,\\delta^{${l}}_{${j}}(x)` : `\\delta^{${l}}_{${j}}(x)`;
    const body = [
      h(
        "p",
        { class: "lead" },
        "C is the mean of the per-sample costs Cₓ, so its gradient is the mean of the per-sample " +
          "gradients. Each bar is one sample's own " +
          "",
        isW ? "aₖ δⱼ (BP4)" : "δⱼ (BP3)",
        "; the dashed line is their mean, the gradient SGD uses.",
      ),
      which,
      h("div", { class: "batch-chart" }, canvas),
      h(
        "dl",
        { class: "quantities" },
        quantity("mean", `\\tfrac1{${B}}\\textstyle\\sum_x \\partial C_x/\\partial ${sym}`, mean),
        quantity("api", `\\text{API } \\partial C/\\partial ${sym}`, apiGrad),
        quantity("diff", "|\\text{mean} - \\text{API}|", diff),
        quantity("param", sym, param),
      ),
      equation(`\\frac{\\partial C}{\\partial ${sym}} = \\frac1{${B}}\\sum_{x} ${perSample} = ${tex(mean)}`, {
        label: isW ? "BP4, averaged" : "BP3, averaged",
        data: { batchMean: String(mean) },
      }),
      h(
        "p",
        { class: agree ? "hint agree" : "badge saturated", data: { agree: String(agree) } },
        agree
          ? [
              `The mean of the ${B} bars equals the API's batch gradient (`,
              h("code", {}, isW ? "grad_w" : "grad_b"),
              `; they differ by ${fmt(diff, 2)}, float64 rounding).`,
            ]
          : `The mean and the API's batch gradient differ by ${fmt(diff, 3)}${finite ? "" : " (a value overflowed)"}.`,
      ),
    ];
    if (mean != null) {
      body.push(
        h(
          "p",
          { class: "hint" },
          `A step with η = ${fmt(eta)} on this batch would move ${isW ? "w" : "b"} from ${fmt(param)} to ` +
            `${fmt(param - eta * mean)} (${isW ? "w" : "b"} − η × ` +
            `mean).`,
        ),
      );
    }
    body.push(table(d, values, delta, aIn, isW, start, { l, j, k }));
    el.dataset.version = String(version ?? "");
    el.dataset.kind = sel.kind;
    message("ready", ...body);
    last = finite ? { canvas, values, mean } : null;
    draw();
  }

  function table(d, values, delta, aIn, isW, start, { l, j, k }) {
    const shown = Math.min(values.length, TABLE_ROWS);
    const head = [
      "sample",
      "class",
      ...(isW ? [["a", h("sup", {}, l - 1), h("sub", {}, k)]] : []),
      ["δ", h("sup", {}, l), h("sub", {}, j)],
      isW ? "aₖ δⱼ" : "δⱼ",
    ];
    const rows = [];
    for (let i = 0; i < shown; i++) {
      const cells = [d.index[i], d.classNames[d.labels[i]] ?? d.labels[i]];
      rows.push(
        h(
          "tr",
          { class: d.index[i] === start ? "current" : null, data: { sample: d.index[i] } },
          cells.map((c) => h("td", {}, String(c))),
          (isW ? [aIn[i], delta[i], values[i]] : [delta[i], values[i]]).map((v) =>
            h("td", { class: "num", data: { value: String(v) } }, fmt(v)),
          ),
        ),
      );
    }
    const more =
      values.length > shown
        ? h(
            "p",
            { class: "muted small" },
            `… and ${values.length - shown} more samples (all of them are bars above).`,
          )
        : null;
    return section(
      "Sample by sample",
      h(
        "div",
        { class: "scroll" },
        h(
          "table",
          { class: "data", id: "batch-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              head.map((t) => h("th", {}, t)),
            ),
          ),
          h("tbody", {}, rows),
        ),
      ),
      more,
    );
  }

  function draw() {
    cancelAnimationFrame(frame);
    frame = 0;
    if (!last?.canvas.isConnected) return;
    const box = last.canvas.parentElement;
    drawBars(last.canvas, {
      width: Math.max(60, box.clientWidth),
      height: 110,
      dpr: window.devicePixelRatio || 1,
      values: last.values,
      mean: last.mean,
    });
  }

  state.subscribe((changed) => {
    if (["tab", "sel"].some((key) => changed.has(key))) refresh();
  });
  minibatch.on(() => refresh()); // new weights, a new sample in view or a new batch size
  model.on((what) => {
    if (what === "network") {
      last = null;
      el.replaceChildren();
      el.dataset.state = "";
      refresh();
    }
  });
  new ResizeObserver(() => {
    if (!frame) frame = requestAnimationFrame(draw);
  }).observe(el);
  return { refresh };
}
