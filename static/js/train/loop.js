// Play, Pause and Step. Play opens the live stream (stream.js): the server trains without
// pause and the page draws each frame it sends. Step is one `POST .../train` of a single
// mini-batch, sent with if_version = the version this page holds (a 412 means another tab
// saved first). Either way the page ends up holding the version the server saved.

import { isAbort } from "../core/api.js";
import { openStream } from "./stream.js";

// Why training stopped, from the error body's code (an API error, or a stream's error
// message): "conflict" (another version was saved first), "diverged", or "error".
export function classify(e) {
  const code = e?.code ?? e?.body?.code;
  if (code === "version_conflict") return { kind: "conflict", current: e.version ?? null };
  if (code === "diverged") return { kind: "diverged", version: e.version ?? null };
  return { kind: "error" };
}

// start(): the stream's first message; frame(f): draw one frame (synchronous);
// accept(data): take a Step's train answer in; follow(): make the views catch up (a promise);
// onStop(why, error); onChange(): the buttons follow.
export function createTrainLoop({ model, params, start, frame, ended, accept, follow, onChange, onStop }) {
  let live = null; // the open stream while playing
  let stats = null; // the last stream's frames, bytes and steps
  let busy = false; // a Step request, or a stream winding down
  let controller = null;

  const notify = () => onChange();

  function trainable() {
    const net = model.network;
    // A network shared by link has no id of ours: Step and Play train our own copy of it.
    const saved = net?.id != null || net?.sharedBy != null;
    return Boolean(saved && net.dataset && model.datasets.has(net.dataset));
  }

  function play() {
    if (!trainable() || live || busy) return;
    const net = model.network;
    live = openStream({
      id: net.id,
      start: start(),
      onFrame: (f) => model.network === net && frame(f),
      onEnd: async (why) => {
        live = null;
        busy = true;
        notify();
        try {
          if (model.network === net) await ended(why);
          if (why.type === "error") onStop(classify(why), new Error(why.detail));
        } finally {
          busy = false;
          notify();
        }
      },
    });
    stats = live.stats;
    notify();
  }

  // Exactly one mini-batch; resolves once the diagram and inspectors show it.
  async function step() {
    if (busy || live || !trainable()) return;
    const net = model.network;
    const { learningRate, batchSize } = params();
    const body = {
      dataset: net.dataset,
      learning_rate: learningRate,
      batch_size: batchSize,
      steps: 1,
      seed: net.version ?? 0, // a new shuffle per version; the same start gives the same step
      if_version: net.version,
    };
    busy = true;
    notify();
    controller = new AbortController();
    try {
      const t0 = performance.now();
      const { data } = await model.compute("train", { id: net.id }, body, controller.signal);
      if (model.network === net) {
        accept(data, { ms: performance.now() - t0 });
        await follow();
      }
    } catch (e) {
      if (!isAbort(e)) onStop(classify(e), e);
    } finally {
      busy = false;
      notify();
    }
  }

  return {
    play,
    step,
    pause() {
      live?.pause();
      notify();
    },
    // Another network: drop whatever is under way for the old one.
    reset() {
      live?.close();
      live = null;
      controller?.abort();
      busy = false;
      notify();
    },
    // The learner changed the sample or the learning rate while playing.
    tell(msg) {
      if (msg.type === "sample") live?.sample(msg.x, msg.y);
      else live?.params(msg);
    },
    trainable,
    get playing() {
      return live != null;
    },
    get busy() {
      return busy;
    },
    get stats() {
      return stats;
    },
  };
}
