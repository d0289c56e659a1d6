// The network diagram. Takes plain arrays, refuses wrong shapes with a thrown Error, and
// touches nothing but its own canvas: no fetch, no other DOM, no app state.
//
// Speed: edges are sorted once per model into colour/width buckets (edges.js) and drawn
// into a cached bitmap, so 784-30-10 (23,820 edges) fits in a frame and a hover is a blit.

import { bucketize, drawLayerEdges, RANK } from "./edges.js";
import { drawCost, drawLabels } from "./labels.js";
import { computeLayout, edgeCoordinates, neuronAt, segmentDistance2 } from "./layout.js";
import { edgeHighlight, pathOverlay, ring } from "./overlays.js";
import { pixelOf } from "./raster.js";
import * as S from "./scales.js";
import { fail, validateModel } from "./validate.js";

const BAND = [255, 214, 102];
const BAND_ALPHA = 0.28;

export class NetworkRenderer {
  constructor(canvas) {
    if (!(canvas instanceof HTMLCanvasElement)) fail("needs a <canvas>");
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d", { alpha: false });
    this.model = null;
    this.overlay = {};
    this.cssW = 0;
    this.cssH = 0;
    this.dpr = 1;
    this.layout = null;
    this.lastDrawMs = 0;
  }

  setModel(model) {
    validateModel(model);
    this.model = model;
    this.version = (this.version ?? 0) + 1;
    let maxAbs = 0;
    for (const w of model.edges)
      for (const row of w) for (const v of row) if (v != null && Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    this.edgeScale = S.logScale(maxAbs);
    let maxDelta = 0;
    for (const d of model.delta ?? [])
      for (const v of d ?? []) if (v != null && Math.abs(v) > maxDelta) maxDelta = Math.abs(v);
    this.deltaScale = S.logScale(maxDelta);
    this.ranges = model.a.map((v, l) =>
      S.activationRange(l === 0 ? "input" : model.activations[l - 1], v ?? []),
    );
    this._bucketize();
  }

  setOverlay(patch) {
    this.overlay = { ...this.overlay, ...patch };
  }

  resize(cssW, cssH, dpr = window.devicePixelRatio || 1) {
    this.cssW = cssW;
    this.cssH = cssH;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(cssW * dpr));
    this.canvas.height = Math.max(1, Math.round(cssH * dpr));
    this.canvas.style.width = `${cssW}px`;
    this.canvas.style.height = `${cssH}px`;
    this.layout = null;
    this._cacheKey = null;
    this._ensureLayout();
  }

  _ensureLayout() {
    if (this.layout || !this.model || !this.cssW) return;
    this.layout = computeLayout(this.model.sizes, this.cssW, this.cssH);
    this.coords = [null];
    for (let l = 1; l < this.model.sizes.length; l++) this.coords.push(edgeCoordinates(this.layout, l));
  }

  // Sort every edge into its bucket once; draw() then just walks the lists.
  _bucketize() {
    const { sizes, edges } = this.model;
    if (this._sizesKey !== sizes.join(",")) {
      this._sizesKey = sizes.join(",");
      this.layout = null;
    }
    ({ buckets: this.buckets, levels: this.levels } = bucketize(sizes, edges, this.edgeScale));
  }

