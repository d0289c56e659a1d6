// Where every neuron sits. A layer that fits is a column of circles; one that does not
// folds into a grid of cells: a square count (64, 784) as its image (8x8, 28x28),
// anything else as a block of columns. Pure arithmetic: no canvas, no DOM.

const MIN_COLUMN_SPACING = 9; // px between circle centres before a layer folds
const MAX_COLUMN_SPACING = 120;
const MIN_CELL = 3;
// Below each circle, its a and δ (labels.js): two 10 px lines that start clear of the
// selection ring and must end clear of the next circle's δ ring.
export const LABEL_ROOM = 38;
const MIN_LABELLED_R = 9;

export const MARGIN = { top: 40, bottom: 30, left: 28, right: 84 };

// 64 (8x8 digits), 784 (28x28 MNIST): a square layer this big is an image; draw it as one.
export const isImage = (n) => n >= 49 && Number.isInteger(Math.sqrt(n));

export function computeLayout(sizes, width, height) {
  const H = Math.max(40, height - MARGIN.top - MARGIN.bottom);
  const usableW = Math.max(80, width - MARGIN.left - MARGIN.right);
  const folded = sizes.map((n) => isImage(n) || H / n < MIN_COLUMN_SPACING);
  // Folded layers get wider slots: an image needs room, a column only its circles.
  const weights = folded.map((f) => (f ? 1.7 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let cursor = MARGIN.left;
  const layers = sizes.map((n, l) => {
    const slot = (usableW * weights[l]) / total;
    const cx = cursor + slot / 2;
    cursor += slot;
    return folded[l] ? gridLayer(n, cx, slot, H) : columnLayer(n, cx, H);
  });
  const costX = width - MARGIN.right / 2 - 6;
  const costY = MARGIN.top + H / 2;
  return { width, height, layers, cost: { x: costX, y: costY, r: 16 } };
}

function columnLayer(n, cx, H) {
  const spacing = Math.min(MAX_COLUMN_SPACING, H / n);
  const y0 = MARGIN.top + (H - spacing * n) / 2 + spacing / 2;
  const pos = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    pos[2 * j] = cx;
    pos[2 * j + 1] = y0 + j * spacing;
  }
  let r = Math.max(3, Math.min(19, spacing * 0.36));
  // A short canvas (a laptop with the training dock open) shrinks the circles rather than
  // write a neuron's numbers over the next one; too short even for that, no numbers.
  const labelled = spacing >= 2 * MIN_LABELLED_R + LABEL_ROOM;
  if (labelled) r = Math.min(r, (spacing - LABEL_ROOM) / 2);
  return {
    kind: "column",
    n,
    cx,
    pos,
    r,
    spacing,
    labelled,
    top: y0 - spacing / 2,
    bottom: y0 + spacing * (n - 0.5),
    halfWidth: r,
  };
}

function gridLayer(n, cx, slot, H) {
  const side = Math.round(Math.sqrt(n));
  let cols;
  let rows;
  if (side * side === n) {
    cols = rows = side; // an image: draw it as one
  } else {
    rows = Math.max(1, Math.floor(H / (MIN_CELL * 2.5)));
    cols = Math.ceil(n / rows);
    rows = Math.ceil(n / cols);
  }
  const cell = Math.max(MIN_CELL * 0.5, Math.min(H / rows, (slot * 0.78) / cols, 26));
  const w = cols * cell;
  const h = rows * cell;
  const x0 = cx - w / 2;
  const y0 = MARGIN.top + (H - h) / 2;
  const pos = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    const r = Math.floor(j / cols);
    const c = j % cols;
    pos[2 * j] = x0 + (c + 0.5) * cell;
    pos[2 * j + 1] = y0 + (r + 0.5) * cell;
  }
  return { kind: "grid", n, cx, pos, cell, cols, rows, x0, y0, top: y0, bottom: y0 + h, halfWidth: w / 2 };
}

// Edge endpoints of layer l (from layer l-1): [x1, y1, x2, y2] per edge, edge index j*nIn+k.
// An edge leaving (or entering) a folded grid starts (or ends) at the grid's border: the part
// under the cells would be hidden anyway, and not rasterising it halves the cost of 784 inputs.
export function edgeCoordinates(layout, l) {
  const from = layout.layers[l - 1];
  const to = layout.layers[l];
  const out = new Float32Array(4 * to.n * from.n);
  const xStart = from.kind === "grid" ? from.x0 + from.cols * from.cell : null;
  const xEnd = to.kind === "grid" ? to.x0 : null;
  let i = 0;
  for (let j = 0; j < to.n; j++) {
    const tx = to.pos[2 * j];
    const ty = to.pos[2 * j + 1];
    for (let k = 0; k < from.n; k++) {
      let x1 = from.pos[2 * k];
      let y1 = from.pos[2 * k + 1];
      let x2 = tx;
      let y2 = ty;
      const dx = x2 - x1;
      if (xStart !== null && dx > 0) {
        y1 += ((xStart - x1) / dx) * (y2 - y1);
        x1 = xStart;
      }
      if (xEnd !== null && x2 - x1 > 0) {
        y2 = y1 + ((xEnd - x1) / (x2 - x1)) * (y2 - y1);
        x2 = xEnd;
      }
      out[i++] = x1;
      out[i++] = y1;
      out[i++] = x2;
      out[i++] = y2;
    }
  }
  return out;
}

// Which neuron of a layer is at (x, y), or -1.
export function neuronAt(layer, x, y, slack = 3) {
  if (layer.kind === "grid") {
    const c = Math.floor((x - layer.x0) / layer.cell);
    const r = Math.floor((y - layer.y0) / layer.cell);
    if (c < 0 || r < 0 || c >= layer.cols || r >= layer.rows) return -1;
    const j = r * layer.cols + c;
    return j < layer.n ? j : -1;
  }
  if (Math.abs(x - layer.cx) > layer.r + slack) return -1;
  const j = Math.round((y - layer.pos[1]) / layer.spacing);
  if (j < 0 || j >= layer.n) return -1;
  const dy = y - layer.pos[2 * j + 1];
  const dx = x - layer.cx;
  return dx * dx + dy * dy <= (layer.r + slack) ** 2 ? j : -1;
}

export function segmentDistance2(px, py, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - x1) * dx + (py - y1) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const ex = x1 + t * dx - px;
  const ey = y1 + t * dy - py;
  return ex * ex + ey * ey;
}
