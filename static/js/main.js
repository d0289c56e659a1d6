// Wiring: one state, one model, one module per view. Nothing here computes or draws.

import { createEditor } from "./build/editor.js";
import { fmt } from "./core/format.js";
import { createMinibatch, describeBatch } from "./core/minibatch.js";
import { createModel } from "./core/model.js";
import { createState } from "./core/state.js";
import { createCanvasView } from "./diagram/canvas.js";
import { renderLegend } from "./diagram/legend.js";
import { createInputsView } from "./input/inputs.js";
import { createSampleBrowser } from "./input/samples.js";
import { createBatchView } from "./inspect/batch.js";
import { createInspector } from "./inspect/inspector.js";
import { createNudgeView } from "./inspect/nudge.js";
import { createPathsView } from "./inspect/paths.js";
import { createStepper } from "./inspect/stepper.js";
import { createTableView } from "./inspect/table.js";
import { createTreeView } from "./inspect/tree.js";
import { createLessonRunner } from "./lessons/runner.js";
import { offerWelcome } from "./lessons/welcome.js";
import { createLibrary } from "./saved/library.js";
import { createTrainView } from "./train/train.js";
import { createErrorBanner } from "./ui/errors.js";
import { createNotation } from "./ui/notation.js";
import { createTrainQuiet } from "./ui/quiet.js";
import { createSidePanels } from "./ui/side-panels.js";
import { createTabs } from "./ui/tabs.js";
import { allowTex, katexReady, sampleCostText } from "./ui/tex.js";

const $ = (id) => document.getElementById(id);
// As the reflow media query in app.css: below this the document scrolls and columns stack.
const SMALL_SCREEN = "(max-width: 999.98px), (max-height: 559.98px)";

const banner = createErrorBanner($("error-banner"));
const report = (error, level) => banner.report(error, level);
const state = createState();
const model = createModel(state, report);
const minibatch = createMinibatch(state, model, report);

// ---- legend: re-rendered only when a scale it shows has changed ----------------------
let legendKey = "";
function updateLegend() {
  const mb = minibatch.current();
  const info = {
    ...canvasView.renderer.scaleInfo(),
    costText: sampleCostText(model.network?.spec.cost),
    batch: mb ? String(mb.B) : null,
  };
  // To the two digits it prints: while training plays the maximum moves every frame.
  const two = (v) => (v == null ? "" : Number(v).toPrecision(2));
  const key = `${info.edgeKind}|${two(info.edges?.maxAbs)}|${two(info.nudge?.max)}|${info.batch}|${info.costText}`;
  if (key === legendKey || !info.edges) return;
  legendKey = key;
  renderLegend($("legend"), info);
}

const canvasView = createCanvasView({
  canvas: $("network-canvas"),
  wrap: $("canvas-wrap"),
  live: $("live"),
  state,
  model,
  minibatch,
  onOverlay: () => updateLegend(),
});
const notation = createNotation($("notation"), model);
createInspector($("panel-inspector"), { state, model, minibatch, canvasView });
createPathsView($("panel-paths"), { state, model, report });
createNudgeView($("panel-nudge"), { state, model, canvasView });
createStepper($("stepper"), { state, model, canvasView });
createInputsView($("inputs"), { state, model });
createTableView($("table-view"), { state, model });
const editor = createEditor($("panel-build"), { state, model, report });
createLibrary($("panel-saved"), { model, editor, report });
createSampleBrowser($("sample-browser"), { state, model, report });
createSidePanels({ state, layout: document.querySelector(".layout") });
const trainView = createTrainView($("train-dock"), { state, model, report });
createTrainQuiet({
  dock: $("train-dock"),
  announcer: $("train-announce"),
  model,
  history: trainView.history,
});
createBatchView($("panel-batch"), { state, model, minibatch });
createTreeView($("panel-tree"), { state, model, notation, report });
const runner = createLessonRunner($("panel-lesson"), {
  state,
  model,
  notation,
  report,
  select: $("network-select"),
});
$("lessons-button").addEventListener("click", () => state.set({ panel: "lesson" }));

