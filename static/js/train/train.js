// Train and watch it learn: Play, Pause, Step, New weights, the learning rate and the batch
// size, and the charts under the page. While playing, each frame of the live stream hands the
// page the network, the shown sample's pass, the boundary and the new loss points, drawn at
// once; a Step's train answer extends the curves and the views follow by one backprop. The
// curves, the stall verdict and the suggested rate come from the server's training record.

import { ApiError, isAbort } from "../core/api.js";
import { fmt } from "../core/format.js";
import { meta, suggestedRate } from "../core/meta.js";
import { h } from "../ui/dom.js";
import { createBoundary } from "./boundary.js";
import { createCharts } from "./charts.js";
import { frameResult } from "./frames.js";
import { createHistory } from "./history.js";
import { classify, createTrainLoop } from "./loop.js";
import { createStops } from "./stops.js";
import { createUndo } from "./undo.js";

export function createTrainView(el, { state, model, report }) {
  const history = createHistory(model);
  const charts = createCharts();
  const boundary = createBoundary({ state, model, report });

  // ---- controls --------------------------------------------------------------------------
  const play = h("button", { type: "button", class: "step-btn train-play", id: "train-play" }, "▶ Play");
  const step = h(
    "button",
    { type: "button", class: "step-btn", id: "train-step", "aria-label": "Train one mini-batch step" },
    "Step ▸|",
  );
  const lr = h("input", {
    id: "train-lr",
    class: "num-input",
    type: "number",
    min: "0",
    step: "any",
    inputmode: "decimal",
    "aria-describedby": "train-lr-help",
  });
  const bs = h("input", {
    id: "train-bs",
    class: "num-input",
    type: "number",
    min: "1",
    step: "1",
    inputmode: "numeric",
  });
  const reset = h(
    "button",
    {
      type: "button",
      class: "step-btn",
      id: "train-reset",
      title: "Draw new random weights (a new seed), saved as a new version; the old ones stay in Saved",
    },
    "↺ New weights",
  );
  const status = h("span", { class: "train-status num", id: "train-status" });
  const rate = h("span", { class: "train-rate muted small", id: "train-rate" });
  const toggle = h("button", {
    type: "button",
    class: "step-btn",
    id: "train-charts-toggle",
    "aria-controls": "train-charts",
  });
  const message = h("div", {
    class: "train-message",
    id: "train-message",
    role: "status",
    "aria-live": "polite",
  });
  const lrHelp = h("span", { class: "sr-only", id: "train-lr-help" }, "η in w → w − η ∂C/∂w");
  el.append(
    h(
      "div",
      { class: "train-bar", role: "group", "aria-labelledby": "train-title" },
      h("h2", { id: "train-title" }, "Train"),
      play,
      step,
      reset,
      h("label", { class: "field inline", for: "train-lr" }, "learning rate η", lr),
      lrHelp,
      h("label", { class: "field inline", for: "train-bs" }, "batch size", bs),
      status,
      rate,
      toggle,
    ),
    message,
    h("div", { class: "train-charts", id: "train-charts" }, boundary.element, ...charts.elements),
  );

  const info = () => model.datasets.get(model.network?.dataset ?? "") ?? null;
  // A learning rate or batch size from a hand-edited URL is used only if the API would take it.
  // Bounds and defaults are the server's (core/meta.js).
  const maxRate = () => meta.training.max_learning_rate;
  const maxBatch = () =>
    Math.min(info()?.n_samples ?? Number.POSITIVE_INFINITY, meta.training.max_batch_size);
  const rateOf = () => {
    const v = state.get("lr");
    return v > 0 && v <= maxRate()
      ? v
      : (history.data.suggested ?? suggestedRate(model.network.spec, model.network.dataset));
  };
  const defaultBatch = () => meta.datasets[model.network?.dataset ?? ""]?.batch_size ?? 10;
  const batchOf = () => Math.max(1, Math.min(Math.trunc(state.get("bs")) || defaultBatch(), maxBatch()));

  const stopped = createStops({ model, report, showMessage, rate: rateOf });

  const loop = createTrainLoop({
    model,
    params: () => ({ learningRate: rateOf(), batchSize: batchOf() }),
    start: () => ({
      ...history.startRun(),
      dataset: model.network.dataset,
      learning_rate: rateOf(),
      batch_size: batchOf(),
      // A new shuffle per version, so successive runs do not replay the same first batches.
      seed: model.network.version ?? 0,
      if_version: model.network.version,
      sample: shownSample(),
      grid: boundary.grid(),
    }),
    frame: drawFrame,
    ended,
    accept,
    follow,
    onChange: syncButtons,
    onStop: stopped,
  });

  const undo = createUndo({
    model,
    history,
    state,
    button: reset,
    busy: () => !loop.trainable() || loop.busy,
    rate: rateOf,
    showMessage,
    sync: () => syncButtons(),
    onError: (e) => (e instanceof ApiError && e.status === 412 ? stopped(classify(e), e) : report(e)),
  });
  const showStall = () => undo.showStall(message);

  function shownSample() {
    const x = state.get("x");
    const y = state.get("y");
    const sizes = model.network.spec.sizes;
    return x?.length === sizes[0] && y?.length === sizes.at(-1) ? { x: [x], y: [y] } : null;
  }

  // One frame of the stream: everything it carries is drawn now, in this task.
  let frames = 0;
  function drawFrame(f) {
    const { header, arrays } = f;
    const { network, result } = frameResult(f, model.network.spec, state.get("x"));
    history.appendPoints(header.points, header.version);
    model.applyFrame({ network, result, version: header.version, exact: header.exact });
    if (arrays.boundary) boundary.show(arrays.boundary.data, model.network.version);
    charts.show(history.data);
    frames++;
    el.dataset.frames = String(frames);
    showStatus(header.step);
  }

  // The stream ended: the page holds the version the server saved; on a large network the
  // frames carried float32 weights, so the exact ones are fetched before the views follow.
  async function ended(why) {
    const net = model.network;
    if (why.version != null) net.version = why.version;
    if (why.type === "closed" && why.version == null) return;
    await model.refreshWeights();
    await follow();
    await reloadRecord(); // the server's record of the run: held-out accuracy, stall
  }

  let lastMs = null;
  // A Step's train answer: the page now holds that version.
  function accept(data, { ms }) {
    history.append(data);
    model.acceptTrained(data);
    lastMs = ms;
    charts.show(history.data);
    showStatus();
    showStall();
  }

  // The diagram, the inspectors and the decision boundary catch up with the weights the
  // page holds: one backprop for the sample in view, one forward pass over the grid.
  async function follow() {
    const version = model.network?.version;
    boundary.refresh();
    await model.recompute({ now: true });
    el.dataset.followed = String(version ?? "");
  }

  function showMessage(kind, text, ...extra) {
    message.dataset.kind = kind;
    delete message.dataset.stall;
    message.replaceChildren(text ? h("p", { class: `train-note ${kind}` }, text, " ", ...extra) : "");
  }

  // ---- display -------------------------------------------------------------------------------
  function syncButtons() {
    const can = loop.trainable();
    const playing = loop.playing;
    play.textContent = playing ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-label", playing ? "Pause training" : "Play: train continuously");
    play.disabled = !can;
    step.disabled = !can || loop.busy;
    reset.disabled = !can || loop.busy || playing || undo.resetting;
    el.dataset.playing = String(playing);
    el.dataset.busy = String(loop.busy);
    if (state.get("playing") !== playing) state.set({ playing });
    showStatus();
  }

  function showStatus(liveStep) {
    const net = model.network;
    if (!net) return;
    const d = history.data;
    el.dataset.version = String(net.version ?? "");
    el.dataset.steps = String(history.steps);
    const parts = [`${liveStep ?? history.steps} steps`]; // the version is in the Saved panel and the title
    const pct = (v) => `${Math.round(v * 1000) / 10}%`;
    const any = liveStep ?? history.steps;
    if (any && d.lastLoss != null) parts.push(`loss ${fmt(d.lastLoss, 3)}`);
    if (any && d.lastAcc != null) parts.push(`acc ${pct(d.lastAcc)}`);
    if (any && d.lastHeld != null) parts.push(`held-out ${pct(d.lastHeld)}`);
    status.dataset.heldOut = d.lastHeld != null && any ? String(d.lastHeld) : "";
    status.textContent = parts.join(" · ");
    status.title = status.textContent;
    status.title = `version ${net.version ?? "–"} of this network`;
    const st = loop.playing ? loop.stats : null;
    const s = st ? (performance.now() - st.opened) / 1000 : 0;
    rate.textContent =
      st && s > 0.5
        ? `${Math.round(st.frames / s)} frames/s · ${Math.round(st.bytes / 1024 / s)} kB/s`
        : lastMs != null && !loop.playing
          ? `one step · ${Math.round(lastMs)} ms`
          : "";
  }

  function syncInputs() {
    if (!model.network) return;
    if (document.activeElement !== lr) lr.value = String(rateOf());
    if (document.activeElement !== bs) bs.value = String(batchOf());
    bs.max = String(maxBatch());
    lr.max = String(maxRate());
    lrHelp.textContent = `η in w → w − η ∂C/∂w; between 0 and ${maxRate()}`;
  }

  lr.addEventListener("input", () => {
    const v = Number(lr.value);
    const ok = lr.value.trim() !== "" && Number.isFinite(v) && v > 0 && v <= maxRate();
    lr.setAttribute("aria-invalid", String(!ok));
    if (ok) state.set({ lr: v });
  });
  bs.addEventListener("input", () => {
    const v = Number(bs.value);
    const ok = Number.isInteger(v) && v >= 1 && v <= maxBatch();
    bs.setAttribute("aria-invalid", String(!ok));
    if (ok) state.set({ bs: v });
  });
  for (const input of [lr, bs]) {
    input.addEventListener("blur", () => {
      input.removeAttribute("aria-invalid");
      syncInputs();
    });
  }
  // On a shared server the demos are read-only: training one opens an owned copy first.
  async function own() {
    if (model.network?.shared) await model.ownCopy();
  }
  play.addEventListener("click", () => {
    if (loop.playing) {
      loop.pause();
    } else {
      showMessage(null, "");
      own()
        .then(() => loop.play())
        .catch(report);
    }
  });
  step.addEventListener("click", () => {
    showMessage(null, "");
    own()
      .then(() => loop.step())
      .catch(report);
  });

  function unavailableReason(net) {
    if (net.readOnly)
      return (
        `This is version ${net.version} of “${net.name}”, read-only. Restore it in the Saved panel ` +
        "to train from here."
      );
    if (net.draft)
      return "Training works on the saved network: save or discard the changes in the Build panel first.";
    if (net.lesson)
      return "A lesson's network lives in the page, not in the store, so this dock cannot train it.";
    if (net.id == null)
      return "Training needs a saved network: this server has no store, so these built-in networks are read-only.";
    return "Training needs a dataset: this network has none to learn from.";
  }

  // The network's training record from the server: the curves, the stall, the suggested rate.
  let opening = null;
  async function reloadRecord() {
    const net = model.network;
    opening?.abort();
    opening = new AbortController();
    el.dataset.record = "loading";
    try {
      await history.open(net, net.spec.sizes.length - 1, opening.signal);
    } catch (e) {
      if (!isAbort(e)) report(e);
      return;
    }
    if (model.network !== net) return;
    el.dataset.record = "loaded";
    charts.show(history.data);
    syncInputs();
    showStatus();
    showStall();
  }

  function openNetwork() {
    loop.reset();
    showMessage(null, "");
    lastMs = null;
    const net = model.network;
    history.open({ ...net, id: null, readOnly: null }, net.spec.sizes.length - 1); // empty until it loads
    reloadRecord();
    charts.show(history.data);
    boundary.open();
    syncInputs();
    syncButtons();
    if (!loop.trainable()) {
      showMessage("unavailable", unavailableReason(net));
    }
  }

  toggle.addEventListener("click", () =>
    state.set({ charts: state.get("charts") === "closed" ? "open" : "closed" }),
  );
  function syncToggle() {
    const open = state.get("charts") !== "closed";
    el.dataset.charts = open ? "open" : "closed";
    toggle.textContent = open ? "Hide charts" : "Show charts";
    toggle.setAttribute("aria-expanded", String(open));
    if (open) charts.show(history.data);
  }
  syncToggle();

  model.on((what) => {
    if (what === "network") openNetwork();
  });
  state.subscribe((changed) => {
    if (changed.has("lr") || changed.has("bs")) {
      syncInputs();
      loop.tell({ type: "params", learning_rate: rateOf(), batch_size: batchOf() });
    }
    if ((changed.has("x") || changed.has("y")) && loop.playing) {
      const s = shownSample();
      if (s) loop.tell({ type: "sample", x: s.x[0], y: s.y[0] });
    }
    if (changed.has("charts")) syncToggle();
  });

  return {
    loop,
    history,
    charts,
    boundary,
    play: () => loop.play(),
    pause: () => loop.pause(),
  };
}
