// Sharing on a hosted server (--shared), in the Saved panel: a read-only network (a demo,
// or someone's network opened by its share link) offers a copy of one's own; an owned one
// offers a share link that opens it read-only for whoever has it, until it is revoked.

import { meta } from "../core/meta.js";
import { h } from "../ui/dom.js";

// A network that is not ours: what it is, and the way to one we may change.
export function sharedSection(net, { model, run, say }) {
  const byLink = net.sharedBy != null;
  return h(
    "section",
    { class: "sub this-network", id: "lib-shared", "aria-labelledby": "lib-this" },
    h("h3", { id: "lib-this" }, byLink ? "Open now: shared with you" : "Open now: a shared demo"),
    h(
      "p",
      { id: "lib-meta", class: "small", data: { version: net.version ?? "", readonly: "true" } },
      `“${net.name}” · version ${net.version ?? "–"} · read-only: `,
      byLink ? "it is someone else's, opened by its share link. " : "every learner on this server sees it. ",
      "Step or Play trains a copy of your own; so does the button below.",
    ),
    h(
      "button",
      {
        type: "button",
        class: "btn",
        id: "lib-own-copy",
        "data-focus": "own-copy",
        onclick: () =>
          run(async () => {
            const copy = await model.ownCopy();
            say(`Saved “${copy.name}” as a network of your own; it is open now.`);
          }),
      },
      "Keep a copy of my own",
    ),
  );
}

// The share link of an owned network (only on a server that has owners).
const links = new Map(); // network id -> the page URL its share link opens, once asked for

export function shareControls(base, { model, run, say, render }) {
  if (!meta.shared) return null;
  const link = links.get(base.id);
  if (!link) {
    return h(
      "button",
      {
        type: "button",
        class: "btn",
        id: "lib-share",
        "data-focus": "share",
        onclick: () =>
          run(async () => {
            const out = await model.share(base.id);
            links.set(base.id, new URL(out.page, location.href).href);
            say("Anyone with this link sees the network, read-only; their training changes only their copy.");
            render();
          }),
      },
      "Share link…",
    );
  }
  const field = h("input", {
    type: "text",
    id: "lib-share-url",
    class: "text-input grow",
    value: link,
    readonly: true,
    "aria-label": "Share link",
    onfocus: (e) => e.target.select(),
  });
  return h(
    "div",
    { class: "row share-link", role: "group", "aria-label": "Share link" },
    field,
    h(
      "button",
      {
        type: "button",
        class: "btn",
        id: "lib-share-copy",
        onclick: () =>
          run(async () => {
            await navigator.clipboard.writeText(link);
            say("Link copied.");
          }),
      },
      "Copy",
    ),
    h(
      "button",
      {
        type: "button",
        class: "btn",
        id: "lib-unshare",
        "data-focus": "unshare",
        onclick: () =>
          run(async () => {
            await model.unshare(base.id);
            links.delete(base.id);
            say("Sharing stopped: the link opens nothing now.");
            render();
          }),
      },
      "Stop sharing",
    ),
  );
}
