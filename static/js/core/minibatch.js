// The mini-batch behind every "mean over the batch" number on the page: `bs` samples of
// the dataset starting at the sample in view (wrapping round at the end), one backprop
// over all of them. Its cost is the mean C (the sample's own is C_x), and its grad_w is
// the gradient a mini-batch SGD step uses. The header, the edge colouring, the Inspector
// and the Batch tab all read this one answer, so they always speak of the same batch.

import { freshSignal, isAbort } from "./api.js";
import { meta } from "./meta.js";

export function createMinibatch(state, model, report) {
  const listeners = new Set();
  const rowCache = new Map(); // "name:start:B" -> rows; a dataset never changes
  let pending = null; // what the request in flight is for
  const mb = {
    value: null, // { net, spec, name, start, B, n, index, x, y, labels, classNames, r }
    on(fn) {
      listeners.add(fn);
    },
    // The latest answer if it belongs to the network on screen (while training plays it
    // may trail the weights by one step; `fresh` says whether it is for these weights).
    current() {
      const v = mb.value;
      return v && v.net === model.network ? v : null;
    },
    get fresh() {
      return mb.value != null && mb.value.spec === model.network?.spec;
    },
    refresh,
  };
  const emit = () => {
    for (const fn of listeners) fn(mb);
  };

  async function rows(name, start, count, signal) {
    const key = `${name}:${start}:${count}`;
    if (rowCache.has(key)) return rowCache.get(key);
    const n = model.datasets.get(name).n_samples;
    const first = Math.min(count, n - start);
    const a = await model.dataset(name, start, first, signal);
    const out = { x: a.x, y: a.y, labels: a.labels, classNames: a.class_names ?? [] };
    if (first < count) {
      const b = await model.dataset(name, 0, count - first, signal);
      out.x = out.x.concat(b.x);
      out.y = out.y.concat(b.y);
      out.labels = out.labels.concat(b.labels);
    }
    out.index = Array.from({ length: count }, (_, i) => (start + i) % n);
    if (rowCache.size > 20) rowCache.clear();
    rowCache.set(key, out);
    return out;
  }

  async function refresh() {
    const net = model.network;
    const info = net?.dataset ? model.datasets.get(net.dataset) : null;
    if (!info) {
      if (mb.value) {
        mb.value = null;
        emit();
      }
      return;
    }
    const n = info.n_samples;
    // The training batch size (its default is the server's), within the server's cap per request.
    const size = state.get("bs") ?? meta.datasets[net.dataset].batch_size;
    const B = Math.max(1, Math.min(Math.trunc(size), n, meta.limits.max_batch));
    const start = Math.max(0, Math.min(n - 1, Math.trunc(state.get("sample") ?? 0)));
    const spec = net.spec;
    // The same weights and samples as the answer held (or asked for): nothing new to compute.
    // A new custom input, say, changes C_x but not the batch.
    const key = { net, spec, start, B };
    const same = (v) => v && v.net === net && v.spec === spec && v.start === start && v.B === B;
    if (same(mb.value) || same(pending)) return;
    pending = key;
    const signal = freshSignal("minibatch");
    // The same source as the sample's own backprop, so C_x and C are of one network: taken
    // now, since another network (a lesson's, say) may be on screen once the rows are here.
    const source = model.source();
    try {
      const d = await rows(net.dataset, start, B, signal);
      if (model.network !== net) return;
      const { data } = await model.compute("backprop", source, { x: d.x, y: d.y }, signal);
      if (model.network !== net) return;
      mb.value = { net, spec, name: net.dataset, start, B, n, ...d, r: data, version: net.version };
      emit();
    } catch (e) {
      if (!isAbort(e)) report(e);
    } finally {
      if (pending === key) pending = null;
    }
  }

  model.on((what) => {
    if (what === "network") {
      mb.value = null;
      pending = null;
      emit();
    }
    if (what === "result") refresh(); // new weights or a new sample in view
  });
  state.subscribe((changed) => {
    if (changed.has("bs")) refresh();
  });
  return mb;
}

// "samples 3–12 of xor" for a mini-batch value.
export function describeBatch(v) {
  const end = (v.start + v.B - 1) % v.n;
  return `${v.B} sample${v.B > 1 ? "s" : ""} of ${v.name}, #${v.start}${v.B > 1 ? `–${end}` : ""}`;
}
