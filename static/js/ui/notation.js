// The notation strip, always on screen: the index convention and the cost in use, so
// every number elsewhere on the page can be read without guessing what w^2_{01} means.

import { COST_TEX, texNode } from "./tex.js";

export function createNotation(el, model) {
  function render() {
    const net = model.network;
    if (!net) return;
    const { sizes, activations, cost } = net.spec;
    const L = sizes.length - 1;
    el.replaceChildren();
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
      `${COST_TEX[cost].c},\\;\\; C = \\tfrac1n\\textstyle\\sum_x C_x`,
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
  return { render };
}
