// A modal confirmation on the native <dialog>: focus stays inside it, Esc cancels, the
// safe choice has the focus first, and focus goes back to where it was. Resolves true only
// when the confirm button was pressed.

import { h } from "./dom.js";

let count = 0;

export function confirmDialog({ title, message, confirm = "OK", cancel = "Cancel", danger = false }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const id = `dialog-${++count}`;
    const no = h("button", { type: "button", class: "btn", value: "cancel" }, cancel);
    const yes = h(
      "button",
      { type: "button", class: `btn ${danger ? "danger" : "primary"}`, value: "confirm", "data-confirm": "" },
      confirm,
    );
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-text` },
      h("h2", { id: `${id}-title` }, title),
      h("p", { id: `${id}-text` }, message),
      h("div", { class: "dialog-actions" }, no, yes),
    );
    no.addEventListener("click", () => dialog.close("cancel"));
    yes.addEventListener("click", () => dialog.close("confirm"));
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === "confirm");
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
