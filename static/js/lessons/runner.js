// One runner plays any lesson (GET /api/lessons/{id}): it shows the step's network and
// sample, applies its selection, tab and action through the state (so the URL holds
// ?lesson=<id>&lstep=<n>), fetches the live values and renders the panel. Leaving a lesson
// keeps the network on screen to explore.

import { freshSignal, isAbort } from "../core/api.js";
import { parseSelection } from "../core/state.js";
import { morph } from "../ui/dom.js";
import { drawFigure, lessonList, stepView } from "./panel.js";
import { createValues } from "./values.js";

export function createLessonRunner(el, { state, model, notation, report, select }) {
  const values = createValues({ state, model });
  const lessons = new Map(); // id -> the whole lesson, fetched once
  let list = null;
  let generation = 0;
  let applied = null; // "id:step" the page was last set up for
  let ctx = null;
  let arriving = false; // while a step sets the page up, its own answers are not refills

  async function catalogue() {
    list ??= await model.lessons();
    return list;
  }
  async function lessonOf(id) {
    if (!lessons.has(id)) lessons.set(id, await model.lesson(id));
    return lessons.get(id);
  }

  const current = () => {
    const id = state.get("lesson");
    const lesson = id ? lessons.get(id) : null;
    if (!lesson) return null;
    const index = Math.max(0, Math.min(lesson.steps.length - 1, (state.get("lstep") ?? 1) - 1));
    return { lesson, index, step: lesson.steps[index] };
  };

  function open(id, step = 1) {
    state.set({ lesson: id, lstep: step, panel: "lesson" });
  }
  function leave() {
    state.set({ lesson: null, lstep: null, hoverPath: null });
  }
  function move(by) {
    const c = current();
    if (!c) return;
    const next = c.index + by;
    if (next < 0 || next >= c.lesson.steps.length) return;
    state.set({ lstep: next + 1 });
  }

  async function showList() {
    notation.setStyle(null);
    el.dataset.lesson = "";
    const all = await catalogue();
    el.replaceChildren(
      Object.assign(document.createElement("h2"), { textContent: "Lessons" }),
      Object.assign(document.createElement("p"), {
        className: "small",
        textContent:
          "Each lesson walks one text step by step on a live network. Every number in it comes from " +
          "the engine, so change the input or a weight and the text follows.",
      }),
      lessonList(all, (id) => open(id)),
    );
  }

  // Set the page up for the step: network, sample, selection, tab, action.
  async function arrive(gen) {
    const id = state.get("lesson");
    let lesson;
    try {
      lesson = await lessonOf(id);
    } catch (e) {
      report(e);
      leave();
      state.set({ panel: "lesson" }); // a bad link lands on the list of lessons there are
      return false;
    }
    if (gen !== generation) return false;
    const c = current();
    const { step } = c;
    if (state.get("lstep") !== c.index + 1) state.set({ lstep: c.index + 1 });
    notation.setStyle(lesson.notation);
    const key = `lesson:${id}:${step.network}`;
    const sample = lesson.samples[step.sample];
    const patch = {
      input: "custom",
      x: sample.x,
      y: sample.y,
      sel: parseSelection(step.select),
      tab: step.tab,
      step: step.stepper ?? null, // the step-by-step bar: where the step wants it, else finished
    };
    if (step.action?.kind === "nudge") patch.dw = step.action.delta;
    // A lesson just opened (or came from a link): its panel in front, the training charts
    // folded away for room to read (the learner can open them again).
    if (!applied?.startsWith(`${id}:`)) Object.assign(patch, { panel: "lesson", charts: "closed" });
    if (model.network?.key !== key) {
      state.set({ ...patch, sel: null, step: null, hoverPath: null });
      const spec = lesson.networks[step.network];
      const name = `${lesson.title}: ${step.network}`;
      await model.present({ id: null, key, name, dataset: null, spec, lesson: id });
      addOption(key, `Lesson: ${lesson.title}${step.network === "main" ? "" : ` (${step.network})`}`);
      state.set({ sel: patch.sel, step: patch.step });
    } else {
      state.set({ ...patch, hoverPath: null });
      await model.recompute({ now: true });
    }
    return gen === generation;
  }

  // The network select shows the lesson's network while it is on screen.
  function addOption(value, label) {
    if (![...select.options].some((o) => o.value === value)) select.append(new Option(label, value));
    select.value = value;
  }

  async function fill(gen) {
    const c = current();
    if (!c || !model.result) return;
    const signal = freshSignal("lesson");
    try {
      const got = await values.fetchAll(c.lesson, c.step, signal);
      if (gen !== generation) return;
      ctx = got;
    } catch (e) {
      if (isAbort(e)) return;
      throw e;
    }
    render();
    if (c.step.highlight === "top_path" && ctx.paths?.paths.length) {
      const sel = state.get("sel");
      const p = ctx.paths.paths[0];
      state.set({
        hoverPath: {
          start: sel.layer,
          neurons: p.neurons,
          from: sel.kind === "weight" ? sel.k : null,
          factors: p.factors,
        },
      });
    }
    el.dataset.ready = "true";
  }

  function render() {
    const c = current();
    if (!c) return;
    const view = stepView(c.lesson, c.index, ctx, {
      onBack: () => move(-1),
      onNext: () => move(1),
      onLeave: leave,
    });
    morph(el, view);
    drawFigure(el, c.step, ctx, c.lesson);
  }

  async function apply() {
    const gen = ++generation;
    const id = state.get("lesson");
    if (!id) {
      applied = null;
      ctx = null;
      await showList();
      return;
    }
    el.dataset.ready = "false";
    const want = `${id}:${state.get("lstep") ?? 1}`;
    if (want !== applied) {
      ctx = null;
      arriving = true;
      try {
        if (!(await arrive(gen))) return;
      } finally {
        arriving = false;
      }
      applied = `${id}:${state.get("lstep")}`;
      el.dataset.lesson = id;
      el.dataset.step = String(state.get("lstep"));
      render();
    }
    await fill(gen);
  }

  const run = () => apply().catch(report);
  // The learner changed the input, a weight or the selection: the same step, new numbers.
  let timer = null;
  const refill = () => {
    clearTimeout(timer);
    timer = setTimeout(() => !arriving && current() && applied && fill(generation).catch(report), 60);
  };

  state.subscribe((changed) => {
    if (changed.has("lesson") || changed.has("lstep")) run();
    else if (changed.has("sel") || changed.has("dw")) refill();
  });
  model.on((what) => {
    if (what === "result" && applied && current()) refill();
  });
  document.addEventListener("keydown", (e) => {
    if (!state.get("lesson") || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    const free = t === document.body || el.contains(t);
    if (!free || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName)) return;
    if (e.key === "ArrowRight") move(1);
    else if (e.key === "ArrowLeft") move(-1);
    else return;
    e.preventDefault();
  });

  return { start: run, open, leave, catalogue };
}
