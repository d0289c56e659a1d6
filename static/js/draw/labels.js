// Text on the diagram: layer titles, the numbers beside small layers, targets y and the
// cost node. Everything written here is also in the table view.

import { fmt } from "../core/format.js";
import * as S from "./scales.js";

const FONT = '"Inter", "Segoe UI", system-ui, -apple-system, sans-serif';

function text(
  ctx,
  s,
  x,
  y,
  { size = 11, weight = 400, colour = S.rgb(S.INK), align = "center", halo = true } = {},
) {
  ctx.font = `${weight} ${size}px ${FONT}`;
  ctx.textAlign = align;
  ctx.textBaseline = "middle";
  if (halo) {
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(250,249,246,0.92)";
    ctx.strokeText(s, x, y);
  }
  ctx.fillStyle = colour;
  ctx.fillText(s, x, y);
}

// Returns the boxes of the neurons' number labels (tests check they clear every circle).
export function drawLabels(ctx, layout, model, { step, nudge }) {
  const L = model.sizes.length - 1;
  const boxes = [];
  const box = (l, j, s, x, y) => {
    const w = ctx.measureText(s).width + 3; // with the halo
    boxes.push({ l, j, left: x - w / 2, right: x + w / 2, top: y - 6.5, bottom: y + 6.5 });
  };
  layout.layers.forEach((layer, l) => {
    const role = l === 0 ? "input" : model.activations[l - 1];
    const shape =
      layer.kind === "grid" && layer.cols === layer.rows ? ` · ${layer.cols}×${layer.rows} image` : "";
    text(ctx, `layer ${l}${l === L ? " (output)" : ""}`, layer.cx, 12, {
      size: 12,
      weight: 600,
      halo: false,
    });
    text(ctx, `${role} · ${model.sizes[l]}${shape}`, layer.cx, 27, {
      size: 11,
      colour: "rgb(90,100,112)",
      halo: false,
    });
    if (layer.kind !== "column" || !layer.labelled) return;
    const aShown = !step || step.aVisible[l];
    const deltas = l > 0 && (!step || step.deltaVisible[l]) ? model.delta?.[l - 1] : null;
    for (let j = 0; j < layer.n; j++) {
      const x = layer.pos[2 * j];
      const y = layer.pos[2 * j + 1] + layer.r + 13; // clear of the selection ring
      if (nudge) {
        const d = nudge.deltaA[l]?.[j];
        if (d != null) {
          text(ctx, `Δa ${fmt(d, 3)}`, x, y, {
            size: 10,
            colour: S.rgb(d < 0 ? S.NEG_TEXT : d > 0 ? S.POS_TEXT : S.INK),
          });
          box(l, j, `Δa ${fmt(d, 3)}`, x, y);
        }
        continue;
      }
      if (aShown && model.a[l]) {
        text(ctx, `a ${fmt(model.a[l][j], 3)}`, x, y, { size: 10 });
        box(l, j, `a ${fmt(model.a[l][j], 3)}`, x, y);
      }
      const d = deltas?.[j];
      if (d != null) {
        text(ctx, `δ ${fmt(d, 3)}`, x, y + 12, {
          size: 10,
          colour: S.rgb(d < 0 ? S.NEG_TEXT : d > 0 ? S.POS_TEXT : S.INK),
        });
        box(l, j, `δ ${fmt(d, 3)}`, x, y + 12);
      }
    }
  });
  // Targets beside the outputs, where the cost compares them; a classifier's output also
  // carries its class's name, in front of its target (one line, so dense layers stay clear).
  const out = layout.layers[L];
  if (model.y && out.kind === "column" && out.spacing >= 18) {
    for (let m = 0; m < out.n; m++) {
      let x = out.pos[2 * m] + out.r + 6;
      const y = out.pos[2 * m + 1] - 9;
      if (model.classNames) {
        const name = String(model.classNames[m]);
        const short = name.length > 14 ? `${name.slice(0, 13)}…` : name;
        // Room for two lines: the name above its target; else side by side (digits: "7 y = 1").
        const stacked = out.spacing >= 40;
        text(ctx, short, x, stacked ? y - 12 : y, { size: 10, weight: 700, align: "left" });
        if (!stacked) x += ctx.measureText(short).width + 5;
      }
      text(ctx, `y = ${fmt(model.y[m], 3)}`, x, y, { size: 10, align: "left", colour: "rgb(120,90,0)" });
    }
  }
  return boxes;
}

export function drawCost(ctx, layout, model, highlighted, showValue = true) {
  const { x, y, r } = layout.cost;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = highlighted ? "rgb(255,236,204)" : "rgb(255,248,235)";
  ctx.fill();
  ctx.strokeStyle = S.rgb(S.INK, 0.8);
  ctx.lineWidth = 1.5;
  ctx.stroke();
  text(ctx, "C", x, y, { size: 14, weight: 700, halo: false });
  if (showValue && model.cost !== undefined) text(ctx, fmt(model.cost, 4), x, y + r + 11, { size: 11 });
}

// A rate factor on a path: a small rounded label that stays readable over edges.
export function pill(ctx, s, x, y) {
  ctx.font = `600 10.5px ${FONT}`;
  const w = ctx.measureText(s).width + 10;
  ctx.fillStyle = "rgba(255,255,255,0.95)";
  ctx.strokeStyle = S.rgb(S.PATH);
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.roundRect(x - w / 2, y - 8, w, 16, 8);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = S.rgb(S.PATH);
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(s, x, y + 0.5);
}
