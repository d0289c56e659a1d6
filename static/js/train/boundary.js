// The decision boundary of a 2-D dataset: the network held by the page (the version on
// screen, not whatever the server has by now) evaluated on a 40x40 grid with one stateless
// `POST /api/forward`, painted behind the data points. One grid request at a time; when
// training moves on meanwhile, the next one asks for the newest weights.

import { isAbort } from "../core/api.js";
import { meta } from "../core/meta.js";
import { drawHeatmap } from "../draw/heatmap.js";
import { h } from "../ui/dom.js";

const N = 40; // grid points per side: 1,600 in one request
// |a1 - a0| can reach this much for a bounded output activation; otherwise the grid's own max.
const BOUND = { sigmoid: 1, softmax: 1, tanh: 2 };

export function createBoundary({ state, model, report }) {
  const canvas = h("canvas", {
    id: "boundary-canvas",
    role: "img",
    "aria-label": "Decision boundary: not drawn yet",
  });
  const wrap = h("div", { class: "chart-box square" }, canvas);
  const none = h("p", { class: "boundary-none muted small", id: "boundary-none", hidden: true });
  const key = h("ul", { class: "boundary-key small", "aria-label": "Key" });
  const fig = h(
    "figure",
    { class: "chart-card boundary", id: "boundary-card" },
    h(
      "figcaption",
      {},
      h("b", {}, "Decision boundary"),
      h("span", { class: "muted boundary-what" }, " a₁ − a₀ on a 40×40 grid"),
    ),
    h("div", { class: "boundary-row" }, wrap, key),
    none,
  );

  let points = null; // { name, x, labels, classNames, extent, heldOut }
  let field = null; // { values, range, version }
  let inFlight = false;
  let dirty = false;
  let controller = null;
  let frame = 0;

  function applicable() {
    const net = model.network;
    const info = net?.dataset ? model.datasets.get(net.dataset) : null;
    return Boolean(
      info &&
        info.n_features === 2 &&
        info.n_classes === 2 &&
        net.spec.sizes[0] === 2 &&
        net.spec.sizes.at(-1) === 2,
    );
  }

  function gridInputs(extent) {
    const [x0, x1, y0, y1] = extent;
    const out = [];
    for (let r = 0; r < N; r++)
      for (let c = 0; c < N; c++) out.push([x0 + (c * (x1 - x0)) / (N - 1), y1 - (r * (y1 - y0)) / (N - 1)]);
    return out;
  }

  async function open() {
    controller?.abort();
    controller = new AbortController();
    field = null;
    inFlight = false;
    const net = model.network;
    const ok = applicable();
    wrap.hidden = !ok;
    key.hidden = !ok;
    none.hidden = ok;
    fig.dataset.applicable = String(ok);
    if (!ok) {
      const info = net?.dataset ? model.datasets.get(net.dataset) : null;
      none.textContent = info
        ? `${info.name} has ${info.n_features} inputs and ${info.n_classes} classes: there is no plane to ` +
          `paint. The decision boundary is drawn for the 2-D datasets (xor, circles, spiral, ` +
          `gaussians).`
        : "The decision boundary is drawn for networks trained on a 2-D dataset (xor, circles, spiral, gaussians).";
      return;
    }
    const name = net.dataset;
    if (points?.name !== name) {
      const signal = controller.signal;
      try {
        const [d, held] = await Promise.all([
          model.dataset(name, 0, meta.max_dataset_page, signal),
          model.dataset(name, 0, meta.max_dataset_page, signal, "held_out"),
        ]);
        const heldOut = d.x.map(() => false);
        for (const i of held.index) heldOut[i] = true;
        const m = Math.ceil(Math.max(...d.x.flat().map(Math.abs)) * 11) / 10; // 10% margin, to 0.1
        points = {
          heldOut,
          nHeld: held.index.length,
          name,
          x: d.x,
          labels: d.labels,
          classNames: d.class_names ?? ["0", "1"],
          extent: [-m, m, -m, m],
        };
      } catch (e) {
        if (!isAbort(e)) report(e);
        return;
      }
      if (model.network !== net) return;
    }
    const [c0, c1] = points.classNames;
    key.replaceChildren(
      h("li", {}, h("span", { class: "dot", style: "background:var(--neg)" }), ` class 0 (${c0}): a₀ > a₁`),
      h("li", {}, h("span", { class: "dot", style: "background:var(--pos)" }), ` class 1 (${c1}): a₁ > a₀`),
      h("li", {}, h("span", { class: "key-line", style: "--c:#1f2933" }), " boundary: a₁ = a₀"),
      h("li", {}, h("span", { class: "dot ring" }), " the sample in view"),
      h(
        "li",
        { id: "boundary-held-key" },
        h("span", { class: "held-square" }),
        ` held out: ${points.nHeld} points training never sees`,
      ),
      h("li", { class: "muted" }, "pale to deep: how sure"),
    );
    refresh();
  }

  function refresh() {
    if (!applicable() || !points) return;
    dirty = true;
    if (!inFlight) pump();
  }

  async function pump() {
    dirty = false;
    inFlight = true;
    const net = model.network;
    const spec = net.spec;
    const version = net.version;
    const signal = controller.signal;
    try {
      const { data } = await model.compute(
        "forward",
        { network: spec },
        // Only the output is painted: `include` spares the server every layer's z and a.
        { x: gridInputs(points.extent), include: ["output"] },
        signal,
      );
      if (model.network !== net) return;
      const out = data.output;
      if (!Array.isArray(out) || out.length !== N * N)
        throw new Error(`forward on the grid: expected ${N * N} outputs, got ${out?.length}`);
      const values = out.map((o) => (o[0] == null || o[1] == null ? null : o[1] - o[0]));
      let range = BOUND[spec.activations.at(-1)];
      if (!range) range = Math.max(1e-12, ...values.map((v) => Math.abs(v ?? 0)));
      field = { values, range, version };
      draw();
    } catch (e) {
      if (!isAbort(e)) report(e);
      dirty = false;
    } finally {
      if (signal === controller.signal) {
        inFlight = false;
        if (dirty) pump();
      }
    }
  }

  // The grid the live stream evaluates each frame (null when no boundary is drawn).
  function grid() {
    return applicable() && points && !wrap.hidden ? { n: N, extent: points.extent } : null;
  }

  // a1 - a0 on the grid, from a frame of the live stream (float32, rows from the top).
  function show(values, version) {
    if (values.length !== N * N)
      throw new Error(`boundary frame: expected ${N * N} values, got ${values.length}`);
    const spec = model.network.spec;
    let range = BOUND[spec.activations.at(-1)];
    if (!range) {
      range = 1e-12;
      for (const v of values) range = Math.max(range, Math.abs(v));
    }
    field = { values: Array.from(values), range, version };
    draw();
  }

  function draw() {
    cancelAnimationFrame(frame);
    frame = 0;
    if (!field || !points || wrap.hidden) return;
    const sample = state.get("input") === "sample" ? state.get("sample") : null;
    const spec = {
      width: box.width,
      height: box.height,
      dpr: window.devicePixelRatio || 1,
      nx: N,
      ny: N,
      values: field.values,
      extent: points.extent,
      range: field.range,
      points: points.x,
      classes: points.labels,
      heldOut: points.heldOut,
      highlight: sample != null && sample < points.x.length ? [sample] : [],
    };
    drawHeatmap(canvas, spec);
    canvas.dataset.version = String(field.version);
    const ones = field.values.filter((v) => v > 0).length;
    canvas.setAttribute(
      "aria-label",
      `Decision boundary of version ${field.version}: the network says class 1 on ` +
        `${Math.round((100 * ones) / field.values.length)}% of the plane; ${points.x.length} data points ` +
        `drawn on top.`,
    );
  }

  // The box's size, kept here: reading clientWidth in draw() would force a layout per frame.
  let box = { width: 40, height: 40 };
  new ResizeObserver(([entry]) => {
    box = { width: Math.max(40, entry.contentRect.width), height: Math.max(40, entry.contentRect.height) };
    if (!frame) frame = requestAnimationFrame(draw);
  }).observe(wrap);
  state.subscribe((changed) => {
    if ((changed.has("sample") || changed.has("input")) && !frame) frame = requestAnimationFrame(draw);
  });

  return { element: fig, open, refresh, applicable, grid, show };
}
