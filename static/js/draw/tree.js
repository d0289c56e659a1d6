// The dependency tree as SVG: rows of labelled boxes (the target on top, the cost at the
// bottom), edges with their local derivative, and folded boxes saying what they hide.
// Plain arrays in, an <svg> out; no fetch, no app state. A wrong shape throws.

const NS = "http://www.w3.org/2000/svg";
const BOX = { w: 92, h: 34 };
const SUM_H = 14; // a branching node's extra line: the sum over its branches
const GAP = 8; // least room between two boxes of a row
const MIN_W = 56; // still room for "z⁽ᴸ⁻¹⁾₁₂" and "−0.01234"
const ROW = 74;
const MAX_EDGE_LABELS = 6; // between two rows; more and the numbers would sit on each other

function fail(message) {
  throw new Error(`tree: ${message}`);
}

const isNum = (v) => v === null || (typeof v === "number" && Number.isFinite(v));

function validate(spec) {
  if (!spec || typeof spec !== "object") fail("needs a spec object");
  const { width, nodes, edges, folds = [] } = spec;
  if (!(width > 0)) fail(`width must be positive, got ${width}`);
  if (!Array.isArray(nodes) || nodes.length === 0) fail("nodes must be a non-empty list");
  const ids = new Set();
  nodes.forEach((n, i) => {
    if (!n || typeof n.id !== "string") fail(`nodes[${i}].id must be a string`);
    if (ids.has(n.id)) fail(`nodes[${i}].id ${n.id} is used twice`);
    ids.add(n.id);
    if (!Number.isInteger(n.row) || n.row < 0) fail(`nodes[${i}].row must be a whole number ≥ 0`);
    if (typeof n.label !== "string") fail(`nodes[${i}].label must be a string`);
    if (typeof n.text !== "string") fail(`nodes[${i}].text must be a string`);
  });
  if (!Array.isArray(edges)) fail("edges must be a list");
  edges.forEach((e, i) => {
    if (!ids.has(e?.from) || !ids.has(e?.to)) fail(`edges[${i}] joins unknown nodes`);
    if (!isNum(e.local)) fail(`edges[${i}].local is not a number`);
    if (typeof e.text !== "string") fail(`edges[${i}].text must be a string`);
  });
  if (!Array.isArray(folds)) fail("folds must be a list");
  folds.forEach((f, i) => {
    if (!Number.isInteger(f?.row) || typeof f.text !== "string") fail(`folds[${i}] needs a row and text`);
  });
}

const el = (tag, attrs = {}, text) => {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
};

// Where each box goes: rows top to bottom, boxes spread evenly across a row (a fold box,
// if any, takes the last place in its row).
export function treeLayout(spec) {
  validate(spec);
  const rows = new Map();
  for (const n of spec.nodes) rows.set(n.row, [...(rows.get(n.row) ?? []), n]);
  const folds = new Map((spec.folds ?? []).map((f) => [f.row, f]));
  const nRows = Math.max(...rows.keys(), ...folds.keys()) + 1;
  // A crowded row gets narrower boxes first; below MIN_W the drawing widens (and scrolls).
  let widest = 1;
  const slotsOf = (r) => Math.max(spec.slots?.[r] ?? 0, (rows.get(r) ?? []).length + (folds.has(r) ? 1 : 0));
  for (let r = 0; r < nRows; r++) widest = Math.max(widest, slotsOf(r));
  const boxW = Math.max(MIN_W, Math.min(BOX.w, spec.width / widest - GAP));
  const width = Math.max(spec.width, widest * (boxW + GAP));
  const at = new Map();
  const foldAt = new Map();
  for (let r = 0; r < nRows; r++) {
    const list = rows.get(r) ?? [];
    const slots = slotsOf(r);
    const step = width / Math.max(1, slots);
    // A node may name its column, so that a^l_q stays under z^l_q when the z row has a fold box.
    for (const [i, n] of list.entries())
      at.set(n.id, { x: step * ((n.col ?? i) + 0.5), y: 24 + r * ROW + BOX.h / 2 });
    if (folds.has(r)) foldAt.set(r, { x: step * (slots - 0.5), y: 24 + r * ROW + BOX.h / 2 });
  }
  return { at, foldAt, width, boxW, height: 24 + nRows * ROW, nRows };
}

