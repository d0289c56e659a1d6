// KaTeX (vendored). It is not needed for the first picture of the network, so it loads
// when the first formula asks for it: until then a formula is a placeholder holding its
// source (data-deferred), typeset as soon as KaTeX is there. A formula that fails to parse
// shows its source and reports the error: never blank.

let katexLoading = null;
// The first picture of the network goes first: KaTeX (270 kB and its fonts) is fetched only
// after main.js says the network is drawn.
let allow;
const allowed = new Promise((resolve) => {
  allow = resolve;
});
export const allowTex = () => allow();

function loadKatex() {
  if (katexLoading) return katexLoading;
  katexLoading = allowed.then(() => injectKatex());
  return katexLoading;
}

function injectKatex() {
  const base = document.querySelector('meta[name="katex"]')?.content ?? "/static/vendor/katex/";
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = `${base}katex.min.css`;
  document.head.append(css);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${base}katex.min.js`;
    script.onload = resolve;
    script.onerror = () => reject(new Error("KaTeX did not load; equations are shown as TeX source"));
    document.head.append(script);
  }).then(() => {
    for (const el of document.querySelectorAll("[data-deferred]")) typesetPending(el);
  });
}

// Resolves once KaTeX is loaded and every waiting formula typeset (tests, first visit).
export const katexReady = () => loadKatex();

export function renderTex(el, source, { display = false } = {}) {
  el.dataset.tex = source; // morph() compares sources, never KaTeX's thousand nodes
  delete el.dataset.deferred;
  delete el.dataset.live;
  const katex = window.katex;
  if (!katex) {
    el.dataset.deferred = display ? "display" : "inline";
    el.dataset.tex = source;
    loadKatex().catch((e) => {
      el.textContent = source;
      throw e;
    });
    return el;
  }
  const key = `${display ? "D" : "I"}${source}`;
  let typeset = cache.get(key);
  if (typeset)
    cache.delete(key); // to the back: most recently used
  else {
    typeset = document.createElement("span");
    katex.render(source, typeset, {
      displayMode: display,
      throwOnError: true,
      strict: "ignore",
      output: "htmlAndMathml",
    });
  }
  cache.set(key, typeset);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  el.replaceChildren(...typeset.cloneNode(true).childNodes);
  return el;
}

// Typeset formulas by source: symbols, labels and unchanged equations are cloned, not re-typeset.
const CACHE_SIZE = 400;
const cache = new Map();

// How texNode() typesets. "eager": at once. Inside a typesetter() rebuild, "lazy": it only
// notes the source, and morph() typesets the formulas it actually inserts (the ones whose
// source changed); "live" (a training frame): morph() also keeps a changed formula's old
// typeset node, marked data-stale, until a catch-up rebuild.
let mode = "eager";

export function texNode(source, opts = {}) {
  const el = document.createElement(opts.display ? "div" : "span");
  el.className = opts.display ? "tex display" : "tex";
  return typesetInto(el, source, opts);
}

export function typesetInto(el, source, opts = {}) {
  if (mode === "eager") return renderTex(el, source, opts);
  el.dataset.tex = source;
  el.dataset.deferred = opts.display ? "display" : "inline";
  if (mode === "live") el.dataset.live = "";
  return el;
}

// A deferred formula (and any inside a node) typeset now: morph() calls it on what it inserts.
export function typesetPending(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const all = "deferred" in node.dataset ? [node] : [];
  for (const el of [...all, ...node.querySelectorAll("[data-deferred]")])
    renderTex(el, el.dataset.tex, { display: el.dataset.deferred === "display" });
}

// While training plays, a panel is rebuilt for every frame, and typesetting its formulas
// costs several times a frame's budget. So a frame's rebuild is "live" (see `mode`): the
// plain-text numbers move at the frame rate, and a catch-up rebuild that typesets every
// changed formula runs when the browser is idle, at most every `everyMs`. A rebuild that is
// not a training frame (a click, the answer after Pause) typesets at once.
export function typesetter(everyMs = 500) {
  let last = -Infinity;
  let token = 0; // a catch-up scheduled under an older token is dropped
  let pending = false;
  const run = (render, m) => {
    const was = mode;
    mode = m;
    try {
      return render();
    } finally {
      mode = was;
    }
  };
  const full = (render) => {
    token++;
    pending = false;
    last = performance.now();
    return run(render, "lazy");
  };
  return (render, live) => {
    if (!live) return full(render);
    run(render, "live");
    if (pending) return;
    pending = true;
    const mine = token;
    const wait = Math.max(0, last + everyMs - performance.now());
    setTimeout(() => {
      requestIdleCallback(() => mine === token && full(render), { timeout: everyMs });
    }, wait);
  };
}

// One sample's cost is C_x (Nielsen); with 3Blue1Brown's cost, the sum of squares, it is
// his C_0, "the cost of one training example". C without an index is always the mean.
export const sampleCostTex = (cost) => (cost === "sse" ? "C_0" : "C_x");
export const sampleCostText = (cost) => (cost === "sse" ? "C₀" : "Cₓ");

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
