// Why training stopped, in words on the Train dock: another tab saved first (with a button
// that loads what the server holds now), the run diverged, or any other refusal.

import { fmt } from "../core/format.js";
import { h } from "../ui/dom.js";

export function createStops({ model, report, showMessage, rate }) {
  function conflicted(net, now) {
    report(
      new Error(
        `Training paused: this network was changed elsewhere (another tab saved ${now}; this page holds ` +
          `version ${net.version}). Load it to ` +
          `continue.`,
      ),
    );
    showMessage(
      "conflict",
      `Paused: another tab saved ${now} of this network while this page held version ${net.version}.`,
      h(
        "button",
        {
          type: "button",
          class: "step-btn",
          id: "train-reload",
          onclick: () => model.loadNetwork(net.id).catch(report),
        },
        `Load ${now}`,
      ),
    );
  }

  return function stopped(why, error) {
    const net = model.network;
    if (why.kind === "conflict") {
      // Which version the server holds now: asked of the server, not read from the message.
      model
        .getNetwork(net.id)
        .then((saved) => `version ${saved.version}`)
        .catch(() => "a newer version")
        .then((now) => conflicted(net, now));
    } else if (why.kind === "diverged") {
      report(error);
      const kept =
        why.version != null
          ? `the page holds version ${net.version}, the last weights before they overflowed`
          : `nothing was saved and this is still version ${net.version}`;
      showMessage(
        "diverged",
        `Training diverged at η = ${fmt(rate())}: ${kept}. Try a smaller learning rate.`,
      );
    } else {
      report(error);
      showMessage("error", `Training stopped: ${error.message}`);
    }
  };
}
