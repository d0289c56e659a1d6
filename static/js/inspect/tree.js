// The Tree tab: 3Blue1Brown's dependency tree of the selected weight, bias or activation
// for the current sample. Every number comes from POST /api/tree (values, dC/d(node), the
// local derivative on each edge); this view only labels and lays them out.

import { freshSignal, isAbort } from "../core/api.js";
import { fmt } from "../core/format.js";
import { drawTree } from "../draw/tree.js";
import { h } from "../ui/dom.js";
import { symbol } from "../ui/symbols.js";

export const MAX_BRANCHES = 4;

// The API's target for a page selection (a neuron stands for its activation).
export function targetOf(sel) {
  if (!sel) return null;
  if (sel.kind === "weight") return { kind: "weight", layer: sel.layer, j: sel.j, k: sel.k };
  if (sel.kind === "bias") return { kind: "bias", layer: sel.layer, j: sel.j };
  return { kind: "activation", layer: sel.layer, j: sel.j };
}

// Rows: the target, then z and a of each layer it reaches, then the cost. From a weight
// or bias: w 0, z^s 1, a^s 2, z^{s+1} 3...; from an activation: a^s 0, z^{s+1} 1, a^{s+1} 2...
function rowOf(kind, layer, first, startsAtA) {
  if (kind === "weight" || kind === "bias") return 0;
  const d = (layer - first) * 2;
  if (startsAtA) return kind === "z" ? d - 1 : d;
  return kind === "a" ? d + 2 : d + 1;
}

export function treeSpec(data, sizes, style, width) {
  const root = data.nodes[0];
  const startsAtA = root.kind === "a";
  const first = root.layer;
  const rows = new Map();
  let last = 0;
  for (const n of data.nodes) {
    const r = n.kind === "cost" ? null : rowOf(n.kind, n.layer, first, startsAtA);
    if (r != null) last = Math.max(last, r);
    rows.set(n.id, r);
  }
  const out = new Map();
  for (const e of data.edges) out.set(e.source, (out.get(e.source) ?? 0) + 1);
  const hiddenOut = new Map(); // a node whose branches were folded still sums over them
  for (const f of data.folded) if (f.kind === "z") hiddenOut.set(f.layer - 1, f.hidden);
  const nodes = data.nodes.map((n) => {
    const label = symbol(style, n, sizes);
    const branches = (out.get(n.id) ?? 0) + (n.kind === "a" ? (hiddenOut.get(n.layer) ?? 0) : 0);
    const dC = n.kind === "cost" ? null : `∂C/∂${label} = ${fmt(n.grad, 4)}`;
    return {
      id: n.id,
      kind: n.kind,
      row: rows.get(n.id) ?? last + 1,
      label,
      text: fmt(n.value, 4),
      value: n.value,
      grad: n.grad,
      sum: branches > 1 ? `Σ ${fmt(n.grad, 3)}` : null,
      title:
        (dC ? `${label} = ${fmt(n.value, 6)}; ${dC}` : `${label} = ${fmt(n.value, 6)}`) +
        (branches > 1 ? `, the sum over its ${branches} branches` : ""),
    };
  });
  // Columns: a neuron keeps its place from its z row to its a row, and a row with a fold
  // box lends its width to the other row of the same layer.
  const taken = new Map();
  for (const n of nodes) {
    n.col = taken.get(n.row) ?? 0;
    taken.set(n.row, n.col + 1);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = data.edges.map((e) => ({
    from: e.source,
    to: e.target,
    local: e.local,
    text: fmt(e.local, 3),
    title: `∂${byId.get(e.target).label}/∂${byId.get(e.source).label} = ${fmt(e.local, 6)}`,
  }));
  // A row whose neurons are all drawn needs no box, even if edges into it from folded
  // neurons are not drawn (the fold above already says so).
  const shownFolds = data.folded.filter((f) => f.hidden > 0);
  const folds = shownFolds.map((f) => ({
    row: rowOf(f.kind, f.layer, first, startsAtA),
    hidden: f.hidden,
    text: `+${f.hidden} more\n${fmt(f.hidden_share, 2)}`,
    title:
      `${f.hidden} neurons of layer ${f.layer} folded (${f.hidden_edges} edges); ` +
      `together they carry ${fmt(f.hidden_share, 6)} of the derivative`,
  }));
  const slots = {};
  for (const f of shownFolds) {
    const zRow = rowOf("z", f.layer, first, startsAtA);
    slots[zRow] = f.shown + 1;
    slots[zRow + 1] = f.shown + 1;
  }
  return { width, nodes, edges, folds, slots };
}

export function createTreeView(el, { state, model, notation, report }) {
  let last = null;
  let answer = null;

  async function refresh() {
    if (state.get("tab") !== "tree" || !model.result || !model.inputs) return;
    const sel = state.get("sel");
    if (!sel) {
      el.replaceChildren(
        h(
          "p",
          { class: "muted" },
          "Select a weight, a bias or a neuron to see what it influences on its way to the cost.",
        ),
      );
      el.dataset.state = "empty";
      return;
    }
    const key = JSON.stringify([model.network.key, model.network.version, sel, model.inputs]);
    if (key === last && answer) return render();
    last = key;
    const { x, y } = model.inputs;
    try {
      const body = { x, y, target: targetOf(sel), max_branches: MAX_BRANCHES };
      const { data } = await model.compute("tree", model.source(), body, freshSignal("tree"));
      answer = data;
      render();
    } catch (e) {
      if (!isAbort(e)) throw e;
    }
  }

  function render() {
    const data = answer;
    const sizes = model.network.spec.sizes;
    const style = notation?.style() ?? "nielsen";
    const width = Math.max(240, el.clientWidth - 8);
    const spec = treeSpec(data, sizes, style, width);
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "tree-svg");
    svg.setAttribute("role", "img");
    const rootLabel = spec.nodes[0].label;
    svg.setAttribute(
      "aria-label",
      `Dependency tree of ${rootLabel}: ${spec.nodes.length} quantities, ${data.paths} paths to the cost`,
    );
    drawTree(svg, spec);
    const hidden = data.folded.reduce((s, f) => s + f.hidden, 0);
    el.replaceChildren(
      h(
        "p",
        { class: "lead" },
        `What ${rootLabel} moves on its way to the cost, for this sample. Each box shows a value, ` +
          "each edge the local rate ∂(lower)/∂(upper): multiply along a route, add over routes (Σ). " +
          "Where edges are dense, hover one for its rate.",
      ),
      h(
        "div",
        { class: "sums", data: { gradient: data.gradient ?? "null", paths: data.paths, hidden } },
        h("span", {}, `∂C/∂${rootLabel} = `),
        h("b", { class: "num" }, fmt(data.gradient, 6)),
        h("span", { class: "muted" }, ` · ${data.paths} route${data.paths === 1 ? "" : "s"} to the cost`),
        hidden ? h("span", { class: "muted" }, ` · ${hidden} neurons folded`) : null,
      ),
      h("div", { class: "tree-wrap" }, svg),
    );
    el.dataset.state = "ready";
  }

  const run = () => refresh().catch(report);
  state.subscribe((changed) => {
    if (changed.has("tab") || changed.has("sel")) run();
  });
  model.on((what) => {
    if (what === "result") run();
    if (what === "network") last = null;
  });
  notation?.onStyle(() => answer && state.get("tab") === "tree" && render());
  return { refresh: run };
}
