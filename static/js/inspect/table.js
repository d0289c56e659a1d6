// Every number the diagram encodes as colour or width, as a table: per neuron z, a,
// σ′(z), ∂C/∂a, δ and its bias; per weight w, a_in, δ_out and ∂C/∂w. For screen
// readers, for copying, and for anyone who wants the digits.

import { fmt, indexed } from "../core/format.js";
import { h } from "../ui/dom.js";
import { sampleCostText } from "../ui/tex.js";

const PAGE = 100;
// The last column's buttons select that row in the diagram; its header says so to a screen reader.
const SELECT_HEADER = () => h("th", { scope: "col" }, h("span", { class: "sr-only" }, "select"));

export function createTableView(el, { state, model }) {
  let layer = 1; // weights of this layer
  let page = 0;
  const turn = (by) => {
    page += by;
    render();
  };
  let order = "index"; // or "grad"

  function render() {
    if (state.get("view") !== "table") return;
    const r = model.result;
    const net = model.network?.spec;
    if (!r || !net) {
      el.replaceChildren(h("p", { class: "muted" }, "Computing…"));
      return;
    }
    const L = net.sizes.length - 1;
    layer = Math.min(Math.max(1, layer), L);
    const sel = state.get("sel");
    const pick = (s) =>
      h(
        "button",
        {
          type: "button",
          class: "pick",
          "aria-label": `select ${s.kind} ${[s.layer, s.j, s.k].filter((v) => v != null).join(",")}`,
          title: "select",
          onclick: () => state.set({ sel: s }),
        },
        "◎",
      );

    const neuronRows = [];
    for (let l = 0; l <= L; l++) {
      const d = r.layers[l];
      for (let j = 0; j < net.sizes[l]; j++) {
        const here = sel?.kind !== "weight" && sel?.layer === l && sel?.j === j;
        neuronRows.push(
          h(
            "tr",
            { class: here ? "current" : null, "aria-selected": String(here), data: { layer: l, j } },
            h("td", {}, l),
            h("td", {}, j),
            ...(l === 0
              ? [
                  h("td", {}, "—"),
                  num(d.a[j]),
                  h("td", {}, "—"),
                  h("td", {}, "—"),
                  h("td", {}, "—"),
                  h("td", {}, "—"),
                  h("td", {}, "—"),
                ]
              : [
                  num(d.z[j]),
                  num(d.a[j]),
                  num(d.sigma_prime[j]),
                  num(d.dC_da[j]),
                  num(d.delta[j]),
                  num(net.biases[l - 1][j]),
                  num(d.grad_b[j]),
                ]),
            h("td", {}, pick({ kind: "neuron", layer: l, j })),
          ),
        );
      }
    }
    const outRows =
      net.sizes[L] <= 64
        ? r.layers[L].a.map((a, m) =>
            h("tr", {}, h("td", {}, m), num(a), num(model.inputs.y[m]), num(r.layers[L].dC_da[m])),
          )
        : [];

    const nIn = net.sizes[layer - 1];
    const ids = [...Array(net.sizes[layer] * nIn).keys()];
    const g = r.layers[layer].grad_w;
    if (order === "grad")
      ids.sort(
        (p, q) =>
          Math.abs(g[Math.floor(q / nIn)][q % nIn] ?? 0) - Math.abs(g[Math.floor(p / nIn)][p % nIn] ?? 0),
      );
    const pages = Math.ceil(ids.length / PAGE);
    page = Math.min(page, pages - 1);
    const weightRows = ids.slice(page * PAGE, (page + 1) * PAGE).map((e) => {
      const j = Math.floor(e / nIn);
      const k = e % nIn;
      const here = sel?.kind === "weight" && sel.layer === layer && sel.j === j && sel.k === k;
      return h(
        "tr",
        { class: here ? "current" : null, "aria-selected": String(here), data: { j, k } },
        h("td", {}, j),
        h("td", {}, k),
        num(net.weights[layer - 1][j][k]),
        num(r.layers[layer - 1].a[k]),
        num(r.layers[layer].delta[j]),
        num(g[j][k]),
        h("td", {}, pick({ kind: "weight", layer, j, k })),
      );
    });

    const layerSelect = h(
      "select",
      { id: "table-layer", "aria-label": "Weights of layer" },
      Array.from({ length: L }, (_, i) =>
        h(
          "option",
          { value: i + 1, selected: i + 1 === layer },
          `layer ${i + 1} (${indexed("w", i + 1)}, ${net.sizes[i + 1]}×${net.sizes[i]})`,
        ),
      ),
    );
    layerSelect.addEventListener("change", () => {
      layer = +layerSelect.value;
      page = 0;
      render();
    });
    const orderSelect = h(
      "select",
      { "aria-label": "Order weights by" },
      h("option", { value: "index", selected: order === "index" }, "by index j, k"),
      h("option", { value: "grad", selected: order === "grad" }, "by |∂C/∂w|, largest first"),
    );
    orderSelect.addEventListener("change", () => {
      order = orderSelect.value;
      page = 0;
      render();
    });
    const pager = h(
      "span",
      { class: "pager" },
      h(
        "button",
        {
          type: "button",
          class: "step-btn",
          id: "table-prev",
          "aria-label": `Previous ${PAGE} weights`,
          disabled: page === 0,
          onclick: () => turn(-1),
        },
        "◀",
      ),
      ` rows ${page * PAGE + 1}–${Math.min(ids.length, (page + 1) * PAGE)} of ${ids.length} `,
      h(
        "button",
        {
          type: "button",
          class: "step-btn",
          id: "table-next",
          "aria-label": `Next ${PAGE} weights`,
          disabled: page >= pages - 1,
          onclick: () => turn(1),
        },
        "▶",
      ),
    );

    el.replaceChildren(
      ...[
        h(
          "p",
          { class: "muted" },
          `Cost of this sample ${sampleCostText(net.cost)} = ${fmt(r.cost, 8)}. ` +
            `Numbers are the API's float64 values, shown to 6 significant ` +
            `digits.`,
        ),
        h("h3", {}, "Neurons"),
        h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { class: "data", id: "neuron-table" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["layer", "j", "z", "a", "σ′(z)", "∂C/∂a", "δ", "b", "∂C/∂b"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
                SELECT_HEADER(),
              ),
            ),
            h("tbody", {}, neuronRows),
          ),
        ),
        outRows.length ? h("h3", {}, "Output against target") : null,
        outRows.length
          ? h(
              "table",
              { class: "data" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  h("th", { scope: "col" }, "m"),
                  h("th", { scope: "col" }, "a", h("sup", {}, "L"), h("sub", {}, "m")),
                  h("th", { scope: "col" }, "y", h("sub", {}, "m")),
                  h("th", { scope: "col" }, "∂C/∂a", h("sup", {}, "L"), h("sub", {}, "m")),
                ),
              ),
              h("tbody", {}, outRows),
            )
          : null,
        h("h3", {}, "Weights"),
        h("div", { class: "row" }, layerSelect, orderSelect, pager),
        h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { class: "data", id: "weight-table" },
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["j", "k", "w", ["a", h("sub", {}, "in")], ["δ", h("sub", {}, "out")], "∂C/∂w"].map((t) =>
                  h("th", { scope: "col" }, t),
                ),
                SELECT_HEADER(),
              ),
            ),
            h("tbody", {}, weightRows),
          ),
        ),
      ].filter(Boolean),
    );
  }

  state.subscribe((changed) => {
    if (changed.has("view") || changed.has("sel")) {
      const sel = state.get("sel");
      if (changed.has("sel") && sel?.kind === "weight") layer = sel.layer;
      render();
    }
  });
  model.on((what) => (what === "result" || what === "frame") && render());
  return { render };
}

function num(v) {
  return h(
    "td",
    { class: `num ${v < 0 ? "neg" : v > 0 ? "pos" : ""}`, data: { value: v ?? "null" } },
    fmt(v, 6),
  );
}
