// KaTeX (vendored, loaded as a classic deferred script before the modules run).
// A formula that fails to parse shows its source and reports the error: never blank.

export function renderTex(el, source, { display = false } = {}) {
  const katex = window.katex;
  if (!katex) {
    el.textContent = source;
    throw new Error("KaTeX did not load; equations are shown as TeX source");
  }
  katex.render(source, el, {
    displayMode: display,
    throwOnError: true,
    strict: "ignore",
    output: "htmlAndMathml",
  });
  return el;
}

export function texNode(source, opts = {}) {
  const el = document.createElement(opts.display ? "div" : "span");
  el.className = opts.display ? "tex display" : "tex";
  return renderTex(el, source, opts);
}

// The cost of one sample and its derivative, per cost name (as in app/nn/costs.py).
export const COST_TEX = {
  quadratic: {
    c: "C_x = \\tfrac12\\sum_j \\left(a^L_j - y_j\\right)^2",
    d: "\\frac{\\partial C}{\\partial a^L_j} = a^L_j - y_j",
  },
  sse: {
    c: "C_x = \\sum_j \\left(a^L_j - y_j\\right)^2",
    d: "\\frac{\\partial C}{\\partial a^L_j} = 2\\left(a^L_j - y_j\\right)",
  },
  cross_entropy: {
    c: "C_x = -\\sum_j \\left[y_j \\ln a^L_j + (1-y_j)\\ln\\left(1-a^L_j\\right)\\right]",
    d: "\\frac{\\partial C}{\\partial a^L_j} = \\frac{a^L_j - y_j}{a^L_j\\left(1-a^L_j\\right)}",
  },
  log_likelihood: {
    c: "C_x = -\\sum_j y_j \\ln a^L_j",
    d: "\\frac{\\partial C}{\\partial a^L_j} = -\\frac{y_j}{a^L_j}",
  },
};

export const ACT_TEX = {
  sigmoid: {
    f: "\\sigma(z) = \\frac{1}{1+e^{-z}}",
    d: "\\sigma'(z) = \\sigma(z)\\left(1-\\sigma(z)\\right)",
    max: 0.25,
  },
  tanh: { f: "\\sigma(z) = \\tanh z", d: "\\sigma'(z) = 1 - \\tanh^2 z", max: 1 },
  relu: { f: "\\sigma(z) = \\max(0, z)", d: "\\sigma'(z) = [z > 0]", max: 1 },
  leaky_relu: { f: "\\sigma(z) = \\max(0.01z, z)", d: "\\sigma'(z) = 1 \\text{ or } 0.01", max: 1 },
  linear: { f: "\\sigma(z) = z", d: "\\sigma'(z) = 1", max: 1 },
  softmax: {
    f: "a_j = \\frac{e^{z_j}}{\\sum_m e^{z_m}}",
    d: "\\frac{\\partial a_m}{\\partial z_j} = a_m\\left([m=j] - a_j\\right)",
    max: 0.25,
  },
};
