// The lesson panel's DOM: the list of lessons, or one step (title, text with its live
// values, equation, figure, Back/Next). Built from plain data; the runner decides what.

import { fmt, tex } from "../core/format.js";
import { drawLineChart } from "../draw/linechart.js";
import { drawLogBars } from "../draw/logbars.js";
import { equation, h } from "../ui/dom.js";
import { texNode } from "../ui/tex.js";
import { resolve } from "./values.js";

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const COLOURS = ["#e66101", "#5e3c99", "#2c7bb6"];

export function lessonList(lessons, onOpen) {
  return h(
    "ol",
    { class: "lesson-list" },
    lessons.map((l) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: "lesson-open", data: { lesson: l.id }, onclick: () => onOpen(l.id) },
          h("b", {}, l.title),
          h("span", { class: "muted small" }, ` · ${l.steps} steps`),
        ),
        h("p", { class: "small" }, l.summary),
        h("p", { class: "muted small seed" }, `Follows: ${l.seed}`),
      ),
    ),
  );
}

// The step's values: name -> number (undefined while loading or if the path is wrong).
export function valuesOf(step, ctx) {
  const out = {};
  for (const [name, path] of Object.entries(step.values ?? {}))
    out[name] = ctx ? resolve(ctx, path) : undefined;
  return out;
}

function liveSpan(name, v, digits) {
  const ready = typeof v === "number" || v === null;
  return h(
    "span",
    { class: `lv${ready ? "" : " pending"}`, data: { key: name, value: ready ? (v ?? "null") : "" } },
    ready ? fmt(v, digits) : "…",
  );
}

// One paragraph: $TeX$ pieces through KaTeX, {name} pieces as live values, the rest text.
function paragraph(text, values, digits) {
  const parts = [];
  for (const [i, piece] of text.split("$").entries()) {
    if (i % 2 === 1) {
      parts.push(texNode(piece));
      continue;
    }
    let at = 0;
    for (const m of piece.matchAll(PLACEHOLDER)) {
      parts.push(piece.slice(at, m.index));
      parts.push(liveSpan(m[1], values[m[1]], digits));
      at = m.index + m[0].length;
    }
    parts.push(piece.slice(at));
  }
  return h("p", {}, ...parts);
}

// Display TeX with the live numbers put in (bracketed where they are multiplied).
export function equationTex(source, values, digits) {
  return source.replace(PLACEHOLDER, (whole, name, offset) => {
    if (!(name in values)) return whole; // a TeX group like {j}, not a placeholder
    const v = values[name];
    if (v === undefined) return "\\dots";
    const before = source.slice(0, offset);
    const after = source.slice(offset + whole.length);
    const alone = /=\s*$/.test(before) && /^\s*$/.test(after);
    return tex(v, digits, { paren: !alone });
  });
}

export function stepView(lesson, index, ctx, { onBack, onNext, onLeave }) {
  const step = lesson.steps[index];
  const digits = step.digits ?? 4;
  const values = valuesOf(step, ctx);
  const n = lesson.steps.length;
  const ready = ctx != null;
  const body = [
    h(
      "div",
      { class: "lesson-head" },
      h("span", { class: "muted small" }, lesson.title),
      h("span", { class: "muted small lesson-count" }, `Step ${index + 1} of ${n}`),
    ),
    h("h2", { class: "lesson-title", id: "lesson-step-title" }, step.title),
    h(
      "div",
      { class: "lesson-text", data: { ready: String(ready) } },
      step.text.split(/\n\s*\n/).map((p) => paragraph(p, values, digits)),
    ),
  ];
  if (step.equation) {
    const shown = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    body.push(
      equation(equationTex(step.equation, values, digits), {
        data: { values: JSON.stringify(shown), lessonEquation: "" },
      }),
    );
  }
  if (step.figure) body.push(h("div", { class: "lesson-figure", data: { figure: step.figure } }));
  body.push(
    h(
      "nav",
      { class: "lesson-nav", "aria-label": "Lesson steps" },
      h("button", { type: "button", id: "lesson-back", onclick: onBack, disabled: index === 0 }, "← Back"),
      h(
        "button",
        { type: "button", id: "lesson-leave", class: "link-button", onclick: onLeave },
        "Leave lesson",
      ),
      h(
        "button",
        { type: "button", id: "lesson-next", class: "primary", onclick: onNext, disabled: index === n - 1 },
        "Next →",
      ),
    ),
    h(
      "p",
      { class: "muted small" },
      "Keys: ← and → move between steps. Leave at any time and keep exploring.",
    ),
  );
  return body;
}

// Figures need their box laid out first: call after the panel is in the document.
export function drawFigure(container, step, ctx, lesson) {
  const box = container.querySelector(".lesson-figure");
  if (!box || !ctx) return;
  const width = Math.max(220, box.clientWidth);
  const canvas = h("canvas", { role: "img" });
  const key = h("div", { class: "figure-key small" });
  box.replaceChildren(canvas, key);
  if (step.figure === "curves") {
    const runs = step.action.networks.map((name) => ({ name, run: ctx.train[name] }));
    const { loss, at } = runs[0].run;
    const x = at ?? Array.from({ length: loss.length }, (_, i) => i + 1);
    const series = runs.map(({ name, run }, i) => ({
      name: lesson.networks[name].cost.replace("_", " "),
      y: run.loss,
      color: COLOURS[i],
    }));
    drawLineChart(canvas, { width, height: 170, x, series, left: { scale: "log", label: "C" } });
    canvas.setAttribute("aria-label", `Cost per training step, ${series.map((s) => s.name).join(" and ")}`);
    key.append(
      ...series.map((s) => h("span", { style: `color:${s.color}` }, `■ ${s.name} `)),
      "per step (log scale)",
    );
    box.dataset.series = JSON.stringify(runs.map(({ name, run }) => [name, run.loss[0], run.loss.at(-1)]));
    return;
  }
  // bars: |dC/dW^l| per layer, now (live backprop) or before/after a training run
  const L = ctx.net.sizes.length - 1;
  const labels = Array.from({ length: L }, (_, i) => `l=${i + 1}`);
  let series;
  if (step.action?.kind === "train") {
    const run = ctx.train[step.action.networks[0]];
    series = [
      { name: "first step", values: run.grad_norms[0], color: COLOURS[2] },
      { name: `step ${run.steps}`, values: run.grad_norms.at(-1), color: COLOURS[0] },
    ];
  } else {
    series = [{ name: "this sample", values: ctx.norms.slice(1), color: COLOURS[0] }];
  }
  drawLogBars(canvas, {
    width,
    height: 160,
    labels,
    series: series.map((s) => ({ ...s, values: s.values.map((v) => Math.max(v, 1e-300)) })),
  });
  canvas.setAttribute(
    "aria-label",
    `Size of dC/dW per layer: ${series[0].values.map((v, i) => `layer ${i + 1} ${fmt(v, 2)}`).join(", ")}`,
  );
  box.dataset.bars = JSON.stringify(series.map((s) => s.values));
  key.append(
    ...series.map((s) => h("span", { style: `color:${s.color}` }, `■ ${s.name} `)),
    "|∂C/∂w| per layer, log scale",
  );
}