export function drawTree(svg, spec) {
  const { at, foldAt, width, boxW, height } = treeLayout(spec);
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  const byId = new Map(spec.nodes.map((n) => [n.id, n]));

  // Edges first, so boxes sit on top; dense row pairs keep their numbers in a tooltip.
  const pairCount = new Map();
  for (const e of spec.edges) {
    const key = `${byId.get(e.from).row}>${byId.get(e.to).row}`;
    pairCount.set(key, (pairCount.get(key) ?? 0) + 1);
  }
  const fanOut = new Map();
  const fanIn = new Map();
  for (const e of spec.edges) {
    fanOut.set(e.from, (fanOut.get(e.from) ?? 0) + 1);
    fanIn.set(e.to, (fanIn.get(e.to) ?? 0) + 1);
  }
  const edgeLayer = el("g", { class: "tree-edges" });
  const labelLayer = el("g", { class: "tree-edge-labels" });
  for (const e of spec.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    const g = el("g", {
      class: "tree-edge",
      "data-from": e.from,
      "data-to": e.to,
      "data-local": e.local ?? "null",
    });
    const ends = {
      x1: a.x,
      y1: a.y + BOX.h / 2 + (byId.get(e.from).sum ? SUM_H : 0),
      x2: b.x,
      y2: b.y - BOX.h / 2,
    };
    g.append(el("line", { ...ends, class: "hit" })); // a wide invisible stroke to hover
    g.append(el("line", ends));
    g.append(el("title", {}, e.title ?? e.text));
    edgeLayer.append(g);
    const dense = pairCount.get(`${byId.get(e.from).row}>${byId.get(e.to).row}`) > MAX_EDGE_LABELS;
    if (!dense) {
      // A fan-out keeps its numbers apart near the targets, a fan-in near the sources.
      const t = fanOut.get(e.from) > 1 ? 0.66 : fanIn.get(e.to) > 1 ? 0.34 : 0.5;
      const mx = a.x + (b.x - a.x) * t;
      const my = ends.y1 + (ends.y2 - ends.y1) * t;
      const w = 7 * e.text.length + 8;
      const label = el("g", { class: "tree-edge-label", "data-from": e.from, "data-to": e.to });
      label.append(el("rect", { x: mx - w / 2, y: my - 9, width: w, height: 18, rx: 4 }));
      label.append(el("text", { x: mx, y: my + 4, "text-anchor": "middle" }, e.text));
      labelLayer.append(label);
    }
  }
  svg.append(edgeLayer, labelLayer);

  for (const n of spec.nodes) {
    const p = at.get(n.id);
    const g = el("g", {
      class: `tree-node ${n.kind ?? ""}${n.sum ? " branching" : ""}`,
      "data-id": n.id,
      "data-value": n.value ?? "null",
      "data-grad": n.grad ?? "null",
      tabindex: "0",
    });
    const height = BOX.h + (n.sum ? SUM_H : 0);
    g.append(el("rect", { x: p.x - boxW / 2, y: p.y - BOX.h / 2, width: boxW, height, rx: 6 }));
    g.append(el("text", { x: p.x, y: p.y - 3, "text-anchor": "middle", class: "sym" }, n.label));
    g.append(el("text", { x: p.x, y: p.y + 12, "text-anchor": "middle", class: "val" }, n.text));
    if (n.sum) g.append(el("text", { x: p.x, y: p.y + 26, "text-anchor": "middle", class: "sum" }, n.sum));
    g.append(el("title", {}, n.title ?? `${n.label} = ${n.text}`));
    svg.append(g);
  }
  for (const f of spec.folds ?? []) {
    const p = foldAt.get(f.row);
    const g = el("g", { class: "tree-fold", "data-row": f.row, "data-hidden": f.hidden ?? "" });
    g.append(el("rect", { x: p.x - boxW / 2, y: p.y - BOX.h / 2, width: boxW, height: BOX.h, rx: 6 }));
    const [first, second] = f.text.split("\n");
    g.append(el("text", { x: p.x, y: p.y - 3, "text-anchor": "middle" }, first));
    if (second) g.append(el("text", { x: p.x, y: p.y + 12, "text-anchor": "middle", class: "val" }, second));
    g.append(el("title", {}, f.title ?? f.text));
    svg.append(g);
  }
  return { width, height };
}
