// The diagram as a control: feeds the renderer from the model and the state, and turns
// pointer and keyboard input into selections. Arrow keys work the same as the mouse, so
// every neuron and weight is reachable without one.

import { fmt } from "../core/format.js";
import { NetworkRenderer } from "../draw/network.js";

export function createCanvasView({ canvas, wrap, live, state, model, minibatch, onOverlay = () => {} }) {
  const renderer = new NetworkRenderer(canvas);
  let frame = 0;
  let hasModel = false;

  function feed() {
    const r = model.result;
    const net = model.network;
    if (!r || !net) return;
    const L = net.spec.sizes.length - 1;
    const layers = r.layers;
    // "mean" draws the mini-batch's gradient once it is there; until then (or with no
    // dataset) this sample's, and the legend says which one is drawn.
    const mb = minibatch?.current();
    let edgeKind = state.get("edge");
    if (edgeKind === "mean" && !mb) edgeKind = "grad";
    const grads = edgeKind === "mean" ? mb.r.layers : layers;
    const names = mb?.classNames?.length === net.spec.sizes[L] ? mb.classNames : null;
    renderer.setModel({
      sizes: net.spec.sizes,
      activations: net.spec.activations,
      a: layers.map((layer) => layer.a),
      edges: grads.slice(1).map((layer, i) => (edgeKind === "weight" ? net.spec.weights[i] : layer.grad_w)),
      edgeKind,
      classNames: names,
      delta: layers.slice(1).map((layer) => layer.delta),
      dCda: layers[L].dC_da,
      y: model.inputs?.y ?? null,
      cost: r.cost,
    });
    hasModel = true;
    wrap.classList.remove("loading");
  }

  function redraw() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (!hasModel) return;
      renderer.setOverlay({
        selection: state.get("sel"),
        hover: state.get("hover"),
        path: state.get("hoverPath"),
      });
      renderer.draw();
      canvas.dataset.drawMs = renderer.lastDrawMs.toFixed(2);
      // The first picture of a network, for the bench: how long from navigation.
      if (!performance.getEntriesByName("first-draw").length) performance.mark("first-draw");
    });
  }

  function fit() {
    const box = wrap.getBoundingClientRect();
    const w = Math.floor(box.width);
    const h = Math.floor(box.height);
    if (w < 10 || h < 10) return;
    renderer.resize(w, h, window.devicePixelRatio || 1);
    redraw();
  }
  new ResizeObserver(fit).observe(wrap);
  // Moving the window to a screen with another pixel ratio changes no CSS size.
  const watchDpr = () => {
    const mq = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    mq.addEventListener(
      "change",
      () => {
        fit();
        watchDpr();
      },
      { once: true },
    );
  };
  watchDpr();

  // ---- pointer ----------------------------------------------------------------------
  const local = (e) => {
    const box = canvas.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  };
  canvas.addEventListener("mousemove", (e) => {
    if (!hasModel) return;
    const hit = renderer.hitTest(...local(e));
    const hover = hit && hit.kind !== "cost" ? hit : null;
    canvas.style.cursor = hover ? "pointer" : "default";
    state.set({ hover });
  });
  canvas.addEventListener("mouseleave", () => state.set({ hover: null }));
  canvas.addEventListener("click", (e) => {
    if (!hasModel) return;
    const hit = renderer.hitTest(...local(e));
    if (!hit || hit.kind === "cost") return;
    state.set({ sel: hit, edgeWalk: hit.kind === "weight" });
  });

  // ---- keyboard -----------------------------------------------------------------------
  const sizes = () => model.network.spec.sizes;
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

  // The index a key moves i to among n (wrapping round), or undefined for other keys.
  function moved(key, i, n) {
    if (key === "Home") return 0;
    if (key === "End") return n - 1;
    const by = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 }[key];
    return by === undefined ? undefined : (((i + by) % n) + n) % n;
  }

  function cursor() {
    const sel = state.get("sel");
    return sel ?? { kind: "neuron", layer: 0, j: 0 };
  }

  function onKey(e) {
    if (!hasModel || e.altKey || e.ctrlKey || e.metaKey) return;
    const s = sizes();
    const L = s.length - 1;
    const cur = cursor();
    const walk = state.get("edgeWalk") && cur.kind === "weight";
    let next = null;
    let walkNext = walk;
    const key = e.key;
    if (!state.get("sel") && ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(key)) {
      next = cur; // the first arrow lands on the first input neuron
    } else if (walk && moved(key, 0, 1) !== undefined) {
      next = { ...cur, k: moved(key, cur.k, s[cur.layer - 1]) };
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      const layer = clamp(cur.layer + (key === "ArrowRight" ? 1 : -1), 0, L);
      // Keep the relative height, so moving between a 784 and a 30 layer stays sensible.
      const j = Math.round((cur.j / Math.max(1, s[cur.layer] - 1)) * (s[layer] - 1));
      next = { kind: "neuron", layer, j: clamp(j, 0, s[layer] - 1) };
      walkNext = false;
    } else if (moved(key, 0, 1) !== undefined) {
      next = { kind: "neuron", layer: cur.layer, j: moved(key, cur.j, s[cur.layer]) };
    } else if (key === "e" || key === "E") {
      if (walk) {
        next = { kind: "neuron", layer: cur.layer, j: cur.j };
        walkNext = false;
      } else if (cur.layer >= 1) {
        next = { kind: "weight", layer: cur.layer, j: cur.j, k: 0 };
        walkNext = true;
      } else {
        announce("Input neurons have no incoming edges: move right (→) to a later layer first.");
        e.preventDefault();
        return;
      }
    } else if (key === "Escape" && cur.kind !== "neuron") {
      next = { kind: "neuron", layer: cur.layer, j: cur.j };
      walkNext = false;
    } else if ((key === "b" || key === "B") && cur.layer >= 1) {
      next = { kind: "bias", layer: cur.layer, j: cur.j };
      walkNext = false;
    } else if (key === "Enter" || key === " ") {
      next = cur; // make the default cursor a real selection
    } else if (key === "p" || key === "P") {
      state.set({ tab: "paths" });
    } else if (key === "n" || key === "N") {
      state.set({ tab: "nudge" });
    } else if (key === "i" || key === "I") {
      state.set({ tab: "inspector" });
    } else {
      return;
    }
    e.preventDefault();
    if (next) state.set({ sel: next, edgeWalk: walkNext, hover: null });
  }
  // Focus alone selects nothing (it would change the Inspector behind the user's back):
  // the first key press does.
  canvas.addEventListener("keydown", onKey);

  function announce(text) {
    live.textContent = text;
  }

  function describe(sel) {
    const r = model.result;
    if (!sel || !r) return "";
    const layer = r.layers[sel.layer];
    if (sel.kind === "weight") {
      const w = model.network.spec.weights[sel.layer - 1][sel.j][sel.k];
      return (
        `Weight w ${sel.layer}, ${sel.j} ${sel.k}, from neuron ${sel.k} of layer ${sel.layer - 1} to ` +
        `neuron ${sel.j} of layer ${sel.layer}: w = ${fmt(w)}, dC/dw = ` +
        `${fmt(layer.grad_w[sel.j][sel.k])}. Up and down pick another incoming ` +
        `edge.`
      );
    }
    if (sel.kind === "bias") return `Bias b ${sel.layer}, ${sel.j}: dC/db = ${fmt(layer.grad_b[sel.j])}.`;
    const extra = sel.layer > 0 ? `, delta = ${fmt(layer.delta[sel.j])}` : "";
    return `Neuron ${sel.j} of layer ${sel.layer}: a = ${fmt(layer.a[sel.j])}${extra}.`;
  }

  minibatch?.on(() => {
    if (!model.result) return;
    feed();
    redraw();
    onOverlay();
  });
  state.subscribe((changed) => {
    if (changed.has("edge")) feed();
    if (changed.has("sel")) announce(describe(state.get("sel")));
    if (["edge", "sel", "hover", "hoverPath", "step"].some((k) => changed.has(k))) redraw();
  });
  model.on((what) => {
    if (what === "network") {
      hasModel = false;
      wrap.classList.add("loading");
    }
    if (what === "result" || what === "frame") {
      feed();
      redraw();
    }
  });

  // Client (page) coordinates of canvas points, for tests and the keyboard focus ring.
  const toClient = (p) => {
    if (!p) return null;
    const box = canvas.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  };

  return {
    renderer,
    redraw,
    setOverlay(patch) {
      renderer.setOverlay(patch);
      redraw();
      onOverlay(); // the legend follows what the fill means (activation or nudge Δa)
    },
    // Synchronous redraw for tests and the bench; full: true re-renders every edge too.
    drawNow({ full = false } = {}) {
      renderer.setOverlay({
        selection: state.get("sel"),
        hover: state.get("hover"),
        path: state.get("hoverPath"),
      });
      return renderer.draw({ full });
    },
    neuronPoint: (l, j) => toClient(renderer.neuronPoint(l, j)),
    // Mouse events carry whole CSS pixels: answer a whole client pixel that hits this edge.
    edgePoint: (l, j, k) => {
      const box = canvas.getBoundingClientRect();
      const snap = (p) => ({
        x: Math.round(box.left + p.x) - box.left,
        y: Math.round(box.top + p.y) - box.top,
      });
      const p = renderer.edgePoint(l, j, k, snap);
      return p && { x: Math.round(box.left + p.x), y: Math.round(box.top + p.y) };
    },
    get ready() {
      return hasModel;
    },
  };
}
