// Line charts on a canvas from plain arrays: loss and accuracy per step, the gradient norm
// of every layer on a log scale. No fetch, no DOM but its canvas, no app state; a wrong
// shape is a thrown Error naming the entry at fault, never an odd drawing.
//
// Speed: past two points per pixel column a series is drawn as each column's min and max,
// so 100,000 steps cost what 600 do.

import { fmt } from "../core/format.js";
import { backedText, prepareCanvas } from "./surface.js";

const FONT = '10px ui-monospace, "DejaVu Sans Mono", monospace';
const INK = "#1f2933";
const MUTED = "#5f6b7a";
const GRID = "#eceae3";

function fail(message) {
  throw new Error(`line chart: ${message}`);
}

function validate(spec) {
  if (!spec || typeof spec !== "object") fail("needs a spec object");
  const { width, height, x, series } = spec;
  if (!(width > 0 && height > 0)) fail(`width and height must be positive, got ${width}×${height}`);
  if (!Array.isArray(x)) fail("x must be a list of numbers");
  for (let i = 0; i < x.length; i++) {
    if (typeof x[i] !== "number" || !Number.isFinite(x[i])) fail(`x[${i}] is not a finite number`);
    if (i > 0 && x[i] < x[i - 1]) fail(`x must not decrease (x[${i}] = ${x[i]} < x[${i - 1}])`);
  }
  if (!Array.isArray(series)) fail("series must be a list");
  series.forEach((s, n) => {
    if (!s || !Array.isArray(s.y)) fail(`series[${n}].y must be a list`);
    if (s.y.length !== x.length) fail(`series[${n}] (${s.name}) has ${s.y.length} values for ${x.length} x`);
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i];
      if (v !== null && (typeof v !== "number" || Number.isNaN(v)))
        fail(`series[${n}].y[${i}] is not a number or null`);
    }
    if (typeof s.color !== "string") fail(`series[${n}].color must be a CSS colour`);
    if (s.axis != null && s.axis !== "left" && s.axis !== "right")
      fail(`series[${n}].axis must be "left" or "right"`);
  });
  for (const side of ["left", "right"]) {
    const a = spec[side];
    if (a == null) continue;
    if (a.scale != null && a.scale !== "linear" && a.scale !== "log")
      fail(`${side}.scale must be "linear" or "log"`);
  }
  if (series.some((s) => s.axis === "right") && !spec.right)
    fail("a series uses the right axis but spec.right is missing");
}

// Round tick values: 1, 2 or 5 times a power of ten, about `count` of them.
export function niceTicks(lo, hi, count = 4) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

