// Training you can experiment with: New weights (a new seed, drawn by the server and saved as
// a new version, so the old weights stay restorable from Saved → Version history), and a stall
// named in words with what to try (the server's verdict on the newest steps of the run).

import { fmt } from "../core/format.js";
import { h } from "../ui/dom.js";

export function createUndo({ model, history, state, button, busy, rate, showMessage, sync, onError }) {
  let resetting = false;

  // A PUT with If-Match: a tab holding an older version is refused (412) and changes nothing.
  async function reset() {
    if (busy() || resetting) return;
    resetting = true;
    sync();
    const seed = crypto.getRandomValues(new Uint32Array(1))[0];
    try {
      // A shared demo or a network shared by link is not ours: new weights go to our copy.
      if (model.network.shared) await model.ownCopy();
      const net = model.network;
      const { sizes, activations, cost } = net.spec;
      const before = net.version;
      const body = {
        name: net.name,
        dataset: net.dataset,
        network: { sizes, activations, cost, init: { scheme: "xavier", seed } },
      };
      const out = await model.updateNetwork(net.id, body, before);
      await model.refreshCatalogue();
      await model.loadNetwork(out.id);
      showMessage(
        "reset",
        `New weights (Xavier, seed ${seed}) saved as version ${out.version}. The previous weights are ` +
          `version ${before}: Saved → Version history restores them.`,
      );
    } catch (e) {
      onError(e);
    } finally {
      resetting = false;
      sync();
    }
  }
  button.addEventListener("click", reset);

  function showStall(message) {
    const stall = history.data.stall;
    if (!stall) {
      if (message.dataset.kind === "stall") showMessage(null, "");
      return;
    }
    if (message.dataset.kind === "stall" && message.dataset.stall === stall.kind) return;
    const suggested = history.data.suggested;
    const useRate =
      suggested != null && suggested !== rate()
        ? h(
            "button",
            {
              type: "button",
              class: "step-btn",
              id: "train-use-rate",
              onclick: () => state.set({ lr: suggested }),
            },
            `Use η = ${fmt(suggested)}`,
          )
        : "";
    const again = h(
      "button",
      { type: "button", class: "step-btn", id: "train-stall-reset", onclick: reset },
      "↺ New weights",
    );
    showMessage("stall", `${stall.message} ${stall.fix}`, useRate, " ", again);
    message.dataset.stall = stall.kind;
  }

  return {
    showStall,
    get resetting() {
      return resetting;
    },
  };
}
