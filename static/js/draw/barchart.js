// Per-sample values as bars from a zero line, with their mean as a dashed line across:
// the batch view's "each sample's gradient, and the average SGD uses". Plain arrays in,
// pixels out; a wrong shape throws.

import { fmt } from "../core/format.js";
import { NEG, POS, rgb } from "./scales.js";
import { backedText, prepareCanvas } from "./surface.js";

const FONT = '10px ui-monospace, "DejaVu Sans Mono", monospace';

function fail(message) {
  throw new Error(`bar chart: ${message}`);
}

export function drawBars(canvas, spec) {
  if (!spec || typeof spec !== "object") fail("needs a spec object");
  const { width, height, values, mean } = spec;
  if (!(width > 0 && height > 0)) fail(`width and height must be positive, got ${width}×${height}`);
  if (!Array.isArray(values) || values.length === 0) fail("values must be a non-empty list of numbers");
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`values[${i}] is not a finite number`);
  });
  if (mean != null && !Number.isFinite(mean)) fail("mean must be a finite number");
  if (
    spec.highlight != null &&
    !(Number.isInteger(spec.highlight) && spec.highlight >= 0 && spec.highlight < values.length)
  )
    fail("highlight must be a bar index");
  const ctx = prepareCanvas(canvas, spec, "#fff");

  const m = { l: 6, r: 6, t: 14, b: 6 };
  const pw = width - m.l - m.r;
  const ph = height - m.t - m.b;
  let lo = Math.min(0, ...values, mean ?? 0);
  let hi = Math.max(0, ...values, mean ?? 0);
  if (hi - lo === 0) {
    hi = 1;
    lo = -1;
  }
  const pad = (hi - lo) * 0.06;
  lo -= lo < 0 ? pad : 0;
  hi += hi > 0 ? pad : 0;
  const y = (v) => m.t + ((hi - v) / (hi - lo)) * ph;
  const n = values.length;
  const slot = pw / n;
  const gap = slot > 4 ? Math.min(3, slot * 0.2) : 0;
  const zero = y(0);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const top = Math.min(zero, y(v));
    const h = Math.max(1, Math.abs(y(v) - zero));
    // Every bar in its full sign colour (3:1 on white); the highlighted one is outlined in ink
    // rather than the others faded below what a graphic needs.
    ctx.fillStyle = rgb(v < 0 ? NEG : POS);
    ctx.fillRect(m.l + i * slot + gap / 2, top, Math.max(0.8, slot - gap), h);
    if (spec.highlight === i) {
      ctx.strokeStyle = "#1f2933";
      ctx.lineWidth = 2;
      ctx.strokeRect(m.l + i * slot + gap / 2 - 1, top - 1, Math.max(0.8, slot - gap) + 2, h + 2);
    }
  }
  ctx.strokeStyle = "#9a968c";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(m.l, Math.round(zero) + 0.5);
  ctx.lineTo(m.l + pw, Math.round(zero) + 0.5);
  ctx.stroke();
  if (mean != null) {
    const ym = y(mean);
    ctx.strokeStyle = "#1f2933";
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 3]);
    ctx.beginPath();
    ctx.moveTo(m.l, ym);
    ctx.lineTo(m.l + pw, ym);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = FONT;
    ctx.fillStyle = "#1f2933";
    ctx.textAlign = "right";
    ctx.textBaseline = ym - m.t < 12 ? "top" : "bottom";
    backedText(ctx, `mean ${fmt(mean, 3)}`, m.l + pw, ym + (ym - m.t < 12 ? 2 : -2));
  }
  return { bars: n, range: [lo, hi] };
}