  // The background, focus band and every edge change only with the data, the size or the
  // stepper; they are rendered once into an offscreen bitmap and copied on each redraw, so
  // hovering, selecting and path overlays cost a blit, not 23,820 strokes.
  draw({ full = false } = {}) {
    const t0 = performance.now();
    const { ctx } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (!this.model || !this.cssW) {
      ctx.fillStyle = S.rgb(S.PAPER);
      ctx.fillRect(0, 0, this.cssW, this.cssH);
      return 0;
    }
    this._ensureLayout();
    const o = this.overlay;
    const step = o.step ?? null;
    const key = [
      this.version,
      this.canvas.width,
      this.canvas.height,
      step ? `${step.edges.join()}|${step.focus}|${step.deltaVisible.join()}` : "-",
    ].join("/");
    if (full || key !== this._cacheKey) this._renderBase(step, key);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this._cache, 0, 0);
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    if (o.hover?.kind === "weight") edgeHighlight(this, o.hover, 0.45);
    if (o.selection?.kind === "weight") edgeHighlight(this, o.selection, 1);
    if (o.path) pathOverlay(this, o.path);
    for (let l = 0; l < this.model.sizes.length; l++) this._neurons(l, step);
    if (o.hover && o.hover.kind !== "weight") ring(this, o.hover.layer, o.hover.j, 0.5);
    if (o.selection) {
      const { layer, j, kind } = o.selection;
      ring(this, layer, j, 1, kind === "bias");
      if (kind === "weight") ring(this, layer - 1, o.selection.k, 0.6);
    }
    this.labelBoxes = drawLabels(ctx, this.layout, this.model, { step, nudge: o.nudge, ranges: this.ranges });
    drawCost(
      ctx,
      this.layout,
      this.model,
      o.path != null,
      !step || step.aVisible[this.model.sizes.length - 1],
    );
    this.lastDrawMs = performance.now() - t0;
    return this.lastDrawMs;
  }

  _renderBase(step, key) {
    const w = this.canvas.width;
    const h = this.canvas.height;
    if (!this._cache || this._cache.width !== w || this._cache.height !== h) {
      this._cache = new OffscreenCanvas(w, h);
      this._cacheCtx = this._cache.getContext("2d", { alpha: false });
    }
    const ctx = this._cacheCtx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = S.rgb(S.PAPER);
    ctx.fillRect(0, 0, this.cssW, this.cssH);
    if (step?.focus != null) this._focusBand(ctx, step.focus);
    for (let l = 1; l < this.model.sizes.length; l++)
      this._edges(ctx, l, step?.edges?.[l] ?? "value", step?.focus);
    this._costEdges(ctx, step ? step.deltaVisible[this.model.sizes.length - 1] : true);
    this._cacheKey = key;
  }

  // The stepper's focus: a pale band behind layer l (CSS px).
  _bandRect(l) {
    const layer = this.layout.layers[l];
    const pad = 14;
    return {
      x: layer.cx - layer.halfWidth - pad,
      y: layer.top - pad,
      w: 2 * (layer.halfWidth + pad),
      h: layer.bottom - layer.top + 2 * pad,
    };
  }

  _focusBand(ctx, l) {
    const { x, y, w, h } = this._bandRect(l);
    ctx.fillStyle = S.rgb(BAND, BAND_ALPHA);
    ctx.fillRect(x, y, w, h);
  }

  _focusBandPixels(px, rect, l) {
    const { x, y, w, h } = this._bandRect(l);
    const d = this.dpr;
    const x0 = Math.max(0, Math.round(x * d) - rect.left);
    const x1 = Math.min(rect.width, Math.round((x + w) * d) - rect.left);
    const y0 = Math.max(0, Math.round(y * d) - rect.top);
    const y1 = Math.min(rect.height, Math.round((y + h) * d) - rect.top);
    const colour = pixelOf(S.mix(S.PAPER, BAND, BAND_ALPHA));
    for (let row = y0; row < y1 && x1 > x0; row++)
      px.fill(colour, row * rect.width + x0, row * rect.width + x1);
  }

  _edges(ctx, l, mode, focus) {
    const band = focus != null ? (px, rect) => this._focusBandPixels(px, rect, focus) : null;
    drawLayerEdges(ctx, this.coords[l], this.buckets[l], mode, {
      dpr: this.dpr,
      width: this.canvas.width,
      height: this.canvas.height,
      band,
    });
  }

  // Output neurons to the cost: the last rate factor of every path, dC/da^L_m.
  _costEdges(ctx, visible) {
    const { layout, model } = this;
    const out = layout.layers[layout.layers.length - 1];
    const { x, y, r } = layout.cost;
    const scale = S.logScale(Math.max(0, ...(model.dCda ?? []).map((v) => Math.abs(v ?? 0))));
    for (let m = 0; m < out.n; m++) {
      const v = visible ? model.dCda?.[m] : null;
      const level = v == null ? -1 : scale.level(v);
      const style = S.levelStyle(level, S.densityOf(out.n * 4));
      ctx.strokeStyle =
        level < 0 ? S.rgb(S.INK, 0.15) : S.rgb(S.levelRgb(v < 0 ? S.NEG : S.POS, level), style.alpha);
      ctx.lineWidth = style.width;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(out.pos[2 * m], out.pos[2 * m + 1]);
      ctx.lineTo(x - r, y);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }

  // [r, g, b] of neuron j of layer l: its activation, or its change while nudging.
  _neuronRgb(l, j, step) {
    const { model, overlay } = this;
    if (overlay.nudge) return S.divergingRgb(overlay.nudge.deltaA[l]?.[j], overlay.nudge.max);
    if (step && !step.aVisible[l]) return S.PAPER;
    return S.activationRgb(model.a[l]?.[j], this.ranges[l]);
  }

  // An image layer as one bitmap of cols x rows pixels, scaled up unsmoothed: one
  // drawImage instead of hundreds of fills on every hover.
  _gridImage(l, layer, step) {
    const { cols, rows } = layer;
    if (!this._grid || this._grid.width !== cols || this._grid.height !== rows) {
      this._grid = new OffscreenCanvas(cols, rows);
      this._gridCtx = this._grid.getContext("2d");
    }
    const image = new ImageData(cols, rows);
    const px = new Uint32Array(image.data.buffer);
    px.fill(pixelOf(S.PAPER));
    for (let j = 0; j < layer.n; j++) px[j] = pixelOf(this._neuronRgb(l, j, step));
    this._gridCtx.putImageData(image, 0, 0);
    return this._grid;
  }

  _neurons(l, step) {
    const layer = this.layout.layers[l];
    const { ctx } = this;
    if (layer.kind === "grid") {
      const { cell } = layer;
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(
        this._gridImage(l, layer, step),
        layer.x0,
        layer.y0,
        layer.cols * cell,
        layer.rows * cell,
      );
      ctx.imageSmoothingEnabled = true;
      ctx.strokeStyle = S.rgb(S.INK, 0.5);
      ctx.lineWidth = 1;
      ctx.strokeRect(layer.x0, layer.y0, layer.cols * cell, layer.rows * cell);
      return;
    }
    const delta = l > 0 && (!step || step.deltaVisible[l]) ? this.model.delta?.[l - 1] : null;
    for (let j = 0; j < layer.n; j++) {
      const x = layer.pos[2 * j];
      const y = layer.pos[2 * j + 1];
      ctx.beginPath();
      ctx.arc(x, y, layer.r, 0, 2 * Math.PI);
      ctx.fillStyle = S.rgb(this._neuronRgb(l, j, step));
      ctx.fill();
      ctx.strokeStyle = S.rgb(S.INK, 0.55);
      ctx.lineWidth = 1;
      ctx.stroke();
      const d = delta?.[j];
      if (d != null && d !== 0) {
        // The error term as a ring: its colour is the sign of delta, its width |delta| (log).
        const level = this.deltaScale.level(d);
        ctx.beginPath();
        ctx.arc(x, y, layer.r + 2.5, 0, 2 * Math.PI);
        // Opaque from the weakest band up (a graphic needs 3:1); the width carries |delta|.
        ctx.strokeStyle =
          level < 0 ? S.rgb(d < 0 ? S.NEG : S.POS, 0.3) : S.rgb(S.levelRgb(d < 0 ? S.NEG : S.POS, level));
        ctx.lineWidth = level < 0 ? 1 : 1.2 + 2.8 * ((level + 1) / S.LEVELS);
        ctx.stroke();
      }
    }
  }

  // ---- geometry for hit-testing, keyboard focus and tests --------------------------
  neuronPoint(l, j) {
    this._ensureLayout();
    const layer = this.layout.layers[l];
    return { x: layer.pos[2 * j], y: layer.pos[2 * j + 1] };
  }

  hitTest(x, y) {
    this._ensureLayout();
    if (!this.layout) return null;
    const { layers, cost } = this.layout;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      if (Math.abs(x - layer.cx) > layer.halfWidth + 4) continue;
      const j = neuronAt(layer, x, y);
      if (j >= 0) return { kind: "neuron", layer: l, j };
    }
    if ((x - cost.x) ** 2 + (y - cost.y) ** 2 <= cost.r ** 2) return { kind: "cost" };
    let best = null;
    let bestD = 5; // px
    let bestRank = -2;
    for (let l = 1; l < layers.length; l++) {
      const x1 = layers[l - 1].cx;
      const x2 = layers[l].cx;
      if (x < Math.min(x1, x2) - layers[l - 1].halfWidth || x > Math.max(x1, x2)) continue;
      const c = this.coords[l];
      const ids = this.levels[l];
      for (let e = 0; e < c.length / 4; e++) {
        const d = Math.sqrt(segmentDistance2(x, y, c[4 * e], c[4 * e + 1], c[4 * e + 2], c[4 * e + 3]));
        if (d > 5) continue;
        // Where edges cross, the one drawn on top (stronger) wins, as the eye expects.
        const rank = RANK[ids[e]];
        if (d < bestD - 0.75 || (d <= bestD + 0.75 && rank > bestRank)) {
          bestD = d;
          bestRank = rank;
          const nIn = this.model.sizes[l - 1];
          best = { kind: "weight", layer: l, j: Math.floor(e / nIn), k: e % nIn };
        }
      }
    }
    return best;
  }

  // A point on edge (l, j, k) where hitTest answers that same edge: tests click it.
  // snap moves a point to where a real click would land (whole client pixels).
  edgePoint(l, j, k, snap = (p) => p) {
    this._ensureLayout();
    const c = this.coords[l];
    const e = 4 * (j * this.model.sizes[l - 1] + k);
    for (const t of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9]) {
      const { x, y } = snap({ x: c[e] + t * (c[e + 2] - c[e]), y: c[e + 1] + t * (c[e + 3] - c[e + 1]) });
      const hit = this.hitTest(x, y);
      if (hit?.kind === "weight" && hit.layer === l && hit.j === j && hit.k === k) return { x, y };
    }
    return null;
  }

  scaleInfo() {
    return {
      edges: this.edgeScale,
      edgeKind: this.model?.edgeKind,
      delta: this.deltaScale,
      ranges: this.ranges,
      nudge: this.overlay.nudge,
    };
  }
}
