// The editor's draft: the architecture being built and what happens to each layer's
// weights. Plain data in, new data out (no DOM, no fetch), so every rule the editor
// enforces lives here, next to the reason it gives for it.
//
// Weights: a layer l keeps its weights w^l and biases b^l while its shape stays (its own
// size and the size of the layer feeding it). A new layer, a new size on either side,
// or "re-initialise every layer" gives it fresh weights from the chosen scheme and seed
// (drawn by the server) and zero biases. Activations and the cost never touch weights.
//
// Which activations, costs and schemes exist, what each needs, and the caps are the
// server's (core/meta.js); they are checked here so the reason shows before saving.

import { meta, parameterCount } from "../core/meta.js";

export const activationNames = () => meta.activations.map((a) => a.name);
export const costNames = () => meta.costs.map((c) => c.name);
const activation = (name) => meta.activations.find((a) => a.name === name);
const costInfo = (name) => meta.costs.find((c) => c.name === name);
// The words around each scheme's distribution: this page's teaching (the schemes are the server's).
const SCHEME_WORDS = {
  xavier: ["Xavier: ", ""],
  he: ["He: ", ", for ReLU"],
  normal: ["", ": large, saturates sigmoids"],
};
export const schemes = () =>
  meta.init_schemes.map(({ name, draws }) => {
    const [before, after] = SCHEME_WORDS[name] ?? [`${name}: `, ""];
    return [name, `${before}${draws}${after}`];
  });
// The last-layer activations a cost accepts (ln a needs outputs in (0, 1)).
export const outputsFor = (cost) => costInfo(cost)?.output_activations ?? activationNames();
export const label = (name) => name.replace("_", " ");

export function draftFrom(base, init = { scheme: "xavier", seed: 0 }) {
  const { sizes, activations, cost } = base.spec;
  return {
    base,
    dataset: base.dataset ?? null,
    layers: sizes.map((n, l) => ({ uid: l, n, act: l === 0 ? null : activations[l - 1] })),
    cost,
    init: { ...init },
    reinit: false,
    nextUid: sizes.length,
  };
}

// ---- edits: each returns a new draft ----------------------------------------------------
const withLayers = (d, layers, extra = {}) => ({ ...d, layers, ...extra });

export function setNeurons(d, l, n) {
  return withLayers(
    d,
    d.layers.map((layer, i) => (i === l ? { ...layer, n } : layer)),
  );
}

export function setActivation(d, l, act) {
  return withLayers(
    d,
    d.layers.map((layer, i) => (i === l ? { ...layer, act } : layer)),
  );
}

// A new hidden layer just below the output, shaped like the hidden layer before it.
export function addLayer(d) {
  const L = d.layers.length - 1;
  const prev = d.layers[L - 1];
  const hidden = L > 1;
  const act = hidden ? prev.act : d.layers[L].act === "softmax" ? "sigmoid" : d.layers[L].act;
  const layer = { uid: d.nextUid, n: hidden ? prev.n : 3, act };
  return withLayers(d, [...d.layers.slice(0, L), layer, d.layers[L]], { nextUid: d.nextUid + 1 });
}

export function removeLayer(d, l) {
  return withLayers(
    d,
    d.layers.filter((_, i) => i !== l),
  );
}

export const setCost = (d, cost) => ({ ...d, cost });
export const setInit = (d, init) => ({ ...d, init: { ...d.init, ...init } });
export const setReinit = (d, reinit) => ({ ...d, reinit });

// The input and output sizes follow the data set: n_features in, one neuron per class out.
export function setDataset(d, name, info) {
  if (!info) return { ...d, dataset: null };
  const L = d.layers.length - 1;
  const layers = d.layers.map((layer, i) =>
    i === 0 ? { ...layer, n: info.n_features } : i === L ? { ...layer, n: info.n_classes } : layer,
  );
  return { ...d, dataset: name, layers };
}

// ---- what is allowed, and why not ----------------------------------------------------------
export const sizes = (d) => d.layers.map((layer) => layer.n);
export const activations = (d) => d.layers.slice(1).map((layer) => layer.act);

// Sizes fixed by the data set (input and output), with the reason.
export function sizeLock(d, l, datasets) {
  const L = d.layers.length - 1;
  const info = d.dataset ? datasets.get(d.dataset) : null;
  if (!info || (l !== 0 && l !== L)) return null;
  return l === 0
    ? `${info.name} has ${info.n_features} features`
    : `${info.name} has ${info.n_classes} classes`;
}

export function minNeurons(d, l) {
  return l === 0 ? 1 : (activation(d.layers[l].act)?.min_neurons ?? 1);
}

export const maxNeurons = () => meta.limits.max_neurons;

// Every activation for layer l, with the reason it is not allowed there (or null).
export function activationChoices(d, l) {
  const L = d.layers.length - 1;
  return meta.activations.map((a) => {
    let why = null;
    if (a.last_layer_only && l < L) why = "output layer only";
    else if (d.layers[l].n < a.min_neurons) why = `needs ${a.min_neurons}+ neurons`;
    else if (l === L && !outputsFor(d.cost).includes(a.name))
      why = `${label(d.cost)} needs outputs in (0, 1)`;
    return { value: a.name, why };
  });
}

