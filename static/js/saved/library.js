// Saved networks: the open one (rename, duplicate, export, delete, history), the others
// (open), and import from a file. Every change goes through the API with the version it
// was made on; a stale one is refused (412) and said so, never retried over the top.

import { when } from "../build/conflict.js";
import { ApiError } from "../core/api.js";
import { copyName } from "../core/names.js";
import { confirmDialog } from "../ui/dialog.js";
import { h } from "../ui/dom.js";
import { exportControls } from "./export.js";
import { shareControls, sharedSection } from "./share.js";
import { createVersions } from "./versions.js";

export function createLibrary(el, { model, editor, report }) {
  const status = h("p", { id: "lib-status", class: "small", role: "status" });
  const alert = h("div", { id: "lib-alert", class: "lib-alert", role: "alert" });
  const importErrors = h("div", { id: "lib-import-errors", class: "import-errors", role: "alert" });
  const body = h("div");
  const fileInput = h("input", {
    type: "file",
    id: "lib-import",
    accept: ".json,application/json",
    "aria-describedby": "lib-import-help",
  });
  el.append(
    h("h2", { id: "library-title" }, "Saved networks"),
    status,
    alert,
    body,
    h(
      "section",
      { class: "sub" },
      h("h3", {}, "Import"),
      h(
        "label",
        { class: "block" },
        "A network file (JSON: as Export gives it, or as the book's network2.py save() writes it)",
        fileInput,
      ),
      h(
        "p",
        { id: "lib-import-help", class: "muted small" },
        "It is saved as a new network and opened; the server checks every field and says what is wrong.",
      ),
      importErrors,
    ),
  );

  const say = (text) => {
    status.textContent = text;
    alert.replaceChildren();
  };
  const current = () => editor.current();
  const saved = () => (current()?.base.id != null ? current().base : null);

  async function open(id) {
    if (!(await editor.confirmLeave())) return false;
    await model.loadNetwork(id);
    return true;
  }

  // ---- actions ---------------------------------------------------------------------------
  async function run(fn) {
    alert.replaceChildren();
    try {
      await fn();
    } catch (e) {
      if (e instanceof ApiError && e.code === "version_conflict") stale();
      else report(e);
    }
  }

  function stale() {
    const ro = model.network?.readOnly;
    const base = saved() ?? { id: ro.id, name: model.network.name, version: ro.head };
    alert.replaceChildren(
      h(
        "p",
        {},
        `Not changed: “${base.name}” is no longer at version ${base.version}; someone saved a newer ` +
          `version since you opened it. Nothing was ` +
          `overwritten.`,
      ),
      h(
        "button",
        {
          type: "button",
          class: "btn",
          onclick: () => run(async () => (await open(base.id)) && say("Loaded the latest version.")),
        },
        "Load the latest version",
      ),
    );
  }

  const rename = (e) => {
    e.preventDefault();
    return run(async () => {
      const base = saved();
      const name = el.querySelector("#lib-name").value.trim();
      if (!name || name === base.name || current().dirty) return;
      const out = await model.updateNetwork(
        base.id,
        { name, network: base.spec, dataset: base.dataset },
        base.version,
      );
      await model.refreshCatalogue();
      await model.loadNetwork(out.id);
      say(`Renamed to “${out.name}” (version ${out.version}).`);
    });
  };

  const duplicate = () =>
    run(async () => {
      const base = saved();
      const out = await model.createNetwork({
        name: copyName(base.name, { taken: model.catalogue.map((c) => c.name) }),
        network: base.spec,
        dataset: base.dataset,
      });
      await model.refreshCatalogue();
      const opened = await open(out.id);
      say(`Duplicated version ${base.version} as “${out.name}”${opened ? ", now open" : ""}.`);
    });

  const remove = () =>
    run(async () => {
      const base = saved();
      const dirty = current().dirty;
      const ok = await confirmDialog({
        title: `Delete “${base.name}”?`,
        message:
          `This deletes the network and ` +
          `${base.version === 1 ? "its only version" : `all ${base.version} of its versions`} from the ` +
          `server${dirty ? ", and your unsaved changes to it" : ""}. It cannot be undone: export it ` +
          `first to keep a copy.`,
        confirm: "Delete",
        danger: true,
      });
      if (!ok) return;
      await model.deleteNetwork(base.id);
      await model.refreshCatalogue();
      await model.loadNetwork(model.catalogue[0].id);
      say(`Deleted “${base.name}”.`);
    });

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    if (!file) return;
    importErrors.replaceChildren();
    try {
      let doc;
      try {
        doc = JSON.parse(await file.text());
      } catch (e) {
        showImportErrors(`${file.name} is not JSON (${e.message}).`, []);
        return;
      }
      // The file's name names a network2.py file, which holds none (our own files do).
      const out = await model.importNetwork(doc, file.name.replace(/\.json$/i, "").slice(0, 200));
      await model.refreshCatalogue();
      const opened = await open(out.id);
      say(`Imported “${out.name}” as a new network${opened ? ", now open" : ""}.`);
    } catch (e) {
      if (e instanceof ApiError && (e.code === "validation_error" || e.code === "too_much_work"))
        showImportErrors(`The server refused ${file.name}:`, e.errors);
      else report(e);
    } finally {
      fileInput.value = "";
    }
  });

  function showImportErrors(text, errors) {
    importErrors.replaceChildren(h("p", {}, text));
    if (errors.length)
      importErrors.append(
        h(
          "ul",
          { class: "plain" },
          errors.map((x) => h("li", {}, h("code", {}, x.field), `: ${x.message}`)),
        ),
      );
  }

  const versions = createVersions({ model, run, say });

  // An older version on screen: say so, and offer to restore it or go back to the newest.
  function readOnlySection(ro) {
    const net = model.network;
    return h(
      "section",
      { class: "sub this-network", id: "lib-readonly", "aria-labelledby": "lib-this" },
      h("h3", { id: "lib-this" }, "Open now: an older version"),
      h(
        "p",
        { id: "lib-meta", class: "small", data: { version: ro.version, readonly: "true" } },
        `#${ro.id} “${net.name}” · version ${ro.version} of ${ro.head} · read-only: nothing you do here ` +
          "is saved.",
      ),
      h(
        "div",
        { class: "row" },
        h(
          "button",
          {
            type: "button",
            class: "btn",
            id: "lib-restore",
            onclick: () => run(() => versions.restore(ro.id, ro.version, ro.head)),
          },
          `Restore v${ro.version} as newest`,
        ),
        h(
          "button",
          { type: "button", class: "btn", id: "lib-back", onclick: () => run(() => open(ro.id)) },
          "Back to the newest version",
        ),
      ),
      versions.element(ro.id, ro.head, ro.version, true),
    );
  }

  let historyOpen = false; // the history stays open across re-renders once opened

  // ---- DOM ----------------------------------------------------------------------------------
  function render() {
    const active = el.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    const base = saved();
    const summary = base ? model.catalogue.find((c) => c.id === base.id) : null;
    const dirty = current()?.dirty;
    const parts = [];
    const ro = model.network?.readOnly;
    if (ro) {
      parts.push(readOnlySection(ro));
    } else if (model.network?.shared) {
      parts.push(sharedSection(model.network, { model, run, say }));
    } else if (model.usingDemos) {
      parts.push(
        h(
          "p",
          { class: "muted" },
          "This server keeps no networks (it has no /api/networks): the built-in ones are shown and " +
            "nothing can be saved.",
        ),
      );
    } else if (base) {
      const name = h("input", {
        type: "text",
        id: "lib-name",
        class: "text-input",
        value: base.name,
        maxlength: 200,
        required: true,
        "data-focus": "name",
      });
      const details = versions.element(base.id, base.version, base.version, historyOpen);
      details.addEventListener("toggle", () => {
        historyOpen = details.open;
      });
      parts.push(
        h(
          "section",
          { class: "sub this-network", "aria-labelledby": "lib-this" },
          h("h3", { id: "lib-this" }, "Open now"),
          h(
            "form",
            { id: "lib-rename", class: "row", onsubmit: rename },
            h("label", { class: "inline grow" }, "Name", name),
            h(
              "button",
              {
                type: "submit",
                class: "btn",
                id: "lib-rename-btn",
                "data-focus": "rename",
                disabled: dirty,
                "aria-describedby": dirty ? "lib-rename-why" : null,
              },
              "Rename",
            ),
          ),
          dirty
            ? h(
                "p",
                { id: "lib-rename-why", class: "muted small" },
                "Save or discard your changes (Build tab) before renaming.",
              )
            : null,
          h(
            "p",
            { id: "lib-meta", class: "small", data: { version: base.version } },
            `#${base.id} · version ${base.version}`,
            summary ? ` · updated ${when(summary.updated_at)} · created ${when(summary.created_at)}` : "",
          ),
          h(
            "div",
            { class: "row" },
            h(
              "button",
              {
                type: "button",
                class: "btn",
                id: "lib-duplicate",
                "data-focus": "duplicate",
                onclick: duplicate,
              },
              "Duplicate",
            ),
            ...exportControls(base, { model, report }),
            h(
              "button",
              {
                type: "button",
                class: "btn danger",
                id: "lib-delete",
                "data-focus": "delete",
                onclick: remove,
              },
              "Delete…",
            ),
          ),
          shareControls(base, { model, run, say, render }),
          details,
        ),
      );
    }
    parts.push(
      h(
        "section",
        { class: "sub" },
        h("h3", {}, `All networks (${model.catalogue.length})`),
        h(
          "ul",
          { id: "lib-list", class: "lib-list" },
          model.catalogue.map((c) => {
            const here = ro
              ? c.id === ro.id
              : base
                ? c.id === base.id
                : String(c.id) === String(current()?.base.key);
            return h(
              "li",
              { data: { id: c.id } },
              h(
                "button",
                {
                  type: "button",
                  class: "lib-open",
                  "aria-current": here ? "true" : null,
                  "data-focus": `open:${c.id}`,
                  onclick: () => here || run(() => open(c.id)),
                },
                h("span", { class: "lib-name" }, c.name),
                h(
                  "span",
                  { class: "muted small" },
                  [
                    c.sizes.join("-"),
                    c.dataset ?? "no data",
                    c.version != null ? `v${c.version}` : null,
                    c.updated_at ? when(c.updated_at) : null,
                  ]
                    .filter(Boolean)
                    .join(" · "),
                ),
              ),
            );
          }),
        ),
      ),
    );
    body.replaceChildren(...parts);
    if (active) el.querySelector(`[data-focus="${CSS.escape(active)}"]`)?.focus();
  }

  model.on((what) => {
    if (what === "catalogue" || what === "network") render();
  });
  return { render };
}
