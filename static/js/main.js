// Wiring: one state, one model, one module per view. Nothing here computes or draws.

import { createEditor } from "./build/editor.js";
import { fmt } from "./core/format.js";
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
import { createLibrary } from "./saved/library.js";
import { createTrainView } from "./train/train.js";
import { createErrorBanner } from "./ui/errors.js";
import { createNotation } from "./ui/notation.js";
import { createSidePanels } from "./ui/side-panels.js";
import { createTabs } from "./ui/tabs.js";

const $ = (id) => document.getElementById(id);

const banner = createErrorBanner($("error-banner"));
const report = (error, level) => banner.report(error, level);
const state = createState();
const model = createModel(state, report);

// ---- legend: re-rendered only when a scale it shows has changed ----------------------
let legendKey = "";
function updateLegend() {
  const info = canvasView.renderer.scaleInfo();
  const key = `${info.edgeKind}|${info.edges?.maxAbs}|${info.nudge?.max ?? ""}`;
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
  onOverlay: () => updateLegend(),
});
createNotation($("notation"), model);
createInspector($("panel-inspector"), { state, model });
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
createBatchView($("panel-batch"), { state, model, report });

// ---- top bar ---------------------------------------------------------------------------
const select = $("network-select");
select.addEventListener("change", async () => {
  // Unsaved edits in the Build panel are not dropped without asking.
  if (!(await editor.confirmLeave())) {
    select.value = model.network.urlKey ?? model.network.key;
    return;
  }
  state.set({ sel: null, step: null, input: "sample", sample: 0 });
  model.loadNetwork(select.value).catch(report);
});
for (const radio of document.querySelectorAll('input[name="edge-mode"]')) {
  radio.addEventListener("change", () => radio.checked && state.set({ edge: radio.value }));
}
$("view-toggle").addEventListener("click", () =>
  state.set({ view: state.get("view") === "table" ? "canvas" : "table" }),
);

// The right column's tabs; the open one is `tab` in the state.
createTabs({ state, key: "tab", names: ["inspector", "paths", "nudge", "batch"] });

function syncChrome() {
  const table = state.get("view") === "table";
  $("view-toggle").setAttribute("aria-pressed", String(table));
  $("view-toggle").textContent = table ? "Diagram view" : "Table view";
  $("canvas-wrap").hidden = table;
  $("table-view").hidden = !table;
  for (const radio of document.querySelectorAll('input[name="edge-mode"]'))
    radio.checked = radio.value === state.get("edge");
}

state.subscribe((changed) => {
  if (changed.has("x") || changed.has("y")) model.recompute();
  if (["view", "edge"].some((k) => changed.has(k))) syncChrome();
  if (changed.has("edge")) updateLegend();
});

model.on((what) => {
  if (what === "catalogue") {
    select.replaceChildren(...model.catalogue.map((c) => new Option(c.name, String(c.id))));
    if (model.network) select.value = model.network.urlKey ?? model.network.key;
  }
  if (what === "network") {
    const net = model.network;
    select.value = net.urlKey ?? net.key;
    const { sizes, activations, cost } = net.spec;
    $("network-meta").textContent = [
      sizes.join("-"),
      [...new Set(activations)].join("/"),
      cost.replace("_", " "),
      net.dataset,
      model.usingDemos && "built in (no saved networks on this server)",
      net.draft && "unsaved changes (preview)",
    ]
      .filter(Boolean)
      .join(" · ");
    legendKey = "";
  }
  if (what === "result") {
    const c = model.result.cost;
    $("cost-value").textContent = `C = ${fmt(c, 6)}`;
    $("cost-value").dataset.cost = c ?? "null";
    requestAnimationFrame(updateLegend);
  }
  if (what === "busy") document.body.dataset.busy = String(model.busy);
});

syncChrome();
const ready = model
  .init()
  .then(() => {
    document.body.dataset.ready = "true";
  })
  .catch((e) => {
    report(e);
    document.body.dataset.ready = "error";
  });

// A debug and test handle: canvas geometry for clicking a given edge, and a timed redraw.
window.__explorer = {
  state,
  model,
  ready,
  editor,
  neuronPoint: canvasView.neuronPoint,
  edgePoint: canvasView.edgePoint,
  redraw: (opts) => canvasView.drawNow(opts),
  overlay: () => canvasView.renderer.overlay,
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
};
