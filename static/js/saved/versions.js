// A saved network's kept versions: each with how it was made and, for weights that were
// trained, the steps behind them and the loss after the last one. Any of them opens
// read-only (the page computes on it, nothing is saved) and can be restored as the newest
// version: a PUT with If-Match, so a tab that holds an older head is refused (412).

import { when } from "../build/conflict.js";
import { fmt } from "../core/format.js";
import { h } from "../ui/dom.js";

const pct = (v) => `${Math.round(v * 1000) / 10}%`;

// What the list says of one version's training.
export function trainingText(v) {
  if (v.steps == null) return "";
  if (v.steps === 0) return "new weights";
  const parts = [`${v.steps} steps`];
  if (v.loss != null) parts.push(`loss ${fmt(v.loss, 4)}`);
  if (v.held_out_accuracy != null) parts.push(`held-out ${pct(v.held_out_accuracy)}`);
  return parts.join(" · ");
}

export function createVersions({ model, run, say }) {
  // Open version `v` of network `id` (whose head is `head`) without changing anything.
  async function view(id, v, head) {
    const saved = await model.getVersion(id, v);
    await model.present({
      id: null,
      key: `${id}@${v}`,
      urlKey: String(id),
      name: saved.name,
      dataset: saved.dataset,
      version: v,
      spec: saved.network,
      readOnly: { id, version: v, head },
    });
    say(`Viewing version ${v} of “${saved.name}”, read-only.`);
  }

  // Version `v`'s weights become the newest version, if the head is still `head`.
  async function restore(id, v, head) {
    const saved = await model.getVersion(id, v);
    const body = { name: saved.name, dataset: saved.dataset, network: saved.network, restored_from: v };
    const out = await model.updateNetwork(id, body, head);
    await model.refreshCatalogue();
    await model.loadNetwork(out.id);
    say(`Restored version ${v} as version ${out.version}.`);
  }

  function item(id, v, head, viewing, name) {
    const here = v.version === viewing;
    const actions =
      v.version === head
        ? [h("span", { class: "tag" }, "newest")]
        : [
            here
              ? h("span", { class: "tag" }, "on screen")
              : h(
                  "button",
                  {
                    type: "button",
                    class: "link-button version-open",
                    "aria-label": `Open version ${v.version} read-only`,
                    onclick: () => run(() => view(id, v.version, head)),
                  },
                  "Open",
                ),
            h(
              "button",
              {
                type: "button",
                class: "link-button version-restore",
                "aria-label": `Restore version ${v.version} as the newest version`,
                onclick: () => run(() => restore(id, v.version, head)),
              },
              "Restore",
            ),
          ];
    const training = trainingText(v);
    return h(
      "li",
      {
        data: { version: v.version, steps: v.steps ?? "", loss: v.loss ?? "" },
        "aria-current": here ? "true" : null,
      },
      h(
        "div",
        { class: "version-head" },
        h("b", {}, `v${v.version}`),
        ` ${v.source}`,
        training ? h("span", { class: "version-training" }, ` · ${training}`) : "",
      ),
      h(
        "div",
        { class: "version-meta muted" },
        h("span", {}, v.name === name ? when(v.created_at) : `${when(v.created_at)} · “${v.name}”`),
        h("span", { class: "version-actions" }, ...actions),
      ),
    );
  }

  // The history of network `id` as a <details> that loads when opened. `viewing` is the
  // version on screen (the head, or a read-only older one).
  function element(id, head, viewing, open = false) {
    const list = h("ol", { class: "versions plain small", id: "lib-versions" });
    const details = h(
      "details",
      { id: "lib-history", data: { key: `${id}:${head}:${viewing}` }, open: open || null },
      h("summary", { "data-focus": "history" }, "Version history"),
      list,
    );
    const load = async () => {
      if (!details.open || list.dataset.loaded === details.dataset.key) return;
      const versions = await model.versions(id);
      const name = versions.at(-1)?.name;
      list.dataset.loaded = details.dataset.key;
      list.replaceChildren(
        ...versions
          .slice()
          .reverse()
          .map((v) => item(id, v, head, viewing, name)),
      );
    };
    details.addEventListener("toggle", () => run(load));
    if (open) run(load);
    return details;
  }

  return { element, view, restore };
}
