// A save refused with 412: someone (another tab, another person, a training run) saved a
// newer version first. Say what happened, with the versions and what each side holds,
// and offer the two safe ways on. Overwriting theirs is deliberately not one of them.

import { h } from "../ui/dom.js";
import * as D from "./draft.js";

export const when = (iso) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
};

const describe = (sizes, activations, cost, dataset) =>
  `${sizes.join("-")} · ${[...new Set(activations)].map(D.label).join("/")} · ${D.label(cost)} · ` +
  `${dataset ?? "no data set"}`;

export function renderConflict(box, { mine, theirs, history, onLoadTheirs, onSaveMine }) {
  const base = mine.base;
  const newer = history.filter((v) => v.version > base.version);
  const busy = (fn) => async () => {
    for (const b of box.querySelectorAll("button")) b.disabled = true;
    try {
      if ((await fn()) !== false) box.hidden = true; // false: it failed, the choice stays open
    } finally {
      for (const b of box.querySelectorAll("button")) b.disabled = false;
    }
  };
  const what = theirs
    ? `You edited version ${base.version}; it is now at version ${theirs.version}, saved ` +
      `${when(theirs.updated_at)}. Saving yours would overwrite that, so nothing was saved. Your changes ` +
      `are still here.`
    : `“${base.name}” was deleted after you opened it, so there is nothing to save a version of. Your ` +
      `changes are still here.`;
  // Through h(), not straight into replaceChildren, which would show a null as "null".
  box.replaceChildren(
    h(
      "div",
      { class: "conflict-body" },
      h(
        "h3",
        { id: "conflict-title" },
        theirs
          ? "Not saved: this network changed since you opened it"
          : "Not saved: this network was deleted",
      ),
      h("p", {}, what),
      newer.length
        ? h(
            "ul",
            { class: "plain small", "aria-label": "Versions saved since yours" },
            newer.map((v) =>
              h(
                "li",
                {},
                `version ${v.version} · ${v.source} · ` +
                  `${when(v.created_at)}${v.name !== base.name ? ` · renamed “${v.name}”` : ""}`,
              ),
            ),
          )
        : null,
      h(
        "dl",
        { class: "compare" },
        theirs
          ? [
              h("dt", {}, `Theirs (version ${theirs.version})`),
              h(
                "dd",
                { "data-side": "theirs" },
                describe(
                  theirs.network.sizes,
                  theirs.network.activations,
                  theirs.network.cost,
                  theirs.dataset,
                ),
              ),
            ]
          : null,
        h("dt", {}, "Yours (not saved)"),
        h(
          "dd",
          { "data-side": "mine" },
          describe(D.sizes(mine), D.activations(mine), mine.cost, mine.dataset),
        ),
      ),
      h(
        "div",
        { class: "row" },
        h(
          "button",
          { type: "button", class: "btn", id: "conflict-load", onclick: busy(onLoadTheirs) },
          theirs ? `Load theirs (version ${theirs.version}), drop mine` : "Drop mine and open another",
        ),
        h(
          "button",
          { type: "button", class: "btn primary", id: "conflict-copy", onclick: busy(onSaveMine) },
          "Save mine as a new network",
        ),
        h("button", { type: "button", class: "link-button", onclick: () => (box.hidden = true) }, "Close"),
      ),
    ),
  );
  box.setAttribute("role", "alert");
  box.setAttribute("aria-labelledby", "conflict-title");
  box.tabIndex = -1;
  box.hidden = false;
  box.focus();
}
