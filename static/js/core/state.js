// ONE object holds everything the user can see or choose. Keys marked `url` live in
// the query string too, so a link reproduces the view; the rest (hover, focus) are
// transient. Views never keep their own copies: they read from here and call set().

const num = {
  parse: (s) => (s === "" || s == null || Number.isNaN(Number(s)) ? undefined : Number(s)),
  format: String,
};
const str = { parse: (s) => s ?? undefined, format: String };
const list = {
  parse: (s) => {
    if (!s) return undefined;
    const v = s.split(",").map(Number);
    return v.every(Number.isFinite) ? v : undefined;
  },
  format: (v) => v.map((x) => +x.toPrecision(6)).join(","),
};
const oneOf = (...allowed) => ({ parse: (s) => (allowed.includes(s) ? s : undefined), format: String });

// Selection as text: "n:l:j" (neuron), "w:l:j:k" (weight), "b:l:j" (bias).
export function parseSelection(s) {
  if (!s) return null;
  const [kind, ...rest] = s.split(":");
  const nums = rest.map(Number);
  if (!nums.every((n) => Number.isInteger(n) && n >= 0)) return null;
  if (kind === "n" && nums.length === 2) return { kind: "neuron", layer: nums[0], j: nums[1] };
  if (kind === "b" && nums.length === 2) return { kind: "bias", layer: nums[0], j: nums[1] };
  if (kind === "w" && nums.length === 3) return { kind: "weight", layer: nums[0], j: nums[1], k: nums[2] };
  return null;
}
export function formatSelection(sel) {
  if (!sel) return "";
  if (sel.kind === "weight") return `w:${sel.layer}:${sel.j}:${sel.k}`;
  return `${sel.kind === "bias" ? "b" : "n"}:${sel.layer}:${sel.j}`;
}
export const sameSelection = (a, b) => formatSelection(a) === formatSelection(b);

// Whether a selection (from the URL, or another network) names a quantity that exists in a
// network of these sizes. No selection names nothing, so it does not fit.
export function selectionFits(sel, sizes) {
  if (!sel) return false;
  const L = sizes.length - 1;
  if (sel.layer > L || sel.j >= sizes[sel.layer] || (sel.kind !== "neuron" && sel.layer < 1)) return false;
  return sel.kind !== "weight" || sel.k < sizes[sel.layer - 1];
}

const SCHEMA = {
  net: { url: true, codec: str, initial: null }, // saved network id, or "demo:<name>"
  sel: { url: true, codec: { parse: parseSelection, format: formatSelection }, initial: null },
  edge: { url: true, codec: oneOf("grad", "mean", "weight"), initial: "grad" }, // mean: over the mini-batch
  tab: { url: true, codec: oneOf("inspector", "paths", "nudge", "batch", "tree"), initial: "inspector" },
  view: { url: true, codec: oneOf("canvas", "table"), initial: "canvas" },
  sample: { url: true, codec: num, initial: 0 }, // dataset sample index
  input: { url: true, codec: oneOf("sample", "custom"), initial: "sample" },
  x: { url: true, codec: list, initial: null, urlIf: (v) => v.input === "custom" && v.x?.length <= 16 },
  y: { url: true, codec: list, initial: null, urlIf: (v) => v.input === "custom" && v.y?.length <= 16 },
  dw: { url: true, codec: num, initial: 0.1 }, // nudge size delta-w
  step: { url: true, codec: num, initial: null }, // stepper position; null = finished
  // The left column: input, editor, saved networks, the lesson being played.
  panel: { url: true, codec: oneOf("input", "build", "saved", "lesson"), initial: "input" },
  // The lesson being played (lessons/runner.js) and its step, 1-based as the page shows it.
  // Not `step`: that is the stepper's position, and a lesson step may use the stepper.
  lesson: {
    url: true,
    codec: { parse: (s) => (/^[a-z][a-z0-9-]{0,39}$/.test(s ?? "") ? s : undefined), format: String },
    initial: null,
  },
  lstep: { url: true, codec: num, initial: null },
  edgeWalk: { url: false, initial: false }, // keyboard: arrows walk edges, not neurons
  hover: { url: false, initial: null }, // neuron/edge under the pointer
  hoverPath: { url: false, initial: null }, // a path from the paths list under the pointer
  // Training (train/train.js): learning rate (null = suggested for the network), batch size.
  lr: { url: true, codec: num, initial: null },
  bs: { url: true, codec: num, initial: 10 },
  playing: { url: false, initial: false }, // the play loop is running
  charts: { url: true, codec: oneOf("open", "closed"), initial: "open" }, // the training charts
  stepper: { url: true, codec: oneOf("open", "closed"), initial: "open" }, // "Backprop, step by step" folded?
};

export function createState(search = window.location.search) {
  const values = {};
  const query = new URLSearchParams(search);
  for (const [key, spec] of Object.entries(SCHEMA)) {
    const parsed = spec.url && query.has(key) ? spec.codec.parse(query.get(key)) : undefined;
    values[key] = parsed === undefined ? spec.initial : parsed;
  }
  const listeners = new Set();

  function writeUrl() {
    const q = new URLSearchParams();
    for (const [key, spec] of Object.entries(SCHEMA)) {
      const v = values[key];
      if (!spec.url || v == null || v === spec.initial) continue;
      if (spec.urlIf && !spec.urlIf(values)) continue;
      const text = spec.codec.format(v);
      if (text !== "") q.set(key, text);
    }
    const next = q.toString() ? `?${q}` : window.location.pathname;
    if (next !== window.location.search) window.history.replaceState(null, "", next);
  }

  function set(patch) {
    const changed = new Set();
    for (const [key, value] of Object.entries(patch)) {
      if (!(key in SCHEMA)) throw new Error(`state has no key "${key}"`);
      const before = values[key];
      const same =
        key === "sel" || key === "hover"
          ? sameSelection(before, value) && before?.kind === value?.kind
          : key === "hoverPath"
            ? before === value
            : JSON.stringify(before) === JSON.stringify(value);
      if (!same) {
        values[key] = value;
        changed.add(key);
      }
    }
    if (changed.size === 0) return changed;
    if ([...changed].some((k) => SCHEMA[k].url)) writeUrl();
    for (const fn of listeners) {
      // One failing view must not stop the others; the error still reaches the banner.
      try {
        fn(changed, values);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    return changed;
  }

  return {
    get values() {
      return values;
    },
    get: (key) => values[key],
    set,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
