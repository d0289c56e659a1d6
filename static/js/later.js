// Every view the first picture does not need: main.js imports this module once the network
// is drawn (or once the first network has failed), so the page does not wait for the editor,
// the Train dock, the lessons, the Saved panel or the Inspector's views before it can draw.
// main.js and its imports reach the page joined into one module (app/modules.py); these come
// after the first frame, preloaded all at once then, and share that module's instances.

import { createEditor } from "./build/editor.js";
import { createInputsView } from "./input/inputs.js";
import { createSampleBrowser } from "./input/samples.js";
import { createBatchView } from "./inspect/batch.js";
import { createInspector } from "./inspect/inspector.js";
import { createNudgeView } from "./inspect/nudge.js";
import { createPathsView } from "./inspect/paths.js";
import { createTableView } from "./inspect/table.js";
import { createTreeView } from "./inspect/tree.js";
import { createLessonRunner } from "./lessons/runner.js";
import { offerWelcome } from "./lessons/welcome.js";
import { createLibrary } from "./saved/library.js";
import { createTrainView } from "./train/train.js";
import { createTrainQuiet } from "./ui/quiet.js";

const $ = (id) => document.getElementById(id);

// The same views, in the same order, as when main.js made them all at once (but the stepper,
// which stays in main.js: it sits above the diagram, so it is there when the diagram is sized).
// openedSel: the URL's selection, before the first network (which may not have it) was shown.
export function createLaterViews({ state, model, minibatch, canvasView, notation, report, openedSel }) {
  createInspector($("panel-inspector"), { state, model, minibatch, canvasView });
  createPathsView($("panel-paths"), { state, model, report });
  createNudgeView($("panel-nudge"), { state, model, canvasView });
  createInputsView($("inputs"), { state, model });
  createTableView($("table-view"), { state, model });
  const editor = createEditor($("panel-build"), { state, model, report, restoreSel: openedSel });
  createLibrary($("panel-saved"), { model, editor, report });
  createSampleBrowser($("sample-browser"), { state, model, report });
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
  return { editor, trainView, runner, welcome: () => offerWelcome({ state, runner }) };
}
