// The training run as the charts see it: one entry per SGD step (loss, accuracy and held-out
// accuracy after the step, |dC/dW^l| of every layer during it). The server keeps these with
// the network (GET /api/networks/{id}/training, thinned beyond a few thousand steps), so
// opening a network or reloading the page starts from its record; each train response then
// extends it here.

const MAX_STEPS = 20_000; // past this, every other step is dropped (the curves keep their shape)

function blank(net, layers) {
  return {
    net,
    layers,
    version: null,
    total: 0, // steps behind the current weights (the last step's number)
    step: [],
    loss: [],
    acc: null,
    held: null,
    norms: Array.from({ length: layers }, () => []),
    stall: null,
    suggested: null,
    requests: 0,
  };
}

const orNull = (a) => (a?.some((v) => v != null) ? a : null);

export function createHistory(model) {
  let h = blank(null, 0);

  function thin() {
    const keep = (a) => a.filter((_, i) => i % 2 === 1 || i === a.length - 1);
    h.step = keep(h.step);
    h.loss = keep(h.loss);
    if (h.acc) h.acc = keep(h.acc);
    if (h.held) h.held = keep(h.held);
    h.norms = h.norms.map(keep);
  }

  return {
    get data() {
      return h;
    },
    get steps() {
      return h.total;
    },
    // A fresh history for this network; then its record from the server (saved networks).
    // An older version opened read-only shows the part of the head's run that led to it.
    async open(net, layers, signal) {
      h = blank(net.key, layers);
      h.version = net.version ?? null;
      const ro = net.readOnly;
      if (net.id == null && !ro) return h;
      const r = await model.training(ro ? ro.id : net.id, signal);
      let p = r.points;
      if (ro) {
        const keep = p.version.map((v) => v <= ro.version);
        p = Object.fromEntries(Object.entries(p).map(([k, a]) => [k, a?.filter((_, i) => keep[i]) ?? null]));
        const n = p.step.length;
        if (!n || r.version !== ro.head) return h;
        Object.assign(r, {
          version: net.version,
          steps: p.step[n - 1],
          loss: p.loss[n - 1],
          accuracy: p.accuracy?.[n - 1] ?? null,
          held_out_accuracy: p.held_out_accuracy?.[n - 1] ?? null,
          stall: null,
        });
      }
      if (r.version !== net.version || p.grad_norms.some((g) => g.length !== layers)) return h; // moved on
      Object.assign(h, {
        total: r.steps,
        step: p.step,
        loss: p.loss,
        acc: orNull(p.accuracy),
        held: orNull(p.held_out_accuracy),
        norms: Array.from({ length: layers }, (_, l) => p.grad_norms.map((g) => g[l])),
        stall: r.stall,
        suggested: r.suggested_learning_rate,
        lastAcc: r.accuracy,
        lastHeld: r.held_out_accuracy,
        lastLoss: r.loss,
      });
      return h;
    },
    // One train response: its points, numbered up to its total_steps (a long run's series
    // are thinned by the server; `at` then names each point's step within the run).
    append(data) {
      const n = data.loss.length;
      if (data.grad_norms.length !== n || data.grad_norms.some((g) => g.length !== h.layers)) {
        throw new Error(`train response: grad_norms must be ${n} points × ${h.layers} layers`);
      }
      if (data.at && data.at.length !== n) throw new Error(`train response: at must have ${n} steps`);
      const before = data.total_steps - data.steps; // the steps behind this run's start
      const first = before + 1;
      // Points past this run's start belong to a future a restore abandoned.
      while (h.step.length && h.step[h.step.length - 1] >= first) {
        h.step.pop();
        h.loss.pop();
        h.acc?.pop();
        h.held?.pop();
        for (const y of h.norms) y.pop();
      }
      if (data.accuracy && !h.acc) h.acc = h.step.map(() => null);
      if (data.held_out_accuracies && !h.held) h.held = h.step.map(() => null);
      for (let i = 0; i < n; i++) {
        h.step.push(before + (data.at ? data.at[i] : i + 1));
        h.loss.push(data.loss[i]);
        if (h.acc) h.acc.push(data.accuracy?.[i] ?? null);
        if (h.held) h.held.push(data.held_out_accuracies?.[i] ?? null);
        for (let l = 0; l < h.layers; l++) h.norms[l].push(data.grad_norms[i][l]);
      }
      h.total = data.total_steps;
      h.version = data.version;
      h.stall = data.stall ?? null;
      h.lastLoss = data.loss[n - 1];
      h.lastAcc = data.accuracy?.[n - 1] ?? null;
      h.lastHeld = data.held_out_accuracies?.[n - 1] ?? null;
      h.requests++;
      while (h.step.length > MAX_STEPS) thin();
    },
    // One frame's loss points of the live stream: measured at the steps it names (not every
    // step is measured while playing); the server keeps the same points with the checkpoints.
    appendPoints(points, version) {
      const n = points.step.length;
      if (points.loss.length !== n || points.grad_norms.some((g) => g.length !== h.layers))
        throw new Error(`live frame: points must be ${n} steps × ${h.layers} layers`);
      const held = points.held_out_accuracy ?? [];
      if (points.accuracy.some((a) => a != null) && !h.acc) h.acc = h.step.map(() => null);
      if (held.some((a) => a != null) && !h.held) h.held = h.step.map(() => null);
      const base = h.base ?? 0;
      for (let i = 0; i < n; i++) {
        h.step.push(base + points.step[i]);
        h.loss.push(points.loss[i]);
        if (h.acc) h.acc.push(points.accuracy[i]);
        if (h.held) h.held.push(held[i] ?? null);
        for (let l = 0; l < h.layers; l++) h.norms[l].push(points.grad_norms[i][l]);
      }
      if (n) {
        h.total = base + points.step[n - 1];
        h.lastLoss = points.loss[n - 1];
        h.lastAcc = points.accuracy[n - 1] ?? null;
        h.lastHeld = held[n - 1] ?? null;
      }
      if (version != null) h.version = version;
      while (h.step.length > MAX_STEPS) thin();
    },
    // The stream counts its steps from 0: they continue from where the curves end.
    startRun() {
      h.base = this.steps;
      return {};
    },
  };
}
