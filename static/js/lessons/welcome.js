// First visit (nothing in local storage): a short welcome offering the lessons. Closing it
// or opening a lesson remembers the choice; the lessons stay one click away in the top bar.

import { h } from "../ui/dom.js";
import { lessonList } from "./panel.js";

export const WELCOME_KEY = "backprop-explorer.welcome";

function seen() {
  try {
    return localStorage.getItem(WELCOME_KEY) === "dismissed";
  } catch {
    return true; // storage blocked: do not nag on every visit
  }
}

function remember() {
  try {
    localStorage.setItem(WELCOME_KEY, "dismissed");
  } catch {
    // storage blocked: the dialog simply shows again next time
  }
}

export async function offerWelcome({ state, runner }) {
  if (seen() || state.get("lesson")) return null;
  const all = await runner.catalogue();
  const dialog = h("dialog", { id: "welcome", class: "welcome", "aria-labelledby": "welcome-title" });
  const close = () => {
    remember();
    dialog.close();
    dialog.remove();
  };
  dialog.append(
    h("h2", { id: "welcome-title" }, "Welcome to Backprop Explorer"),
    h(
      "p",
      {},
      "This page runs a real neural network and shows every number of its forward and backward pass. " +
        "New to backpropagation? Start with a lesson: each follows a well-known explanation step by step, " +
        "with live numbers from the network in front of you.",
    ),
    lessonList(all, (id) => {
      close();
      runner.open(id);
    }),
    h(
      "div",
      { class: "welcome-actions" },
      h("button", { type: "button", id: "welcome-dismiss", onclick: close }, "Explore on my own"),
      h("span", { class: "muted small" }, "The lessons stay under “Lessons” in the top bar."),
    ),
  );
  dialog.addEventListener("cancel", () => remember());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