function range(spec, side, series) {
  const axis = spec[side] ?? {};
  const log = axis.scale === "log";
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    if ((s.axis ?? "left") !== side) continue;
    for (const v of s.y) {
      if (v == null || !Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (axis.min != null) lo = axis.min;
  if (axis.max != null) hi = axis.max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    return log ? { log, lo: 0, hi: 1, empty: true } : { log, lo: 0, hi: 1, empty: true };
  if (log) {
    const a = Math.floor(Math.log10(lo));
    let b = Math.ceil(Math.log10(hi));
    if (b <= a) b = a + 1;
    return { log, lo: a, hi: b };
  }
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= axis.min != null ? 0 : pad;
    hi += pad;
  }
  if (axis.max == null) hi += (hi - lo) * 0.05;
  return { log, lo, hi };
}

// Ticks of one axis, in the axis's own units (log10 of the value on a log axis).
function axisTicks(r) {
  if (!r.log) return niceTicks(r.lo, r.hi, 4).map((v) => ({ at: v, text: fmt(v, 2) }));
  const decades = r.hi - r.lo;
  const every = Math.max(1, Math.ceil(decades / 5));
  const out = [];
  for (let e = r.lo; e <= r.hi; e += every) out.push({ at: e, text: `1e${e}` });
  if (decades === 1) for (const m of [2, 5]) out.push({ at: r.lo + Math.log10(m), text: `${m}e${r.lo}` });
  return out;
}

export function drawLineChart(canvas, spec) {
  validate(spec);
  const t0 = performance.now();
  const { width, height, x, series } = spec;
  const ctx = prepareCanvas(canvas, spec, "#fff");
  ctx.font = FONT;

  const hasRight = series.some((s) => s.axis === "right");
  const labelled = series.filter((s) => s.label);
  const labelWidth = Math.max(0, ...labelled.map((s) => ctx.measureText(s.label).width));
  const m = { l: 42, r: Math.max(hasRight ? 38 : 10, labelled.length ? labelWidth + 12 : 0), t: 8, b: 18 };
  const pw = Math.max(10, width - m.l - m.r);
  const ph = Math.max(10, height - m.t - m.b);
  const left = range(spec, "left", series);
  const right = hasRight ? range(spec, "right", series) : null;
  const x0 = x.length ? x[0] : 0;
  let x1 = x.length ? x[x.length - 1] : 1;
  if (x1 <= x0) x1 = x0 + 1;
  const px = (v) => m.l + ((v - x0) / (x1 - x0)) * pw;
  const py = (r, v) => {
    const u = r.log ? Math.log10(v) : v;
    return m.t + ph - ((u - r.lo) / (r.hi - r.lo)) * ph;
  };
  const pyAxis = (r, u) => m.t + ph - ((u - r.lo) / (r.hi - r.lo)) * ph;

  // Grid and ticks.
  ctx.lineWidth = 1;
  ctx.strokeStyle = GRID;
  ctx.fillStyle = MUTED;
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  for (const t of x.length ? axisTicks(left) : []) {
    const y = Math.round(pyAxis(left, t.at)) + 0.5;
    if (y < m.t - 1 || y > m.t + ph + 1) continue;
    ctx.beginPath();
    ctx.moveTo(m.l, y);
    ctx.lineTo(m.l + pw, y);
    ctx.stroke();
    ctx.fillText(t.text, m.l - 4, y);
  }
  if (right && x.length) {
    ctx.textAlign = "left";
    for (const t of axisTicks(right)) {
      const y = pyAxis(right, t.at);
      if (y < m.t - 1 || y > m.t + ph + 1) continue;
      ctx.fillText(spec.right.format ? spec.right.format(t.at) : t.text, m.l + pw + 4, y);
    }
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of x.length ? niceTicks(x0, x1, Math.max(2, Math.floor(pw / 70))) : []) {
    if (!Number.isInteger(v)) continue;
    ctx.fillText(fmt(v, 6), px(v), m.t + ph + 4);
  }
  ctx.strokeStyle = "#cfcac0";
  ctx.strokeRect(m.l + 0.5, m.t + 0.5, pw - 1, ph - 1);

  if (x.length === 0) {
    ctx.fillStyle = MUTED;
    ctx.textBaseline = "middle";
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillText(spec.empty ?? "no data yet", m.l + pw / 2, m.t + ph / 2);
    return { points: 0, series: series.length, ms: performance.now() - t0 };
  }

  // Series, clipped to the plot.
  ctx.save();
  ctx.beginPath();
  ctx.rect(m.l, m.t, pw, ph);
  ctx.clip();
  const dense = x.length > pw * 2;
  for (const s of series) {
    const r = s.axis === "right" ? right : left;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width ?? 1.6;
    ctx.setLineDash(s.dash ?? []);
    ctx.lineJoin = "round";
    ctx.beginPath();
    let pen = false;
    const ok = (v) => v != null && Number.isFinite(v) && (!r.log || v > 0);
    if (!dense) {
      for (let i = 0; i < x.length; i++) {
        const v = s.y[i];
        if (!ok(v)) {
          pen = false;
          continue;
        }
        const X = px(x[i]);
        const Y = py(r, v);
        if (pen) ctx.lineTo(X, Y);
        else ctx.moveTo(X, Y);
        pen = true;
      }
      if (x.length === 1 && ok(s.y[0])) ctx.arc(px(x[0]), py(r, s.y[0]), 2, 0, 2 * Math.PI);
    } else {
      // One vertical stroke per pixel column, from its min to its max.
      let col = -1;
      let lo = 0;
      let hi = 0;
      const flush = () => {
        if (col < 0) return;
        if (pen) ctx.lineTo(col, lo);
        else ctx.moveTo(col, lo);
        ctx.lineTo(col, hi);
        pen = true;
      };
      for (let i = 0; i < x.length; i++) {
        const v = s.y[i];
        if (!ok(v)) {
          flush();
          col = -1;
          pen = false;
          continue;
        }
        const c = Math.round(px(x[i]));
        const Y = py(r, v);
        if (c !== col) {
          flush();
          col = c;
          lo = Y;
          hi = Y;
        } else {
          if (Y < lo) lo = Y;
          if (Y > hi) hi = Y;
        }
      }
      flush();
    }
    ctx.stroke();
  }
  ctx.restore();
  ctx.setLineDash([]);
  const labels = endLabels(ctx, labelled, { x, m, pw, ph, py, left, right });

  // Axis titles, small, inside the margins.
  ctx.fillStyle = INK;
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  if (spec.left?.label) backedText(ctx, spec.left.label, m.l + 4, m.t + 3);
  if (right && spec.right.label) {
    ctx.textAlign = "right";
    backedText(ctx, spec.right.label, m.l + pw - 4, m.t + 3);
  }
  return {
    points: x.length,
    series: series.length,
    left: left.log ? [10 ** left.lo, 10 ** left.hi] : [left.lo, left.hi],
    labels,
    ms: performance.now() - t0,
  };
}

// A label beside the last point of each labelled series, so no one has to match colours to
// a key: in ink (text needs more contrast than a line), after a tick in the line's colour,
// nudged apart vertically when lines end close together.
function endLabels(ctx, labelled, { x, m, pw, ph, py, left, right }) {
  const GAP = 11;
  const ends = [];
  for (const s of labelled) {
    const r = s.axis === "right" ? right : left;
    let i = s.y.length - 1;
    while (i >= 0 && !(s.y[i] != null && Number.isFinite(s.y[i]) && (!r.log || s.y[i] > 0))) i--;
    if (i < 0) continue;
    const at = Math.min(m.t + ph, Math.max(m.t, py(r, s.y[i])));
    ends.push({ text: s.label, color: s.color, at, y: at, step: x[i] });
  }
  ends.sort((a, b) => a.at - b.at);
  for (let i = 1; i < ends.length; i++) ends[i].y = Math.max(ends[i].y, ends[i - 1].y + GAP);
  // Past the bottom: the last label goes to the bottom and the others move up to clear it.
  for (let i = ends.length - 1; i >= 0; i--)
    ends[i].y = Math.min(ends[i].y, i === ends.length - 1 ? m.t + ph : ends[i + 1].y - GAP);
  const x0 = m.l + pw + 2;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.lineWidth = 2;
  for (const e of ends) {
    ctx.strokeStyle = e.color;
    ctx.beginPath();
    ctx.moveTo(x0, e.y);
    ctx.lineTo(x0 + 4, e.y);
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.fillText(e.text, x0 + 6, e.y);
  }
  return ends.map(({ text, color, y, step }) => ({ text, color, x: x0 + 6, y, step }));
}
