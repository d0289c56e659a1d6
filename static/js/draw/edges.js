// Edges of the diagram: sorted into colour buckets by |dC/dw| (log scale) and sign, then
// drawn bucket by bucket, weakest first, so the strongest edges sit on top. Plain arrays
// in, pixels out.

import { boundsOf, pixelOf, rasterLines } from "./raster.js";
import * as S from "./scales.js";

// Layers with more edges than this are drawn as opaque one-pixel lines (raster.js).
const DENSE = 4000;

const BUCKETS = 1 + 2 * S.LEVELS; // faint, then negative levels, then positive levels
const bucketOf = (v, scale) => {
  const level = scale.level(v);
  return level < 0 ? 0 : 1 + (v < 0 ? 0 : S.LEVELS) + level;
};

// Drawing order of each bucket (faint first, then level by level, negative before positive).
export const RANK = Array.from({ length: BUCKETS }, (_, b) =>
  b === 0 ? -1 : 2 * ((b - 1) % S.LEVELS) + (b - 1 >= S.LEVELS ? 1 : 0),
);

// Buckets in drawing order: faint first, then weak to strong (negative before positive at
// each level), so the strongest edges sit on top.
const ORDER = Array.from({ length: BUCKETS }, (_, b) => b).sort((a, b) => RANK[a] - RANK[b]);
function bucketInfo(b) {
  if (b === 0) return { level: -1, base: S.INK };
  const positive = b - 1 >= S.LEVELS;
  return { level: (b - 1) % S.LEVELS, base: positive ? S.POS : S.NEG };
}

// Before the gradient exists the edges are wiring only; during a pass the ones in use darken.
function wiringStyle(mode, density) {
  const active = mode === "forward" || mode === "backward";
  return {
    alpha: active ? 0.45 * Math.max(density, 0.3) : 0.08,
    width: active ? 1.2 * Math.max(density, 0.4) : 0.6,
  };
}

// One path and one stroke for many edges: `list` indexes coords, or null for all of them.
function strokeEdges(ctx, c, list, n) {
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const e = 4 * (list ? list[i] : i);
    ctx.moveTo(c[e], c[e + 1]);
    ctx.lineTo(c[e + 2], c[e + 3]);
  }
  ctx.stroke();
}

// Sort every edge of every layer into its bucket once per model; a redraw then just walks
// the lists. `levels[l][j * n_(l-1) + k]` is the bucket of w^l_jk (for hit-testing).
export function bucketize(sizes, edges, scale) {
  const buckets = [null];
  const levels = [null];
  for (let l = 1; l < sizes.length; l++) {
    const w = edges[l - 1];
    const nIn = sizes[l - 1];
    const total = sizes[l] * nIn;
    const ids = new Uint8Array(total);
    const counts = new Int32Array(BUCKETS);
    for (let j = 0; j < sizes[l]; j++) {
      const row = w[j];
      for (let k = 0; k < nIn; k++) {
        const b = row[k] == null ? 0 : bucketOf(row[k], scale);
        ids[j * nIn + k] = b;
        counts[b]++;
      }
    }
    const lists = Array.from(counts, (c) => new Int32Array(c));
    const fill = new Int32Array(BUCKETS);
    for (let e = 0; e < total; e++) lists[ids[e]][fill[ids[e]]++] = e;
    buckets.push(lists);
    levels.push(ids);
  }
  return { buckets, levels };
}

// One layer's edges: `c` their CSS-px coordinates, `lists` their buckets, `mode` "value"
// (coloured by bucket) or a stepper phase (wiring only). `band(px, rect)` paints the
// stepper's focus band under dense layers, which are drawn as pixels.
export function drawLayerEdges(ctx, c, lists, mode, { dpr, width, height, band }) {
  const total = c.length / 4;
  if (total > DENSE) return denseEdges(ctx, c, lists, mode, { dpr, width, height, band });
  const density = S.densityOf(total);
  if (mode !== "value") {
    const { alpha, width: lineWidth } = wiringStyle(mode, density);
    ctx.strokeStyle = S.rgb(S.INK, alpha);
    ctx.lineWidth = lineWidth;
    strokeEdges(ctx, c, null, total);
    return;
  }
  for (const b of ORDER) {
    if (lists[b].length === 0) continue;
    const { level, base } = bucketInfo(b);
    const style = S.levelStyle(level, density);
    ctx.strokeStyle = S.rgb(S.levelRgb(base, level), style.alpha);
    ctx.lineWidth = style.width;
    strokeEdges(ctx, c, lists[b], lists[b].length);
  }
}

// Thousands of edges: the colour of each bucket pre-mixed with the paper and written
// straight into the pixels under the layer, a few ms where strokes took ~25. The pixels
// start as paper (and focus band), not read back: getImageData would stall on the GPU.
function denseEdges(ctx, c, lists, mode, { dpr, width, height, band }) {
  const density = S.densityOf(c.length / 4);
  const rect = boundsOf(c, dpr, width, height);
  if (rect.width === 0 || rect.height === 0) return;
  const image = new ImageData(rect.width, rect.height);
  const px = new Uint32Array(image.data.buffer);
  px.fill(pixelOf(S.PAPER));
  band?.(px, rect);
  if (mode !== "value") {
    const all = Int32Array.from({ length: c.length / 4 }, (_, e) => e);
    rasterLines(px, rect, c, all, pixelOf(S.mix(S.PAPER, S.INK, wiringStyle(mode, density).alpha)), dpr);
  } else {
    for (const b of ORDER) {
      if (lists[b].length === 0) continue;
      const { level, base } = bucketInfo(b);
      const { alpha } = S.levelStyle(level, density);
      rasterLines(px, rect, c, lists[b], pixelOf(S.mix(S.PAPER, S.levelRgb(base, level), alpha)), dpr);
    }
  }
  ctx.putImageData(image, rect.left, rect.top);
}
