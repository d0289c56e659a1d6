// The training run as the charts see it: one entry per SGD step (loss and accuracy on the
// evaluation samples after the step, and |dC/dW^l| of every layer during it), built from
// the train responses. Kept per network in sessionStorage, so a reload finds the same
// curves; dropped when the network has moved on to a version this page did not train.

const MAX_STEPS = 20_000; // past this, every other step is dropped (the curves keep their shape; saving stays cheap)
const KEY = (net) => `bpx-train:${net}`;

function blank(net, layers) {
  return {
    net,
    layers,
    version: null,
    step: [],
    loss: [],
    acc: null,
    norms: Array.from({ length: layers }, () => []),
    requests: 0,
  };
}

export function createHistory() {
  let h = blank(null, 0);

  function thin() {
    const keep = (a) => a.filter((_, i) => i % 2 === 1 || i === a.length - 1);
    h.step = keep(h.step);
    h.loss = keep(h.loss);
    if (h.acc) h.acc = keep(h.acc);
    h.norms = h.norms.map(keep);
  }

  return {
    get data() {
      return h;
    },
    get steps() {
      return h.step.length ? h.step[h.step.length - 1] : 0;
    },
    // A fresh history for this network, or the saved one if it ends at `version`.
    open(net, layers, version) {
      h = blank(net, layers);
      try {
        const saved = JSON.parse(sessionStorage.getItem(KEY(net)) ?? "null");
        if (saved && saved.version === version && saved.layers === layers && Array.isArray(saved.step))
          h = saved;
      } catch {
        // A damaged entry is no history at all.
      }
      h.version = version;
      return h.step.length > 0;
    },
    // One train response: `steps` new points.
    append(data) {
      const first = this.steps + 1;
      const n = data.loss.length;
      if (data.grad_norms.length !== n || data.grad_norms.some((g) => g.length !== h.layers)) {
        throw new Error(`train response: grad_norms must be ${n} steps × ${h.layers} layers`);
      }
      if (data.accuracy && !h.acc && h.step.length === 0) h.acc = [];
      for (let i = 0; i < n; i++) {
        h.step.push(first + i);
        h.loss.push(data.loss[i]);
        if (h.acc) h.acc.push(data.accuracy?.[i] ?? null);
        for (let l = 0; l < h.layers; l++) h.norms[l].push(data.grad_norms[i][l]);
      }
      h.version = data.version;
      h.requests++;
      while (h.step.length > MAX_STEPS) thin();
    },
    // One frame's loss points of the live stream: measured at the steps it names (not every
    // step is measured while playing).
    appendPoints(points, version) {
      const n = points.step.length;
      if (points.loss.length !== n || points.grad_norms.some((g) => g.length !== h.layers))
        throw new Error(`live frame: points must be ${n} steps × ${h.layers} layers`);
      if (points.accuracy.some((a) => a != null) && !h.acc && h.step.length === 0) h.acc = [];
      const base = h.base ?? 0;
      for (let i = 0; i < n; i++) {
        h.step.push(base + points.step[i]);
        h.loss.push(points.loss[i]);
        if (h.acc) h.acc.push(points.accuracy[i]);
        for (let l = 0; l < h.layers; l++) h.norms[l].push(points.grad_norms[i][l]);
      }
      if (version != null) h.version = version;
      while (h.step.length > MAX_STEPS) thin();
    },
    // The stream counts its steps from 0: they continue from where the curves end.
    startRun() {
      h.base = this.steps;
      return {};
    },
    save() {
      if (h.net == null) return;
      try {
        sessionStorage.setItem(KEY(h.net), JSON.stringify(h));
      } catch {
        sessionStorage.removeItem(KEY(h.net)); // over quota: better none than a stale one
      }
    },
  };
}
