// Input x and target y: a sample from the network's dataset, or edited by hand (number
// fields, or a drawing grid for image inputs). Every edit recomputes at once; model.js
// debounces and cancels the stale request.

import { h } from "../ui/dom.js";
import { createDrawGrid } from "./drawgrid.js";

const FIELDS_MAX = 16; // more values than this get a text area instead of fields

export function createInputsView(el, { state, model }) {
  let grid = null;
  let shapeKey = "";

  function numberFields(kind, n) {
    return h(
      "div",
      {
        class: `fields ${kind === "x" ? "one-col" : ""}`,
        role: "group",
        "aria-label": kind === "x" ? "Input x" : "Target y",
      },
      Array.from({ length: n }, (_, i) =>
        h(
          "label",
          { class: "num-field" },
          h("span", {}, `${kind}${sub(i)}`),
          h("input", {
            type: "number",
            step: "0.1",
            class: "num-input",
            "data-kind": kind,
            "data-i": i,
            id: `${kind}-${i}`,
          }),
        ),
      ),
    );
  }

  function textField(kind, n) {
    return h(
      "label",
      { class: "block" },
      `${kind} (${n} comma-separated numbers)`,
      h("textarea", { rows: 3, class: "vec-input", "data-kind": kind, id: `${kind}-text` }),
    );
  }

  function build() {
    const net = model.network;
    if (!net) return;
    const sizes = net.spec.sizes;
    const n0 = sizes[0];
    const nL = sizes.at(-1);
    shapeKey = `${net.key}:${sizes.join("-")}`;
    const side = Math.round(Math.sqrt(n0));
    const image = side * side === n0 && side >= 4;
    el.replaceChildren();
    const info = net.dataset ? model.datasets.get(net.dataset) : null;
    if (info) {
      const idx = h("input", {
        type: "number",
        min: 0,
        max: info.n_samples - 1,
        step: 1,
        id: "sample-index",
        class: "num-input",
        value: state.get("sample") ?? 0,
      });
      idx.addEventListener("change", () => Number.isInteger(+idx.value) && model.loadSample(+idx.value));
      const stepBy = (d) =>
        model.loadSample(Math.min(info.n_samples - 1, Math.max(0, (state.get("sample") ?? 0) + d)));
      el.append(
        h(
          "section",
          { class: "sub" },
          h("h3", {}, `Sample from ${info.name}`),
          h("p", { class: "muted small" }, info.description),
          h(
            "div",
            { class: "sample-row" },
            h(
              "button",
              {
                type: "button",
                class: "step-btn",
                "aria-label": "Previous sample",
                onclick: () => stepBy(-1),
              },
              "◀",
            ),
            h("label", { class: "inline" }, "# ", idx),
            h(
              "button",
              { type: "button", class: "step-btn", "aria-label": "Next sample", onclick: () => stepBy(1) },
              "▶",
            ),
            h(
              "button",
              {
                type: "button",
                class: "step-btn",
                onclick: () => model.loadSample(Math.floor(Math.random() * info.n_samples)),
              },
              "Random",
            ),
          ),
          h("p", { class: "sample-label", id: "sample-label", "aria-live": "polite" }),
        ),
      );
    }
    const xBox = h("section", { class: "sub" }, h("h3", {}, `Input x (${n0})`));
    if (image) {
      grid = createDrawGrid({
        side,
        values: state.get("x")?.length === n0 ? state.get("x") : Array(n0).fill(0),
        label: "Input image",
        onChange: (x) => state.set({ input: "custom", x }),
      });
      xBox.append(
        grid.el,
        h(
          "div",
          { class: "row" },
          h("button", { type: "button", class: "link-button", onclick: () => grid.clear() }, "Clear"),
          h("span", { class: "muted small" }, " drag to draw, Shift-drag to erase"),
        ),
      );
    } else {
      grid = null;
      xBox.append(n0 <= FIELDS_MAX ? numberFields("x", n0) : textField("x", n0));
    }
    const yBox = h("section", { class: "sub" }, h("h3", {}, `Target y (${nL})`));
    yBox.append(nL <= FIELDS_MAX ? numberFields("y", nL) : textField("y", nL));
    if (nL <= 12) {
      yBox.append(
        h(
          "div",
          { class: "onehot", role: "group", "aria-label": "Set y to one class" },
          h("span", { class: "muted small" }, "one-hot: "),
          Array.from({ length: nL }, (_, c) =>
            h(
              "button",
              {
                type: "button",
                class: "chip",
                "data-class": c,
                onclick: () =>
                  state.set({ input: "custom", y: Array.from({ length: nL }, (__, i) => (i === c ? 1 : 0)) }),
              },
              String(c),
            ),
          ),
        ),
      );
    }
    el.append(xBox, yBox, h("p", { class: "muted small", id: "input-mode" }));
    for (const input of el.querySelectorAll("input.num-input[data-kind], textarea.vec-input"))
      input.addEventListener("input", () => edit(input));
    sync();
  }

  // A field changed: validate it, then replace that one entry of x or y.
  function edit(input) {
    const kind = input.dataset.kind;
    const current = (state.get(kind) ?? []).slice();
    if (input.tagName === "TEXTAREA") {
      const parts = input.value
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      const ok = parts.length === current.length && parts.every(Number.isFinite);
      input.setAttribute("aria-invalid", String(!ok));
      if (ok) state.set({ input: "custom", [kind]: parts });
      return;
    }
    const v = input.valueAsNumber;
    const ok = input.value.trim() !== "" && Number.isFinite(v);
    input.setAttribute("aria-invalid", String(!ok));
    if (!ok) return;
    current[+input.dataset.i] = v;
    state.set({ input: "custom", [kind]: current });
  }

  // Show the state's x and y without stealing focus from a field being typed in.
  function sync() {
    for (const kind of ["x", "y"]) {
      const values = state.get(kind);
      if (!values) continue;
      for (const input of el.querySelectorAll(`input[data-kind="${kind}"]`)) {
        if (document.activeElement === input) continue;
        const v = values[+input.dataset.i];
        if (v == null) continue;
        if (input.valueAsNumber !== v) input.value = String(+v.toPrecision(6));
        input.removeAttribute("aria-invalid");
      }
      const ta = el.querySelector(`textarea[data-kind="${kind}"]`);
      if (ta && document.activeElement !== ta) ta.value = values.map((v) => +v.toPrecision(4)).join(", ");
    }
    if (grid && state.get("x")?.length === model.network.spec.sizes[0]) grid.set(state.get("x"));
    const idx = el.querySelector("#sample-index");
    if (idx && document.activeElement !== idx) idx.value = state.get("sample") ?? 0;
    const lab = el.querySelector("#sample-label");
    const s = model.sample;
    if (lab)
      lab.textContent =
        state.get("input") === "sample" && s
          ? `class ${s.label}: ${s.className}`
          : "edited by hand (not a dataset sample)";
    const mode = el.querySelector("#input-mode");
    if (mode)
      mode.textContent =
        state.get("input") === "custom"
          ? "Custom input: the diagram follows every edit."
          : `Sample #${state.get("sample")} of ${model.network?.dataset}.`;
    const y = state.get("y");
    for (const b of el.querySelectorAll(".onehot .chip"))
      b.setAttribute(
        "aria-pressed",
        String(y?.[+b.dataset.class] === 1 && y.every((v, i) => v === (i === +b.dataset.class ? 1 : 0))),
      );
  }

  state.subscribe((changed) => {
    if (changed.has("x") || changed.has("y") || changed.has("sample") || changed.has("input")) sync();
  });
  model.on((what) => {
    if (what === "network") build();
    if (what === "sample") sync();
    if (what === "network" && model.network && shapeKey) sync();
  });
  return { build };
}

const SUBS = "₀₁₂₃₄₅₆₇₈₉";
const sub = (i) => String(i).replace(/\d/g, (d) => SUBS[+d]);
