// A lesson step's live values: which API answers it needs, fetching them, and reading a
// dotted path ("backprop.layers.3.grad_w.0.0") out of them. Source names are those of
// app/lessons/__init__.py; every number comes from an API answer for the network and
// input the page shows now, so a changed sample or weight changes the text.

import { targetOf } from "../inspect/tree.js";

const TREE_BRANCHES = 4; // as the Tree tab draws it, so the text and the drawing agree

// The sources one step reads: from its values, its figure and its highlight.
export function sourcesOf(step) {
  const out = new Set(Object.values(step.values ?? {}).map((v) => v.split(".")[0]));
  if (step.figure === "bars") out.add(step.action?.kind === "train" ? "train" : "norms");
  if (step.figure === "curves") out.add("train");
  if (step.highlight === "top_path") out.add("paths");
  return out;
}

// The lesson's samples that fit a network (each.i and batch count only these).
export function samplesFor(lesson, sizes) {
  return lesson.samples.filter((s) => s.x.length === sizes[0] && s.y.length === sizes.at(-1));
}

// Answers that depend only on the lesson (its networks and samples) are kept per lesson;
// those that depend on what the learner changed (input, selection) are fetched each time.
export function createValues({ state, model }) {
  const kept = new Map(); // training runs: they depend on the lesson only
  let perNet = new Map(); // each, batch: reset whenever another network (or version) shows
  let keptFor = null;
  const once = (cache, key, make) => {
    if (!cache.has(key)) {
      const promise = make().catch((e) => {
        cache.delete(key); // a failure is not kept: the next visit asks again
        throw e;
      });
      cache.set(key, promise);
    }
    return cache.get(key);
  };

  async function fetchAll(lesson, step, signal) {
    const need = sourcesOf(step);
    const net = model.network;
    const src = model.source();
    const { x, y } = model.inputs;
    const sel = state.get("sel");
    const target = targetOf(sel);
    if (keptFor !== net) {
      perNet = new Map();
      keptFor = net;
    }
    const fit = samplesFor(lesson, net.spec.sizes);
    const ctx = {
      backprop: model.result,
      input: { x, y, dw: state.get("dw") },
      net: net.spec,
      norms: normsOf(model.result),
    };
    const jobs = [];
    const run = (name, promise) => jobs.push(promise.then((v) => (ctx[name] = v)));
    const call = (op, body) => model.compute(op, src, body, signal).then((r) => r.data);
    // Kept answers are shared between steps, so no one step's signal may abort them.
    const keep = (op, body) => model.compute(op, src, body).then((r) => r.data);
    if (need.has("each"))
      run(
        "each",
        once(perNet, "each", () => Promise.all(fit.map((s) => keep("backprop", { x: s.x, y: s.y })))),
      );
    if (need.has("batch"))
      run(
        "batch",
        once(perNet, "batch", () => keep("backprop", { x: fit.map((s) => s.x), y: fit.map((s) => s.y) })),
      );
    if (need.has("gradcheck")) run("gradcheck", call("gradcheck", { x, y }));
    if (need.has("paths")) run("paths", call("paths", { x, y, target, mode: "top", limit: 10 }));
    if (need.has("nudge")) run("nudge", call("nudge", { x, y, target, delta: state.get("dw") }));
    if (need.has("tree")) run("tree", call("tree", { x, y, target, max_branches: TREE_BRANCHES }));
    if (need.has("train") && step.action?.kind === "train") {
      const a = step.action;
      const key = `${lesson.id}:train:${JSON.stringify(a)}`;
      run(
        "train",
        once(kept, key, async () => {
          const out = {};
          for (const name of a.networks) {
            const spec = lesson.networks[name];
            const s = samplesFor(lesson, spec.sizes);
            const body = {
              samples: { x: s.map((v) => v.x), y: s.map((v) => v.y) },
              learning_rate: a.learning_rate,
              batch_size: s.length,
              steps: a.steps,
            };
            out[name] = (await model.compute("train", { network: spec }, body)).data;
          }
          return out;
        }),
      );
    }
    await Promise.all(jobs);
    return ctx;
  }

  return { fetchAll };
}

// |dC/dW^l| per layer (index = l; 0 is the input, which has no weights).
export function normsOf(result) {
  if (!result) return null;
  return result.layers.map((layer) =>
    layer.grad_w ? Math.sqrt(layer.grad_w.flat().reduce((s, v) => s + (v ?? 0) ** 2, 0)) : null,
  );
}

// "layers.3.grad_w.0.0" inside ctx.backprop; "-1" is the last entry.
export function resolve(ctx, path) {
  let v = ctx;
  for (const part of path.split(".")) {
    if (v == null) return undefined;
    v = /^-\d+$/.test(part) && Array.isArray(v) ? v.at(Number(part)) : v[part];
  }
  return v;
}
