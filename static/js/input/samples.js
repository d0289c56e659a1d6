// The sample browser under the input fields: the network's whole data set at a glance,
// so choosing the sample the diagram inspects is one click. Images (digits) as pages of
// 8x8 thumbnails, everything else as a scatter plot of two features, coloured by class.
// A pick goes through model.loadSample, the same path as the sample field above it.

import { freshSignal, isAbort } from "../core/api.js";
import { meta } from "../core/meta.js";
import { INK, NEG, POS, rgb } from "../draw/scales.js";
import { prepareCanvas } from "../draw/surface.js";
import { h } from "../ui/dom.js";

const PAGE = 40; // thumbnails per page
const CLASS_COLOURS = [
  NEG,
  POS,
  [77, 146, 33],
  [118, 42, 131],
  [197, 27, 125],
  [140, 81, 10],
  [1, 102, 94],
  [84, 39, 136],
  [179, 88, 6],
  [90, 90, 90],
];
export const classColour = (c) => rgb(CLASS_COLOURS[c % CLASS_COLOURS.length]);

export function createSampleBrowser(el, { state, model, report }) {
  const all = new Map(); // name -> whole data set (non-image sets are small)
  const pages = new Map(); // `${name}:${page}` -> one page of an image set
  let axes = [0, 1];
  let name = null;
  let scatter = null; // {canvas, points: [[px, py, i]]}

  const info = () => (name ? model.datasets.get(name) : null);
  const isImage = (i) => {
    const side = Math.round(Math.sqrt(i.n_features));
    return side * side === i.n_features && side >= 4;
  };
  const current = () => (state.get("input") === "sample" ? state.get("sample") : null);
  const pick = (i) => model.loadSample(i).catch(report);

  async function fetchAll(i) {
    if (!all.has(i.name))
      all.set(i.name, model.dataset(i.name, 0, Math.min(i.n_samples, meta.max_dataset_page)));
    return all.get(i.name);
  }

  async function build() {
    const net = model.network;
    const next = net?.dataset ?? null;
    if (next !== name) {
      name = next;
      axes = next === "iris" ? [2, 3] : [0, 1]; // petal length and width separate the species
    }
    const i = info();
    if (!i) return el.replaceChildren();
    try {
      if (isImage(i)) await thumbnails(i);
      else await plot(i);
    } catch (e) {
      if (!isAbort(e)) report(e);
    }
  }

  // ---- 2-D and tabular sets: a scatter plot -------------------------------------------------
  async function plot(i) {
    const d = await fetchAll(i);
    if (info() !== i) return;
    const size = Math.max(160, Math.min(260, el.clientWidth || 220));
    const canvas = h("canvas", {
      class: "scatter",
      role: "img",
      "aria-label":
        `Scatter plot of the ${d.x.length} samples of ${i.name}, x${axes[0]} across, ` +
        `x${axes[1]} up; click a point to inspect that ` +
        `sample.`,
    });
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    const axisPicker =
      i.n_features > 2
        ? h(
            "div",
            { class: "row small" },
            [0, 1].map((a) =>
              h(
                "label",
                { class: "inline" },
                a === 0 ? "across" : "up",
                h(
                  "select",
                  {
                    "aria-label": a === 0 ? "Feature across" : "Feature up",
                    onchange: (e) => {
                      axes[a] = +e.target.value;
                      build();
                    },
                  },
                  Array.from({ length: i.n_features }, (_, f) => {
                    const o = new Option(`x${f}`, String(f));
                    o.selected = f === axes[a];
                    return o;
                  }),
                ),
              ),
            ),
          )
        : null;
    const legend = h(
      "div",
      { class: "class-legend small" },
      (d.class_names ?? []).map((c, k) =>
        h("span", {}, h("span", { class: "swatch", style: `background:${classColour(k)}` }), ` ${c}`),
      ),
    );
    // Not straight into replaceChildren: the DOM turns a null child into the text "null".
    el.replaceChildren(
      ...[
        h("h3", {}, `All ${d.x.length} samples`),
        axisPicker,
        canvas,
        legend,
        h("p", { class: "muted small" }, "Click a point to inspect it."),
      ].filter(Boolean),
    );
    scatter = { canvas, size, d };
    canvas.addEventListener("click", (e) => {
      const box = canvas.getBoundingClientRect();
      // The drawn points are in the canvas's own CSS pixels; CSS may have shrunk it to fit.
      const k = size / (box.width || size);
      const [x, y] = [(e.clientX - box.left) * k, (e.clientY - box.top) * k];
      let best = null;
      for (const [px, py, k] of scatter.points) {
        const r = Math.hypot(px - x, py - y);
        if (r < 14 && (!best || r < best[0])) best = [r, k];
      }
      if (best) pick(best[1]);
    });
    drawScatter();
  }

  function drawScatter() {
    if (!scatter?.canvas.isConnected) return;
    const { canvas, size, d } = scatter;
    const ctx = prepareCanvas(
      canvas,
      { width: size, height: size, dpr: window.devicePixelRatio || 1 },
      "#fff",
    );
    const [fx, fy] = axes;
    const range = (f) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (const row of d.x) {
        lo = Math.min(lo, row[f]);
        hi = Math.max(hi, row[f]);
      }
      return hi - lo < 1e-12 ? [lo - 1, hi + 1] : [lo, hi];
    };
    const [x0, x1] = range(fx);
    const [y0, y1] = range(fy);
    const m = 10;
    const X = (v) => m + ((v - x0) / (x1 - x0)) * (size - 2 * m);
    const Y = (v) => size - m - ((v - y0) / (y1 - y0)) * (size - 2 * m);
    ctx.strokeStyle = "#e3e0d8";
    ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
    scatter.points = d.x.map((row, k) => [X(row[fx]), Y(row[fy]), k]);
    ctx.globalAlpha = 0.75;
    for (const [px, py, k] of scatter.points) {
      ctx.fillStyle = classColour(d.labels[k]);
      ctx.beginPath();
      ctx.arc(px, py, 2.6, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    const cur = current();
    if (cur != null && scatter.points[cur]) {
      const [px, py] = scatter.points[cur];
      ctx.strokeStyle = rgb(INK);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(px, py, 6.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    canvas.dataset.sample = String(cur ?? "");
  }

  // ---- image sets: pages of thumbnails --------------------------------------------------------
  async function thumbnails(i) {
    const page = Math.floor((current() ?? state.get("sample") ?? 0) / PAGE);
    await showPage(i, page);
  }

  async function showPage(i, page) {
    const key = `${i.name}:${page}`;
    if (!pages.has(key))
      pages.set(
        key,
        model.dataset(i.name, page * PAGE, PAGE, freshSignal("sample-browser")).catch((e) => {
          pages.delete(key);
          throw e;
        }),
      );
    const d = await pages.get(key);
    if (info() !== i) return;
    scatter = null;
    const side = Math.round(Math.sqrt(i.n_features));
    const last = Math.ceil(i.n_samples / PAGE) - 1;
    const cur = current();
    const buttons = d.x.map((x, k) => {
      const index = d.offset + k;
      const c = h("canvas", { width: side, height: side, "aria-hidden": "true" });
      const img = c.getContext("2d").createImageData(side, side);
      x.forEach((v, p) => {
        const g = Math.round(250 - Math.max(0, Math.min(1, v)) * 214);
        img.data.set([g, Math.min(255, g + 4), Math.min(255, g + 10), 255], p * 4);
      });
      c.getContext("2d").putImageData(img, 0, 0);
      const name = d.class_names?.[d.labels[k]] ?? d.labels[k];
      return h(
        "button",
        {
          type: "button",
          class: "thumb",
          "aria-label": `Sample ${index}: ${name}`,
          "aria-pressed": String(index === cur),
          tabindex: index === (cur ?? d.offset) ? 0 : -1,
          data: { index },
          onclick: () => pick(index),
        },
        c,
        h("span", { "aria-hidden": "true" }, String(name)),
      );
    });
    const grid = h(
      "div",
      {
        class: "thumbs",
        role: "group",
        "aria-label": `Samples ${d.offset} to ${d.offset + d.x.length - 1}; arrow keys move`,
      },
      buttons,
    );
    grid.addEventListener("keydown", (e) => {
      const at = buttons.indexOf(document.activeElement);
      const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 8, ArrowUp: -8 }[e.key];
      if (at < 0 || step === undefined) return;
      e.preventDefault();
      const next = buttons[Math.max(0, Math.min(buttons.length - 1, at + step))];
      for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
      next.focus();
    });
    const nav = (p, text, label) =>
      h(
        "button",
        {
          type: "button",
          class: "step-btn",
          "aria-label": label,
          disabled: p < 0 || p > last,
          onclick: () => showPage(i, p).catch(report),
        },
        text,
      );
    el.replaceChildren(
      h("h3", {}, `Browse ${i.n_samples} samples`),
      h(
        "div",
        { class: "row small" },
        nav(page - 1, "◀", "Previous page of samples"),
        h("span", {}, `${d.offset}–${d.offset + d.x.length - 1}`),
        nav(page + 1, "▶", "Next page of samples"),
      ),
      grid,
    );
  }

  function highlight() {
    if (scatter) return drawScatter();
    const cur = current();
    const buttons = [...el.querySelectorAll(".thumb")];
    if (cur != null && !buttons.some((b) => +b.dataset.index === cur)) return build(); // on another page
    for (const b of buttons) b.setAttribute("aria-pressed", String(+b.dataset.index === cur));
  }

  model.on((what) => {
    if (what === "network") build();
    if (what === "sample") highlight();
  });
  state.subscribe((changed) => {
    if (changed.has("input")) highlight();
  });
}
