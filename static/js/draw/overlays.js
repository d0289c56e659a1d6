// Things drawn over the cached edges on every redraw: the selected or hovered edge, a
// hovered path with its rate factors, and selection rings. Plain functions of the renderer.

import { fmt } from "../core/format.js";
import { pill } from "./labels.js";
import * as S from "./scales.js";

export function edgeHighlight(r, { layer, j, k }, strength) {
  const c = r.coords[layer];
  if (!c || j >= r.model.sizes[layer] || k >= r.model.sizes[layer - 1]) return;
  const e = 4 * (j * r.model.sizes[layer - 1] + k);
  const { ctx } = r;
  ctx.lineCap = "round";
  ctx.strokeStyle = `rgba(255,255,255,${0.9 * strength})`;
  ctx.lineWidth = 7;
  segment(ctx, c[e], c[e + 1], c[e + 2], c[e + 3]);
  ctx.strokeStyle = S.rgb(S.INK, strength);
  ctx.lineWidth = 3;
  segment(ctx, c[e], c[e + 1], c[e + 2], c[e + 3]);
  ctx.lineCap = "butt";
}

function segment(ctx, x1, y1, x2, y2) {
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}

// A path from the paths panel: neurons[i] in layer start+i, then on to the cost, with
// each segment's rate factor written on it (aligned from the cost end: a bias's own
// factor has no segment and sits by its neuron).
export function pathOverlay(r, { start, neurons, from, factors }) {
  const pts = [];
  if (from != null) pts.push(r.neuronPoint(start - 1, from));
  for (const [i, j] of neurons.entries()) pts.push(r.neuronPoint(start + i, j));
  pts.push({ x: r.layout.cost.x - r.layout.cost.r, y: r.layout.cost.y });
  const { ctx } = r;
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  for (const [style, width] of [
    ["rgba(255,255,255,0.95)", 9],
    [S.rgb(S.PATH), 4],
  ]) {
    ctx.strokeStyle = style;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(pts[0].x, pts[0].y);
    for (const p of pts.slice(1)) ctx.lineTo(p.x, p.y);
    ctx.stroke();
  }
  ctx.lineJoin = "miter";
  ctx.lineCap = "butt";
  if (!factors) return;
  const segments = pts.length - 1;
  const extra = factors.length - segments;
  factors.forEach((f, i) => {
    const s = i - extra;
    const p =
      s < 0
        ? { x: pts[0].x, y: pts[0].y - 30 }
        : { x: (pts[s].x + pts[s + 1].x) / 2, y: (pts[s].y + pts[s + 1].y) / 2 };
    pill(ctx, fmt(f, 3), p.x, p.y);
  });
}

export function ring(r, l, j, strength, dashed = false) {
  const layer = r.layout?.layers[l];
  if (!layer || j >= layer.n) return;
  const { ctx } = r;
  const { x, y } = r.neuronPoint(l, j);
  const radius = layer.kind === "grid" ? layer.cell * 0.9 + 2 : layer.r + 6;
  ctx.setLineDash(dashed ? [4, 3] : []);
  ctx.strokeStyle = `rgba(255,255,255,${strength})`;
  ctx.lineWidth = 5;
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.strokeStyle = S.rgb(S.INK, strength);
  ctx.lineWidth = 2.5;
  ctx.stroke();
  ctx.setLineDash([]);
}
