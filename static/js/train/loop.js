// The play loop. One train request at a time, each asking for as many SGD steps as fit in
// about TARGET_MS, sent with if_version = the version this page holds (a 412 means another
// tab saved first). The next request goes out as soon as an answer is taken in: the
// answer's own bookkeeping (history, curves) is cheap and synchronous, and the expensive
// part, making the diagram and inspectors follow, is `follow`, which the caller throttles.
// So steps per second are set by the server, not by how long the page takes to redraw.
// A request in flight is never abandoned on pause: the server saves it either way, so the
// page waits for it and holds that version.

import { ApiError, isAbort } from "../core/api.js";

// One request's round trip: long enough to amortise its fixed cost (on a busy machine about
// 100 ms before any step is taken), short enough that Pause feels prompt.
const TARGET_MS = 250;
const EVAL_SAMPLES = 512; // as app/services/training.py: loss is measured on at most this many
const MAX_TRAIN_WORK = 2_000_000_000; // as Settings.max_train_work
const MAX_STEPS = 1_000_000; // as TrainRequest.steps

export const parameterCount = (sizes) => sizes.slice(1).reduce((s, n, i) => s + n * (sizes[i] + 1), 0);

// A learning rate that trains this kind of network at a watchable pace.
export function suggestedRate(spec) {
  const acts = spec.activations;
  if (acts.some((a) => a === "relu" || a === "leaky_relu" || a === "linear")) return 0.1;
  if (spec.cost === "cross_entropy" || spec.cost === "log_likelihood") return 0.5;
  if (acts.every((a) => a === "sigmoid")) return spec.cost === "sse" ? 1.5 : 3; // Nielsen's η = 3
  return spec.cost === "sse" ? 0.5 : 1;
}

// Why training stopped, from an API error: "conflict" (412), "diverged" (422 on the learning
// rate), or "error" (anything else).
export function classify(e) {
  if (e instanceof ApiError && e.status === 412) {
    const m = /version (\d+)/.exec(e.message);
    return { kind: "conflict", current: m ? Number(m[1]) : null };
  }
  if (e instanceof ApiError && e.status === 422 && /diverged/.test(e.message)) return { kind: "diverged" };
  return { kind: "error" };
}

// accept(data, {ms, steps}): take one answer in (synchronous, cheap).
// follow(): make the slow views catch up with the newest weights; returns a promise.
export function createTrainLoop({ model, params, accept, follow, onChange, onStop }) {
  let playing = false; // the user wants it to run
  let busy = false; // a request is under way
  let steps = 4; // per request; tuned after every answer
  let controller = null;
  const stats = { requests: 0, steps: 0, ms: [] };

  const notify = () => onChange({ playing, busy, steps });

  function trainable() {
    const net = model.network;
    return Boolean(net && net.id != null && net.dataset && model.datasets.has(net.dataset));
  }

  // The most steps one request may ask for under the server's work cap.
  function maxSteps(batch) {
    const net = model.network;
    const n = model.datasets.get(net.dataset).n_samples;
    const b = Math.min(batch, n);
    const work = (3 * b + Math.min(n, EVAL_SAMPLES)) * parameterCount(net.spec.sizes);
    return Math.max(1, Math.min(MAX_STEPS, Math.floor(MAX_TRAIN_WORK / work)));
  }

  // One train request; true if its answer was taken in.
  async function once(n) {
    const net = model.network;
    const { learningRate, batchSize } = params();
    const body = {
      dataset: net.dataset,
      learning_rate: learningRate,
      batch_size: batchSize,
      steps: Math.min(n, maxSteps(batchSize)),
      // A new shuffle per request (from the version it starts at), so successive requests
      // do not replay the same first mini-batches; the same start gives the same run.
      seed: net.version ?? 0,
      if_version: net.version,
    };
    controller = new AbortController();
    const t0 = performance.now();
    const { data } = await model.compute("train", { id: net.id }, body, controller.signal);
    const ms = performance.now() - t0;
    if (model.network !== net) return false; // another network was opened meanwhile
    stats.requests++;
    stats.steps += data.steps;
    stats.ms.push(ms);
    if (stats.ms.length > 200) stats.ms.shift();
    accept(data, { ms, steps: body.steps });
    retune(ms);
    return true;
  }

  function retune(ms) {
    const ratio = Math.min(2, Math.max(0.5, TARGET_MS / Math.max(ms, 1)));
    steps = Math.max(1, Math.min(maxSteps(params().batchSize), Math.round(steps * ratio)));
  }

  function fail(e) {
    playing = false;
    if (isAbort(e)) return;
    onStop(classify(e), e);
  }

  async function run(first) {
    busy = true;
    notify();
    const net = model.network;
    let ok = true;
    try {
      if (first != null) ok = await once(first);
      while (ok && playing && trainable()) {
        ok = await once(steps);
        if (ok) follow();
        notify();
      }
    } catch (e) {
      fail(e);
    }
    // The last answer is on screen before the loop says it is done (tests and Step rely on it).
    if (ok && model.network === net) await follow();
    busy = false;
    notify();
    if (playing && trainable() && model.network === net) run(); // Play pressed during a Step
  }

  return {
    play() {
      if (!trainable()) return;
      playing = true;
      if (busy) return notify();
      run();
    },
    // Exactly one mini-batch; resolves once the diagram and inspectors show it.
    step() {
      if (busy || !trainable()) return Promise.resolve();
      return run(1);
    },
    // The request in flight finishes and is shown; nothing more is sent.
    pause() {
      playing = false;
      notify();
    },
    // Another network: drop whatever is in flight for the old one.
    reset() {
      playing = false;
      controller?.abort();
      steps = 4;
      notify();
    },
    trainable,
    get playing() {
      return playing;
    },
    get busy() {
      return busy;
    },
    get stepsPerRequest() {
      return steps;
    },
    stats,
  };
}
