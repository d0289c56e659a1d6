// Train and watch it learn: Play, Pause, Step, the learning rate and the batch size, and the
// charts under the page. Every train response extends the curves and hands the page the
// new network (no extra GET); the diagram and the inspectors follow by re-running backprop
// for the sample in view (throttled while playing).

import { fmt } from "../core/format.js";
import { h } from "../ui/dom.js";
import { createBoundary } from "./boundary.js";
import { createCharts } from "./charts.js";
import { createHistory } from "./history.js";
import { createTrainLoop, suggestedRate } from "./loop.js";

const SAVE_EVERY_MS = 5000; // the curves go to sessionStorage at most this often while playing (and on pause, reload)
const FOLLOW_MS = 250; // while playing, the diagram and inspectors follow at most this often

export function createTrainView(el, { state, model, report }) {
  const history = createHistory();
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
    max: "1000",
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
  const lrHelp = h(
    "span",
    { class: "sr-only", id: "train-lr-help" },
    "η in w → w − η ∂C/∂w; between 0 and 1000",
  );
  el.append(
    h(
      "div",
      { class: "train-bar", role: "group", "aria-labelledby": "train-title" },
      h("h2", { id: "train-title" }, "Train"),
      play,
      step,
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
  const rateOf = () => {
    const v = state.get("lr");
    return v > 0 && v <= 1000 ? v : suggestedRate(model.network.spec);
  };
  const batchOf = () =>
    Math.max(1, Math.min(Math.trunc(state.get("bs")) || 10, info()?.n_samples ?? 10_000, 10_000));

  const loop = createTrainLoop({
    model,
    params: () => ({ learningRate: rateOf(), batchSize: batchOf() }),
    accept,
    follow,
    onChange: syncButtons,
    onStop: stopped,
  });

  let lastSave = 0;
  let lastMs = null;
  // One train answer: the page now holds that version. Cheap: the curves are redrawn at
  // most once per frame, and the network itself waits for follow().
  function accept(data, { ms }) {
    history.append(data);
    model.acceptTrained(data);
    lastMs = ms;
    charts.show(history.data);
    showStatus();
    if (performance.now() - lastSave > SAVE_EVERY_MS) {
      history.save();
      lastSave = performance.now();
    }
  }

  // The diagram, the inspectors and the decision boundary catch up with the weights the
  // page holds: one backprop for the sample in view at a time, and while playing at most
  // one every FOLLOW_MS, since each one rebuilds several panels (a long frame on a slow
  // machine). Answers that come meanwhile are folded into the next catch-up.
  let following = null;
  let again = false;
  let lastFollow = -Infinity;
  function follow() {
    if (following) {
      again = true;
      return following;
    }
    following = (async () => {
      do {
        again = false;
        const wait = lastFollow + FOLLOW_MS - performance.now();
        if (wait > 0 && loop.playing) await new Promise((r) => setTimeout(r, wait));
        lastFollow = performance.now();
        const version = model.network?.version;
        boundary.refresh();
        await model.recompute({ now: true });
        el.dataset.followed = String(version ?? "");
      } while (again);
    })().finally(() => {
      following = null;
    });
    return following;
  }

  function stopped(why, error) {
    const net = model.network;
    history.save();
    if (why.kind === "conflict") {
      const now = why.current != null ? `version ${why.current}` : "a newer version";
      report(
        new Error(
          `Training paused: this network was changed elsewhere (another tab saved ${now}; this page holds ` +
            `version ${net.version}). Load it to ` +
            `continue.`,
        ),
      );
      showMessage(
        "conflict",
        `Paused: another tab saved ${now} of this network while this page held version ${net.version}.`,
        h(
          "button",
          {
            type: "button",
            class: "step-btn",
            id: "train-reload",
            onclick: () => model.loadNetwork(net.id).catch(report),
          },
          `Load ${now}`,
        ),
      );
    } else if (why.kind === "diverged") {
      report(error);
      showMessage(
        "diverged",
        `Training diverged at η = ${fmt(rateOf())}: the weights overflowed, so nothing was saved and this ` +
          `is still version ${net.version}. Try a smaller learning ` +
          `rate.`,
      );
    } else {
      report(error);
      showMessage("error", `Training stopped: ${error.message}`);
    }
  }

  function showMessage(kind, text, ...extra) {
    message.dataset.kind = kind;
    message.replaceChildren(text ? h("p", { class: `train-note ${kind}` }, text, " ", ...extra) : "");
  }

  // ---- display -------------------------------------------------------------------------------
  let wasBusy = false;
  function syncButtons() {
    const can = loop.trainable();
    const playing = loop.playing;
    play.textContent = playing ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-label", playing ? "Pause training" : "Play: train continuously");
    play.disabled = !can;
    step.disabled = !can || loop.busy;
    el.dataset.playing = String(playing);
    el.dataset.busy = String(loop.busy);
    if (wasBusy && !loop.busy) history.save(); // a run just ended: keep its curves for a reload
    wasBusy = loop.busy;
    if (state.get("playing") !== playing) state.set({ playing });
    showStatus();
  }

  function showStatus() {
    const net = model.network;
    if (!net) return;
    const d = history.data;
    const n = d.step.length;
    el.dataset.version = String(net.version ?? "");
    el.dataset.steps = String(history.steps);
    const parts = [`version ${net.version ?? "–"}`, `${history.steps} steps`];
    if (n) parts.push(`loss ${fmt(d.loss[n - 1], 4)}`);
    if (n && d.acc) parts.push(`accuracy ${Math.round((d.acc[n - 1] ?? 0) * 1000) / 10}%`);
    status.textContent = parts.join(" · ");
    rate.textContent =
      lastMs != null && loop.busy
        ? `${loop.stepsPerRequest} steps per request · ${Math.round(lastMs)} ms`
        : "";
  }

  function syncInputs() {
    if (!model.network) return;
    if (document.activeElement !== lr) lr.value = String(rateOf());
    if (document.activeElement !== bs) bs.value = String(batchOf());
    const n = info()?.n_samples;
    bs.max = String(Math.min(n ?? 10_000, 10_000));
  }

  lr.addEventListener("input", () => {
    const v = Number(lr.value);
    const ok = lr.value.trim() !== "" && Number.isFinite(v) && v > 0 && v <= 1000;
    lr.setAttribute("aria-invalid", String(!ok));
    if (ok) state.set({ lr: v });
  });
  bs.addEventListener("input", () => {
    const v = Number(bs.value);
    const ok = Number.isInteger(v) && v >= 1 && v <= Number(bs.max || 10_000);
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
    const net = model.network;
    if (!net?.readOnly) return;
    const copy = await model.copyNetwork(net.id);
    await model.refreshCatalogue();
    await model.loadNetwork(copy.id);
  }
  play.addEventListener("click", () => {
    if (loop.playing) {
      loop.pause();
      history.save();
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
    if (net.draft)
      return "Training works on the saved network: save or discard the changes in the Build panel first.";
    if (net.id == null)
      return "Training needs a saved network: this server has no store, so these built-in networks are read-only.";
    return "Training needs a dataset: this network has none to learn from.";
  }

  function openNetwork() {
    loop.reset();
    showMessage(null, "");
    const net = model.network;
    const L = net.spec.sizes.length - 1;
    lastMs = null;
    history.open(net.id != null ? `${net.id}` : `demo:${net.key}`, L, net.version ?? null);
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
    if (changed.has("lr") || changed.has("bs")) syncInputs();
    if (changed.has("charts")) syncToggle();
  });
  window.addEventListener("pagehide", () => history.save());

  return {
    loop,
    history,
    charts,
    boundary,
    play: () => loop.play(),
    pause: () => loop.pause(),
  };
}
