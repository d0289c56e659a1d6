// The architecture editor: data set, layers, neurons, activations, cost and initial
// weights. Every change is previewed at once (the diagram shows the draft, computed by the
// stateless endpoints) and kept only on Save: a new version, sent with If-Match. A version
// saved meanwhile elsewhere is shown as a conflict with choices, never overwritten.

import { ApiError } from "../core/api.js";
import { copyName } from "../core/names.js";
import { selectionFits } from "../core/state.js";
import { confirmDialog } from "../ui/dialog.js";
import { h } from "../ui/dom.js";
import { renderConflict } from "./conflict.js";
import * as D from "./draft.js";
import { keepDraft, keptDraft } from "./keep.js";

const PREVIEW_MS = 120;

export function createEditor(el, { state, model, report }) {
  let draft = null;
  let structure = "";
  let shown = ""; // signature of the network on the diagram
  let seq = 0;
  let timer = 0;
  let rev = 0;
  let saving = false;
  let rows = [];
  // The URL's selection, put back once a draft kept over a reload is on the diagram again
  // (the saved network shown first may not have that neuron or weight).
  let restoreSel = state.get("sel");
  const $ = (id) => el.querySelector(`#${id}`);
  const conflictBox = h("div", { id: "editor-conflict", class: "conflict", hidden: true });
  const body = h("div", { class: "editor-body" });
  el.append(h("h2", { id: "editor-title" }, "Build the network"), conflictBox, body);

  // ---- draft -> preview ------------------------------------------------------------------
  function update(next) {
    draft = next;
    keepDraft(draft, D.isDirty(draft));
    if ($("editor-message")) $("editor-message").textContent = ""; // not built yet on a restore
    render();
    clearTimeout(timer);
    timer = setTimeout(preview, PREVIEW_MS);
  }

  async function specOf(d) {
    const s = D.sizes(d);
    const fresh = new Map(
      await Promise.all(D.freshLayers(d).map(async (l) => [l, await model.freshWeights(s, l, d.init)])),
    );
    return D.toSpec(d, fresh);
  }

  // The saved network when nothing changed; else an unsaved copy (id null), which every
  // panel computes through the stateless endpoints.
  async function preview() {
    const d = draft;
    const my = ++seq;
    const sig = D.signature(d);
    if (D.problems(d).length || sig === shown) return;
    el.dataset.previewing = "true";
    try {
      const net = D.isDirty(d)
        ? {
            id: null,
            key: `draft:${d.base.key}:${++rev}`,
            urlKey: d.base.urlKey ?? d.base.key,
            name: d.base.name,
            dataset: d.dataset,
            version: d.base.version,
            spec: await specOf(d),
            draft: true,
          }
        : d.base;
      if (my !== seq) return;
      shown = sig;
      await model.present(net);
      if (restoreSel && net.draft && !state.get("sel") && selectionFits(restoreSel, net.spec.sizes))
        state.set({ sel: restoreSel });
      restoreSel = null;
    } catch (e) {
      report(e);
    } finally {
      if (my === seq) el.dataset.previewing = "false";
    }
  }

  // ---- save ---------------------------------------------------------------------------------
  const nameOfCopy = (d) =>
    copyName(d.base.name, { sizes: D.sizes(d), taken: model.catalogue.map((c) => c.name) });

  // Resolves true when saved, false when not (the reason is on screen).
  async function save(asNew) {
    const d = draft;
    if (saving || D.problems(d).length) return false;
    saving = true;
    sync();
    try {
      // A shared demo, or a network shared by link, is not ours to change: save a new one.
      const copy = asNew || Boolean(d.base.shared);
      const body = {
        name: copy ? nameOfCopy(d) : d.base.name,
        network: await specOf(d),
        dataset: d.dataset,
      };
      const saved =
        copy || d.base.id == null
          ? await model.createNetwork(body)
          : await model.updateNetwork(d.base.id, body, d.base.version);
      await model.refreshCatalogue();
      await model.loadNetwork(saved.id);
      $("editor-message").textContent = copy
        ? `Saved as a new network, “${saved.name}” (version ${saved.version}).`
        : `Saved as version ${saved.version}.`;
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === "version_conflict") await conflict(d).catch(report);
      else report(e);
      return false;
    } finally {
      saving = false;
      if (draft) sync();
    }
  }

  async function conflict(d) {
    let theirs = null;
    let history = [];
    try {
      [theirs, history] = await Promise.all([model.getNetwork(d.base.id), model.versions(d.base.id)]);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "not_found")) throw e; // deleted meanwhile
    }
    renderConflict(conflictBox, {
      mine: d,
      theirs,
      history,
      onLoadTheirs: async () => {
        try {
          await model.refreshCatalogue();
          await model.loadNetwork(theirs ? d.base.id : model.catalogue[0].id);
          return true;
        } catch (e) {
          report(e);
          return false;
        }
      },
      onSaveMine: () => save(true),
    });
  }

  // Before another network replaces this one: ask if there are unsaved changes.
  async function confirmLeave() {
    if (!draft || !D.isDirty(draft)) return true;
    return confirmDialog({
      title: "Discard unsaved changes?",
      message: `Your changes to “${draft.base.name}” are not saved: ${D.changes(draft).join("; ")}.`,
      confirm: "Discard changes",
      cancel: "Keep editing",
      danger: true,
    });
  }

  // ---- DOM ------------------------------------------------------------------------------------
  const structureKey = () =>
    JSON.stringify([draft.base.key, draft.base.version, draft.layers.map((l) => l.uid), draft.dataset]);

  function render() {
    if (structureKey() === structure) sync();
    else build();
  }

  function build() {
    const active = el.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    structure = structureKey();
    const d = draft;
    const L = d.layers.length - 1;
    rows = d.layers.map((layer, l) => layerRow(layer, l, L));

    const dataset = h(
      "select",
      { id: "editor-dataset", "data-focus": "dataset", "aria-describedby": "editor-dataset-note" },
      new Option("none: x and y typed by hand", ""),
      [...model.datasets.values()].map(
        (i) => new Option(`${i.name}: ${i.n_features} in, ${i.n_classes} classes`, i.name),
      ),
    );
    dataset.value = d.dataset ?? "";
    dataset.addEventListener("change", () =>
      update(D.setDataset(draft, dataset.value || null, model.datasets.get(dataset.value))),
    );

    const cost = h(
      "select",
      { id: "editor-cost", "data-focus": "cost", "aria-describedby": "editor-cost-note" },
      D.costNames().map((c) => new Option(D.label(c), c)),
    );
    cost.addEventListener("change", () => update(D.setCost(draft, cost.value)));
    const scheme = h(
      "select",
      { id: "editor-scheme", "data-focus": "scheme" },
      D.schemes().map(([k, text]) => new Option(text, k)),
    );
    scheme.addEventListener("change", () => update(D.setInit(draft, { scheme: scheme.value })));
    const seed = h("input", {
      type: "number",
      id: "editor-seed",
      class: "num-input",
      min: 0,
      max: 2 ** 32 - 1,
      step: 1,
      "data-focus": "seed",
    });
    seed.addEventListener("input", () => {
      const v = seed.valueAsNumber;
      const ok = Number.isInteger(v) && v >= 0 && v < 2 ** 32;
      seed.setAttribute("aria-invalid", String(!ok));
      if (ok) update(D.setInit(draft, { seed: v }));
    });
    const reinit = h("input", { type: "checkbox", id: "editor-reinit", "data-focus": "reinit" });
    reinit.addEventListener("change", () => update(D.setReinit(draft, reinit.checked)));

    body.replaceChildren(
      h("p", { id: "editor-status", class: "editor-status small" }),
      h(
        "section",
        { class: "sub" },
        h("h3", {}, "Data"),
        h("label", { class: "block" }, "Data set", dataset),
        h(
          "p",
          { id: "editor-dataset-note", class: "muted small" },
          "The input and output sizes follow the data set: its features in, one neuron per class out.",
        ),
      ),
      h(
        "section",
        { class: "sub" },
        h("h3", {}, "Layers"),
        h(
          "ol",
          { class: "layers", id: "editor-layers" },
          rows.map((r) => r.li),
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn",
            id: "editor-add-layer",
            "data-focus": "add",
            onclick: () => update(D.addLayer(draft)),
          },
          "+ Add a hidden layer",
        ),
        h("span", { id: "editor-add-note", class: "muted small" }),
      ),
      h(
        "section",
        { class: "sub" },
        h("h3", {}, "Cost"),
        h("label", { class: "block" }, "Cost of one sample", cost),
        h("p", { id: "editor-cost-note", class: "muted small" }),
      ),
      h(
        "section",
        { class: "sub" },
        h("h3", {}, "Weights"),
        h(
          "p",
          { class: "muted small" },
          "Changing an activation or the cost keeps every weight. A layer whose shape changes (its size, " +
            "or the size of the layer feeding it) gets new weights drawn by the server, and zero " +
            "biases.",
        ),
        h("label", { class: "block" }, "Scheme for new weights", scheme),
        h(
          "div",
          { class: "row" },
          h("label", { class: "inline" }, "Seed", seed),
          h(
            "button",
            {
              type: "button",
              class: "btn",
              "data-focus": "dice",
              onclick: () => update(D.setInit(draft, { seed: Math.floor(Math.random() * 2 ** 32) })),
            },
            "New seed",
          ),
        ),
        h("label", { class: "inline" }, reinit, "Give every layer new weights"),
      ),
      h(
        "section",
        { class: "sub" },
        h("h3", {}, "Changes"),
        h("ul", { id: "editor-changes", class: "changes" }),
        h("ul", { id: "editor-problems", class: "problems", role: "alert" }),
        h(
          "div",
          { class: "row actions" },
          h(
            "button",
            {
              type: "button",
              class: "btn primary",
              id: "editor-save",
              "data-focus": "save",
              onclick: () => save(false),
            },
            "Save",
          ),
          h(
            "button",
            {
              type: "button",
              class: "btn",
              id: "editor-save-copy",
              "data-focus": "copy",
              onclick: () => save(true),
            },
            "Save as a new network",
          ),
          h(
            "button",
            {
              type: "button",
              class: "btn",
              id: "editor-discard",
              "data-focus": "discard",
              onclick: () => update(D.draftFrom(draft.base, draft.init)),
            },
            "Discard changes",
          ),
        ),
        h("p", { id: "editor-message", class: "small", role: "status" }),
      ),
    );
    sync();
    if (active) (el.querySelector(`[data-focus="${active}"]`) ?? $("editor-add-layer")).focus();
  }

  function layerRow(layer, l, L) {
    const role = l === 0 ? "input" : l === L ? "output" : "hidden";
    const uid = layer.uid;
    const n = h("input", {
      type: "number",
      class: "num-input neurons",
      id: `layer-${l}-neurons`,
      min: 1,
      max: D.maxNeurons(),
      step: 1,
      "aria-label": `Neurons in layer ${l} (${role})`,
      "aria-describedby": `layer-${l}-note`,
      "data-focus": `n:${uid}`,
    });
    n.addEventListener("input", () => {
      const v = n.valueAsNumber;
      const ok = Number.isInteger(v) && v >= D.minNeurons(draft, l) && v <= D.maxNeurons();
      n.setAttribute("aria-invalid", String(!ok));
      if (ok) update(D.setNeurons(draft, l, v));
    });
    const step = (d, text, name) =>
      h(
        "button",
        {
          type: "button",
          class: "step-btn",
          "aria-label": `${name} neurons in layer ${l}`,
          "data-focus": `${text}:${uid}`,
          onclick: () => update(D.setNeurons(draft, l, draft.layers[l].n + d)),
        },
        text,
      );
    const minus = step(-1, "−", "Fewer");
    const plus = step(1, "+", "More");
    let act = null;
    if (l > 0) {
      act = h(
        "select",
        {
          id: `layer-${l}-act`,
          class: "act",
          "aria-label": `Activation of layer ${l}`,
          "data-focus": `act:${uid}`,
        },
        D.activationNames().map((a) => new Option(D.label(a), a)),
      );
      act.addEventListener("change", () => update(D.setActivation(draft, l, act.value)));
    }
    const remove =
      role === "hidden"
        ? h(
            "button",
            {
              type: "button",
              class: "link-button",
              "aria-label": `Remove layer ${l}`,
              "data-focus": `rm:${uid}`,
              onclick: () => update(D.removeLayer(draft, l)),
            },
            "Remove",
          )
        : null;
    const note = h("p", { class: "layer-note small", id: `layer-${l}-note` });
    const li = h(
      "li",
      { class: `layer ${role}`, data: { layer: l, uid } },
      h(
        "div",
        { class: "layer-head" },
        h("span", { class: "layer-name" }, `Layer ${l}`),
        h("span", { class: "muted small" }, role),
        remove,
      ),
      h(
        "div",
        { class: "layer-controls" },
        h(
          "div",
          { class: "ctl" },
          h("label", { class: "ctl-label", for: n.id }, "Neurons"),
          h("span", { class: "neuron-field" }, minus, n, plus),
        ),
        act
          ? h("div", { class: "ctl" }, h("label", { class: "ctl-label", for: act.id }, "Activation"), act)
          : null,
      ),
      note,
    );
    return { li, n, minus, plus, act, note, l };
  }

  function sync() {
    const d = draft;
    const dirty = D.isDirty(d);
    const problems = D.problems(d);
    for (const r of rows) {
      const layer = d.layers[r.l];
      const lock = D.sizeLock(d, r.l, model.datasets);
      if (document.activeElement !== r.n) {
        r.n.value = String(layer.n);
        r.n.removeAttribute("aria-invalid");
      }
      r.n.readOnly = Boolean(lock);
      r.n.min = String(D.minNeurons(d, r.l));
      r.minus.disabled = Boolean(lock) || layer.n <= D.minNeurons(d, r.l);
      r.plus.disabled = Boolean(lock) || layer.n >= D.maxNeurons();
      if (r.act) fillOptions(r.act, D.activationChoices(d, r.l), layer.act);
      const why = r.l > 0 ? D.freshReason(d, r.l) : null;
      r.li.dataset.fresh = String(Boolean(why));
      r.note.textContent =
        r.l === 0
          ? lock
            ? `Fixed: ${lock}.`
            : "The length of x."
          : why
            ? `New weights w${D.sup(r.l)} (${why}): ${d.init.scheme}, seed ${d.init.seed}.`
            : lock
              ? `Fixed: ${lock}. Weights kept.`
              : "Weights kept.";
    }
    const costs = D.costChoices(d);
    fillOptions($("editor-cost"), costs, d.cost);
    const blocked = costs.filter((c) => c.why);
    $("editor-cost-note").textContent = blocked.length
      ? `${blocked.map((c) => D.label(c.value)).join(" and ")} take ln a, so they need a ` +
        `${D.outputsFor(blocked[0].value).map(D.label).join(" or ")} output; the output is ` +
        `${D.label(d.layers.at(-1).act)}.`
      : "Every cost fits this output.";
    const add = D.addLayerBlocked(d);
    $("editor-add-layer").disabled = Boolean(add);
    $("editor-add-note").textContent = add ? ` ${add}` : "";
    $("editor-dataset").value = d.dataset ?? "";
    $("editor-scheme").value = d.init.scheme;
    if (document.activeElement !== $("editor-seed")) $("editor-seed").value = String(d.init.seed);
    $("editor-reinit").checked = d.reinit;

    const list = D.changes(d);
    $("editor-changes").replaceChildren(
      ...(list.length
        ? list.map((c) => h("li", {}, c))
        : [h("li", { class: "muted" }, "None: the diagram shows the saved network.")]),
    );
    $("editor-problems").replaceChildren(...problems.map((p) => h("li", {}, p)));
    const base = d.base;
    const store = base.id != null && !base.shared; // ours to save versions of
    const save = $("editor-save");
    save.textContent = store ? `Save as version ${base.version + 1}` : "Save";
    save.disabled = saving || !dirty || problems.length > 0 || !store || model.usingDemos;
    save.title = store
      ? ""
      : base.shared
        ? "Shared, read-only: save it as a new network of your own"
        : "A built-in network: save it as a new network";
    $("editor-save-copy").disabled = saving || problems.length > 0 || model.usingDemos;
    $("editor-discard").disabled = saving || !dirty;
    const status = $("editor-status");
    status.dataset.dirty = String(dirty);
    status.dataset.version = String(base.version ?? "");
    status.replaceChildren(
      h("b", {}, base.name),
      store ? ` · version ${base.version}` : " · built in",
      h(
        "span",
        { class: `chip-status ${dirty ? "unsaved" : ""}` },
        dirty ? "unsaved changes: the diagram shows a preview" : "saved",
      ),
    );
    if (model.usingDemos)
      status.append(
        h("span", { class: "muted" }, " This server keeps no networks, so nothing can be saved."),
      );
  }

  function fillOptions(select, choices, value) {
    for (const option of select.options) {
      const c = choices.find((x) => x.value === option.value);
      option.disabled = Boolean(c?.why);
      option.textContent = c?.why ? `${D.label(c.value)} (${c.why})` : D.label(option.value);
    }
    select.value = value;
  }

  // ---- the model says which network is open -----------------------------------------------------
  model.on((what) => {
    if (what !== "network") return;
    const net = model.network;
    if (net.draft || net === draft?.base) return; // our own preview, or the base shown again
    draft = D.draftFrom(net, draft?.init);
    shown = D.signature(draft);
    conflictBox.hidden = true;
    seq++;
    clearTimeout(timer);
    const kept = keptDraft(net); // unsaved edits of this very version, from before a reload
    if (kept) return update(kept);
    restoreSel = null;
    keepDraft(draft, false);
    render();
  });

  return {
    confirmLeave,
    // The saved network the draft started from, and whether there are unsaved changes.
    current: () => (draft ? { base: draft.base, dirty: D.isDirty(draft) } : null),
    get draft() {
      return draft;
    },
  };
}