export function costChoices(d) {
  const out = d.layers.at(-1).act;
  return meta.costs.map((c) => ({
    value: c.name,
    why: c.output_activations.includes(out)
      ? null
      : `needs a ${c.output_activations.map(label).join(" or ")} output, not ${label(out)}`,
  }));
}

export function addLayerBlocked(d) {
  const max = meta.limits.max_layers;
  return d.layers.length - 1 >= max ? `at most ${max} layers after the input` : null;
}

// What stops the draft from being previewed or saved; empty when it is fine.
export function problems(d) {
  const out = [];
  const s = sizes(d);
  const { max_parameters: maxP, max_neurons: maxN, max_layers: maxL } = meta.limits;
  const p = parameterCount(s);
  if (p > maxP)
    out.push(`${p.toLocaleString("en")} parameters: the server takes at most ${maxP.toLocaleString("en")}`);
  if (s.length - 1 > maxL)
    out.push(`${s.length - 1} layers after the input: the server takes at most ${maxL}`);
  for (const [l, n] of s.entries()) {
    if (!Number.isInteger(n) || n < 1 || n > maxN) out.push(`layer ${l}: ${n} neurons (1 to ${maxN})`);
  }
  return out;
}

// ---- weights ---------------------------------------------------------------------------------
// Why layer l gets fresh weights, or null when it keeps the saved ones.
export function freshReason(d, l) {
  const base = d.base.spec.sizes;
  const cur = d.layers[l];
  const prev = d.layers[l - 1];
  if (d.reinit) return "every layer re-initialised";
  if (cur.uid >= base.length) return "new layer";
  if (prev.uid !== cur.uid - 1) return "the layer feeding it is new";
  if (base[cur.uid] !== cur.n) return `size ${base[cur.uid]} → ${cur.n}`;
  if (base[prev.uid] !== prev.n) return `input to it ${base[prev.uid]} → ${prev.n}`;
  return null;
}

export const freshLayers = (d) => d.layers.slice(1).flatMap((_, i) => (freshReason(d, i + 1) ? [i + 1] : []));

// The network JSON of the draft; fresh maps a layer to its new weight matrix.
export function toSpec(d, fresh) {
  const { weights, biases } = d.base.spec;
  const W = [];
  const B = [];
  for (let l = 1; l < d.layers.length; l++) {
    if (freshReason(d, l)) {
      W.push(fresh.get(l));
      B.push(Array(d.layers[l].n).fill(0));
    } else {
      W.push(weights[d.layers[l].uid - 1]);
      B.push(biases[d.layers[l].uid - 1]);
    }
  }
  return { sizes: sizes(d), activations: activations(d), cost: d.cost, weights: W, biases: B };
}

// Everything that makes the draft differ from what it was opened from.
export function changes(d) {
  const base = d.base;
  const out = [];
  if ((base.dataset ?? null) !== d.dataset)
    out.push(`Data set ${base.dataset ?? "none"} → ${d.dataset ?? "none"}`);
  const kept = new Set();
  d.layers.forEach((layer, l) => {
    if (layer.uid >= base.spec.sizes.length) {
      out.push(`Layer ${l} added: ${layer.n} neurons, ${label(layer.act)}`);
      return;
    }
    kept.add(layer.uid);
    const n0 = base.spec.sizes[layer.uid];
    if (n0 !== layer.n) out.push(`Layer ${l}: ${n0} → ${layer.n} neurons`);
    const a0 = layer.uid === 0 ? null : base.spec.activations[layer.uid - 1];
    if (a0 !== layer.act) out.push(`Layer ${l}: ${label(a0)} → ${label(layer.act)} (weights kept)`);
  });
  for (const [uid, n] of base.spec.sizes.entries()) {
    if (!kept.has(uid)) out.push(`Hidden layer of ${n} removed`);
  }
  if (base.spec.cost !== d.cost) out.push(`Cost ${label(base.spec.cost)} → ${label(d.cost)} (weights kept)`);
  const fresh = freshLayers(d);
  if (fresh.length)
    out.push(
      `New weights for ${fresh.map((l) => `w${sup(l)}`).join(", ")} (${d.init.scheme}, seed ` +
        `${d.init.seed}); zero biases`,
    );
  return out;
}

export const isDirty = (d) => changes(d).length > 0;

// Equal signatures mean equal networks: used to skip a preview that would change nothing.
export function signature(d) {
  const fresh = freshLayers(d);
  return JSON.stringify([
    d.dataset,
    sizes(d),
    activations(d),
    d.cost,
    fresh.map((l) => [l, d.layers[l].uid, d.layers[l - 1].uid]),
    fresh.length ? d.init : null,
  ]);
}

const SUPS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
export const sup = (i) => String(i).replace(/\d/g, (c) => SUPS[+c]);