// ---- top bar ---------------------------------------------------------------------------
const select = $("network-select");
select.addEventListener("change", async () => {
  // Unsaved edits in the Build panel are not dropped without asking.
  if (!(await editor.confirmLeave())) {
    select.value = model.network.urlKey ?? model.network.key;
    return;
  }
  state.set({ sel: null, step: null, input: "sample", sample: 0, lesson: null, lstep: null });
  model.loadNetwork(select.value).catch(report);
});
for (const radio of document.querySelectorAll('input[name="edge-mode"]')) {
  radio.addEventListener("change", () => radio.checked && state.set({ edge: radio.value }));
}
$("view-toggle").addEventListener("click", () =>
  state.set({ view: state.get("view") === "table" ? "canvas" : "table" }),
);

// The right column's tabs; the open one is `tab` in the state.
createTabs({ state, key: "tab", names: ["inspector", "paths", "nudge", "batch", "tree"] });

function syncChrome() {
  const table = state.get("view") === "table";
  $("view-toggle").setAttribute("aria-pressed", String(table));
  $("view-toggle").textContent = table ? "Diagram view" : "Table view";
  $("canvas-wrap").hidden = table;
  $("table-view").hidden = !table;
  // The skip link goes to whichever view is showing.
  $("skip-link").href = table ? "#table-view" : "#network-canvas";
  $("skip-link").textContent = table ? "Skip to the table of numbers" : "Skip to the network";
  for (const radio of document.querySelectorAll('input[name="edge-mode"]'))
    radio.checked = radio.value === state.get("edge");
}

state.subscribe((changed) => {
  if (changed.has("x") || changed.has("y")) model.recompute();
  if (["view", "edge"].some((k) => changed.has(k))) syncChrome();
  if (changed.has("edge")) updateLegend();
});

// The saved networks, and one opened by a share link (not ours, so not in the catalogue).
function syncSelect() {
  const net = model.network;
  const options = model.catalogue.map((c) => new Option(c.name, String(c.id)));
  if (net?.sharedBy) options.push(new Option(`${net.name} (shared with you)`, net.key));
  select.replaceChildren(...options);
  if (net) select.value = net.urlKey ?? net.key;
}

model.on((what) => {
  if (what === "catalogue") syncSelect();
  if (what === "network") {
    const net = model.network;
    syncSelect();
    const { sizes, activations, cost } = net.spec;
    $("network-meta").textContent = [
      sizes.join("-"),
      [...new Set(activations)].join("/"),
      cost.replace("_", " "),
      net.dataset,
      model.usingDemos && "built in (no saved networks on this server)",
      net.draft && "unsaved changes (preview)",
      net.sharedBy && "shared with you (read-only)",
    ]
      .filter(Boolean)
      .join(" · ");
    $("network-meta").title = $("network-meta").textContent; // in full when the bar is narrow
    legendKey = "";
  }
  if (what === "result") {
    const c = model.result.cost;
    $("cost-value").textContent = `${sampleCostText(model.network.spec.cost)} = ${fmt(c, 6)}`;
    $("cost-value").dataset.cost = c ?? "null";
    showPrediction();
    requestAnimationFrame(updateLegend);
  }
  if (what === "busy") document.body.dataset.busy = String(model.busy);
});

// The mean cost C over the mini-batch, beside this sample's C_x, labelled with the batch.
minibatch.on(() => {
  const mb = minibatch.current();
  $("cost-mean").hidden = !mb;
  $("cost-mean-label").hidden = !mb;
  const meanRadio = document.querySelector('input[name="edge-mode"][value="mean"]');
  meanRadio.disabled = !model.network?.dataset;
  meanRadio.parentElement.title = meanRadio.disabled
    ? "This network has no dataset, so there is no batch to average over"
    : "The gradient of the mean cost over the mini-batch: the one SGD steps along";
  if (mb) {
    $("cost-mean").textContent = `C = ${fmt(mb.r.cost, 6)}`;
    $("cost-mean").dataset.cost = mb.r.cost ?? "null";
    $("cost-mean").dataset.fresh = String(minibatch.fresh);
    $("cost-mean-label").textContent = `batch mean (${mb.B})`;
    $("cost-mean-label").title =
      `The mean cost C over the mini-batch: ${describeBatch(mb)} (the batch size, from the sample in view)`;
  }
  showPrediction();
  requestAnimationFrame(updateLegend);
});

