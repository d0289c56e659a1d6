// While training plays, the page's numbers change several times a second; a screen reader
// voicing every change would say nothing useful and drown out the user's own actions. So
// from the moment training starts until the user next presses a key or a pointer, the live
// regions outside the Train dock are muted (aria-live="off"), and one sentence is announced
// instead: after a Step, and when Play is paused. Errors (role="alert") and the diagram's own
// selection announcements (#live) are never muted.

import { fmt } from "../core/format.js";

const LIVE = '[aria-live]:not([aria-live="off"]), [role="status"]:not([aria-live="off"])';
const STOPPED_BY_ERROR = new Set(["diverged", "error", "conflict"]);

export function createTrainQuiet({ dock, announcer, model }) {
  let training = false; // a Step or Play is under way
  let muted = false; // from the start of training until the user's next input
  let played = false; // Play ran during this spell (so its end is a Pause, not a Step)

  const exempt = (el) => el === announcer || el.id === "live" || dock.contains(el);

  function mute(root) {
    for (const el of root.querySelectorAll(LIVE)) {
      if (exempt(el) || "liveWas" in el.dataset) continue;
      el.dataset.liveWas = el.getAttribute("aria-live") ?? "";
      el.setAttribute("aria-live", "off");
    }
  }

  function unmute() {
    for (const el of document.querySelectorAll("[data-live-was]")) {
      const was = el.dataset.liveWas;
      delete el.dataset.liveWas;
      if (was) el.setAttribute("aria-live", was);
      else el.removeAttribute("aria-live");
    }
  }

  // Views re-render while training plays: regions they create meanwhile start muted too,
  // and so do regions whose aria-live a re-render (ui/dom.js morph) has just set back.
  // One query per batch of mutations, not one per added node: a training frame adds
  // hundreds of nodes (typeset formulas) and must stay cheap.
  const added = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes" && r.target.getAttribute("aria-live") !== "off")
        delete r.target.dataset.liveWas;
    }
    mute(document.body);
  });
  const watch = { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-live"] };

  function announce() {
    const kind = dock.querySelector("#train-message")?.dataset.kind;
    if (STOPPED_BY_ERROR.has(kind)) return; // the error banner (role="alert") says why
    const status = (dock.querySelector("#train-status")?.textContent ?? "").replaceAll(" · ", ", ");
    const cost = model.result?.cost;
    const costText = cost === undefined ? "" : ` Cost of the sample in view: ${fmt(cost, 6)}.`;
    announcer.textContent = `${played ? "Training paused" : "Trained one step"}: ${status}.${costText}`;
  }

  function wake() {
    for (const type of ["keydown", "pointerdown"]) window.removeEventListener(type, wake, { capture: true });
    if (training) return;
    muted = false;
    added.disconnect();
    unmute();
  }

  function sync() {
    const playing = dock.dataset.playing === "true";
    const busy = dock.dataset.busy === "true";
    if ((playing || busy) && !training) {
      training = true;
      played = false;
      if (!muted) {
        muted = true;
        mute(document.body);
        added.observe(document.body, watch);
      }
    }
    if (playing) played = true;
    if (!playing && !busy && training) {
      training = false;
      announce();
      // The views keep catching up for a moment (a batch loads, an equation re-renders):
      // those changes stay unspoken too. The regions speak again from the user's next
      // key press or pointer press, before that input is handled.
      for (const type of ["keydown", "pointerdown"]) window.addEventListener(type, wake, { capture: true });
    }
  }

  new MutationObserver(sync).observe(dock, {
    attributes: true,
    attributeFilter: ["data-playing", "data-busy"],
  });
  return {
    get muted() {
      return muted;
    },
  };
}
