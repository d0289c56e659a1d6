// The notation strip, always on screen: the index convention and the cost in use, so
// every number elsewhere on the page can be read without guessing what w^2_{01} means.
// A lesson switches it to the symbols of the text it follows (setStyle): 3Blue1Brown's
// layer superscripts (L) and C_0, deeplizard's j-k indices, or Nielsen's w^l_jk.

import { COST_TEX, sampleCostTex, texNode } from "./tex.js";

const LESSON_ITEMS = {
  "3b1b": (L) => [
    [
      "Layers",
      `a^{(L)},\\ a^{(L-1)},\\dots\\;(L=${L})`,
      "Superscripts in brackets name layers; they are not powers.",
    ],
    ["Neuron", "z^{(L)} = w^{(L)}a^{(L-1)} + b^{(L)},\\;\\; a^{(L)} = \\sigma(z^{(L)})"],
    ["Several per layer", "a^{(L)}_j,\\ a^{(L-1)}_k,\\ w^{(L)}_{jk}"],
    ["Cost", "C_0 = \\textstyle\\sum_j (a^{(L)}_j - y_j)^2,\\;\\; C = \\tfrac1n\\sum_k C_k"],
  ],
  deeplizard: (L) => [
    [
      "Indices",
      `l\\text{ layer }(L=${L}),\\;\\; j\\text{ node in }l,\\;\\; k\\text{ node in }l{-}1,\\text{ from }0`,
    ],
    ["Weight", "w^{(l)}_{jk}:\\ \\text{node } k \\text{ of } l{-}1 \\to \\text{node } j \\text{ of } l"],
    [
      "Node",
      "z^{(l)}_j = \\textstyle\\sum_k w^{(l)}_{jk}a^{(l-1)}_k + b^{(l)}_j,\\;\\; a^{(l)}_j = g^{(l)}(z^{(l)}_j)",
    ],
    ["Loss", "C_0 = \\textstyle\\sum_j (a^{(L)}_j - y_j)^2"],
  ],
};

export function createNotation(el, model) {
  let style = null; // null or "nielsen": the page's own notation
  const styleListeners = new Set();

  function render() {
    const net = model.network;
    if (!net) return;
    const { sizes, activations, cost } = net.spec;
    const L = sizes.length - 1;
    el.replaceChildren();
    el.dataset.style = style ?? "nielsen";
    const item = (label, tex, title) => {
      const span = document.createElement("span");
      span.className = "notation-item";
      if (title) span.title = title;
      const b = document.createElement("b");
      b.textContent = label;
      span.append(b, " ", texNode(tex));
      el.append(span);
      return span;
    };
    if (LESSON_ITEMS[style]) {
      for (const [label, tex, title] of LESSON_ITEMS[style](L)) item(label, tex, title);
      el.setAttribute(
        "aria-label",
        `Notation of this lesson (${style}); layers counted back from the output L`,
      );
      return;
    }
    item(
      "Indices",
      `l = 0,\\dots,${L}\\;(0=\\text{input},\\,L=${L}),\\quad j,k = 0,1,\\dots`,
      "Everything is 0-based, as in the API.",
    );
    const w = item(
      "Weight",
      "w^l_{jk}:\\ \\text{neuron } k \\text{ of layer } l{-}1 \\to \\text{neuron } j \\text{ of layer } l",
    );
    w.dataset.convention = "w^l_jk from neuron k of layer l-1 to neuron j of layer l, 0-based";
    item(
      "Forward",
      "z^l = w^l a^{l-1} + b^l,\\;\\; a^l = \\sigma(z^l),\\;\\; \\delta^l_j = \\partial C/\\partial z^l_j",
    );
    const c = item(
      `Cost (${cost.replace("_", " ")})`,
      `${COST_TEX[cost].c.replace("C_x", sampleCostTex(cost))},\\;\\; C = \\tfrac1n\\textstyle\\sum_x C_x`,
    );
    c.dataset.cost = cost;
    const acts = [...new Set(activations)].join(", ");
    el.setAttribute(
      "aria-label",
      `Notation: 0-based indices; weight w superscript l subscript j k goes from neuron k of layer l ` +
        `minus 1 to neuron j of layer l; cost ${cost}; activations ` +
        `${acts}`,
    );
  }
  model.on((what) => what === "network" && render());
  return {
    render,
    style: () => style ?? "nielsen",
    setStyle(next) {
      if ((next ?? null) === style) return;
      style = next ?? null;
      render();
      for (const fn of styleListeners) fn(style);
    },
    onStyle: (fn) => styleListeners.add(fn),
  };
}