// Classification: which class the output votes for (the largest a^L_j), by its name.
function showPrediction() {
  const r = model.result;
  const names = classNames();
  const show = (id, text) => {
    $(id).hidden = text == null;
    document.querySelector(`[data-for="${id === "predicts" ? "predicts" : "target"}"]`).hidden = text == null;
    $(id).textContent = text ?? "";
  };
  if (!r || !names) {
    show("predicts", null);
    show("target-class", null);
    return;
  }
  const out = r.layers.at(-1).a;
  const k = out.reduce((best, v, i) => ((v ?? -Infinity) > (out[best] ?? -Infinity) ? i : best), 0);
  const y = model.inputs?.y ?? [];
  const oneHot =
    y.length === out.length && y.every((v) => v === 0 || v === 1) && y.filter(Boolean).length === 1;
  const target = oneHot ? y.indexOf(1) : -1;
  show("predicts", names[k]);
  show("target-class", target >= 0 ? names[target] : null);
  $("predicts").dataset.k = String(k);
  $("predicts").dataset.target = String(target);
  $("predicts").dataset.right = String(k === target);
}

// A dataset's class names, once a batch from it has been read (digits: "0".."9").
function classNames() {
  const mb = minibatch.current();
  const n = model.network?.spec.sizes.at(-1);
  const names = mb?.classNames;
  return names?.length === n ? names : null;
}

syncChrome();
// "Backprop, step by step" folds (a <details>); the URL remembers which way.
const stepperBox = $("stepper-box");
stepperBox.addEventListener("toggle", () => state.set({ stepper: stepperBox.open ? "open" : "closed" }));
const syncStepperBox = () => {
  stepperBox.open = state.get("stepper") !== "closed";
};
state.subscribe((changed) => changed.has("stepper") && syncStepperBox());
syncStepperBox();

// Small screens: the training charts start folded (a link that names `charts` wins).
if (!new URLSearchParams(location.search).has("charts") && matchMedia(SMALL_SCREEN).matches)
  state.set({ charts: "closed" });
// A short window (a laptop at 720 px) keeps the diagram and its legend in view: the step-by-step
// walk starts folded, one click away (a link that names `stepper` wins).
if (!new URLSearchParams(location.search).has("stepper") && matchMedia("(max-height: 760px)").matches)
  state.set({ stepper: "closed" });

// Ready once the first network is drawn, KaTeX (fetched only after that frame) has typeset
// every formula waiting for it, and a lesson named in the URL is open.
const firstPicture = model.init().finally(() => requestAnimationFrame(allowTex));
const ready = firstPicture
  .then(() => katexReady())
  .then(async () => {
    await runner.start();
    document.body.dataset.ready = "true";
    offerWelcome({ state, runner }).catch(report);
  })
  .catch((e) => {
    report(e);
    document.body.dataset.ready = "error";
  });

// A debug and test handle: canvas geometry for clicking a given edge, and a timed redraw.
window.__explorer = {
  state,
  model,
  minibatch,
  ready,
  editor,
  neuronPoint: canvasView.neuronPoint,
  edgePoint: canvasView.edgePoint,
  redraw: (opts) => canvasView.drawNow(opts),
  overlay: () => canvasView.renderer.overlay,
  drawn: () => canvasView.renderer.model, // what the diagram was last given: edges, kind, classes
  // Canvas-local circles and the number labels last drawn, for overlap checks.
  geometry: () => {
    const { layout, labelBoxes } = canvasView.renderer;
    return {
      labels: labelBoxes ?? [],
      layers: layout.layers.map((L) => ({ kind: L.kind, r: L.r, pos: Array.from(L.pos) })),
    };
  },
  setInput: (x, y) => state.set({ input: "custom", x, y }),
  train: trainView,
  lessons: runner,
};
