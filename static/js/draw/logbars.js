// Positive values as bars on a log scale, one group per label (a layer), one bar per series:
// gradient sizes that differ by orders of magnitude stay readable side by side.
// Plain arrays in, pixels out; a wrong shape throws.

import { fmt } from "../core/format.js";
import { backedText, prepareCanvas } from "./surface.js";

const FONT = '10px ui-monospace, "DejaVu Sans Mono", monospace';
const GRID = "#e4e7eb";
const INK = "#52606d";

function fail(message) {
  throw new Error(`log bars: ${message}`);
}

export function drawLogBars(canvas, spec) {
  if (!spec || typeof spec !== "object") fail("needs a spec object");
  const { width, height, labels, series } = spec;
  if (!(width > 0 && height > 0)) fail(`width and height must be positive, got ${width}×${height}`);
  if (!Array.isArray(labels) || labels.length === 0) fail("labels must be a non-empty list");
  if (!Array.isArray(series) || series.length === 0) fail("series must be a non-empty list");
  series.forEach((s, n) => {
    if (!Array.isArray(s?.values) || s.values.length !== labels.length)
      fail(`series[${n}].values must have one value per label (${labels.length})`);
    s.values.forEach((v, i) => {
      if (!(typeof v === "number" && Number.isFinite(v) && v > 0))
        fail(`series[${n}].values[${i}] must be > 0`);
    });
    if (typeof s.color !== "string") fail(`series[${n}].color must be a CSS colour`);
  });
  const ctx = prepareCanvas(canvas, spec, "#fff");
  ctx.font = FONT;
  const all = series.flatMap((s) => s.values);
  const lo = Math.floor(Math.log10(Math.min(...all)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...all))));
  const m = { l: 40, r: 8, t: 10, b: 18 };
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  const py = (v) => m.t + ph - ((Math.log10(v) - lo) / (hi - lo)) * ph;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const every = Math.max(1, Math.ceil((hi - lo) / 6));
  for (let e = lo; e <= hi; e += every) {
    const y = Math.round(py(10 ** e)) + 0.5;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(m.l, y);
    ctx.lineTo(m.l + pw, y);
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.fillText(`1e${e}`, m.l - 4, y);
  }
  const group = pw / labels.length;
  const bw = Math.max(3, Math.min(28, (group * 0.7) / series.length));
  ctx.textAlign = "center";
  labels.forEach((label, i) => {
    const x0 = m.l + group * i + (group - bw * series.length) / 2;
    series.forEach((s, n) => {
      const top = py(s.values[i]);
      ctx.fillStyle = s.color;
      ctx.fillRect(x0 + n * bw, top, bw - 1, m.t + ph - top);
    });
    ctx.fillStyle = INK;
    ctx.textBaseline = "top";
    ctx.fillText(label, m.l + group * (i + 0.5), m.t + ph + 4);
  });
  if (spec.note) {
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    backedText(ctx, spec.note, m.l + 4, m.t);
  }
  return { lo, hi, bars: labels.length * series.length, max: fmt(Math.max(...all), 3) };
}
