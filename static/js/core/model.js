// Data from the server, derived from the state: which networks exist, the chosen one's
// weights, the dataset sample, and the latest backprop answer. Not user state (that is
// state.js); this is what the API said about it.

import { ApiError, api, freshSignal, isAbort } from "./api.js";
import { DEMOS, defaultInput, defaultTarget } from "./demo.js";
import { setMeta } from "./meta.js";
import { copyName } from "./names.js";
import { selectionFits } from "./state.js";

const DEBOUNCE_MS = 120;
export const SHARED = "shared:"; // net=shared:<token>: a network opened by its share link

export function createModel(state, report) {
  const listeners = new Set();
  const model = {
    catalogue: [], // [{id, name, dataset, sizes, activations, cost}]
    usingDemos: false,
    datasets: new Map(), // name -> info
    network: null, // {id, name, dataset, spec}
    sample: null, // {index, label, className, n_samples}
    result: null, // backprop answer for (network, x, y)
    inputs: null, // the x, y that result belongs to
    busy: false,
    on(fn) {
      listeners.add(fn);
    },
    // What api.compute needs: the saved network's id, or the network itself.
    source() {
      const net = model.network;
      return net.id != null ? { id: net.id } : { network: net.spec };
    },
    init,
    refreshCatalogue,
    present,
    recompute,
    loadSample,
    acceptTrained,
    freshWeights,
    applyFrame,
    refreshWeights,
    // The server, for the views: only this model and api.js talk to it.
    compute: api.compute,
    dataset: api.dataset,
    getNetwork: api.getNetwork,
    createNetwork: api.createNetwork,
    updateNetwork: api.updateNetwork,
    deleteNetwork: api.deleteNetwork,
    share: api.share,
    unshare: api.unshare,
    importNetwork: api.importNetwork,
    exportFile: api.exportFile,
    versions: api.versions,
    getVersion: api.getVersion,
    training: api.training,
    lessons: api.lessons,
    lesson: api.lesson,
  };
  const emit = (what) => {
    if (what === "result" && state.get("playing")) return emitApart(what, [...listeners]);
    for (const fn of listeners) fn(what, model);
  };
  // While training plays, a result comes several times a second; each view then updates in
  // a task of its own, so the browser can lay out and paint between them and no one task
  // holds the page for all of them (train/train.js). Order is kept.
  const emitApart = (what, fns) => {
    const fn = fns.shift();
    if (!fn) return;
    try {
      fn(what, model);
    } finally {
      if (fns.length) setTimeout(() => emitApart(what, fns), 0);
    }
  };

  async function listCatalogue() {
    model.usingDemos = false;
    try {
      model.catalogue = await api.listNetworks();
    } catch (e) {
      // A server without the store has no such route: a bare 404, whatever its body says.
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      // No store on this server: fall back to the built-in networks.
      model.usingDemos = true;
      model.catalogue = DEMOS.map((d) => ({ ...d, ...pick(d.build()) }));
    }
    if (model.catalogue.length === 0) {
      model.usingDemos = true;
      model.catalogue = DEMOS.map((d) => ({ ...d, ...pick(d.build()) }));
    }
  }

  // After a network was saved, renamed, copied, imported or deleted.
  async function refreshCatalogue() {
    await listCatalogue();
    emit("catalogue");
  }

  async function init() {
    setMeta(await api.meta()); // first: every view's choices and caps come from it
    await listCatalogue();
    try {
      for (const d of await api.datasets()) model.datasets.set(d.name, d);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) report(e);
    }
    emit("catalogue");
    const wanted = state.get("net");
    if (String(wanted).startsWith(SHARED)) {
      try {
        return await loadNetwork(wanted);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
        report(new Error("This share link no longer opens a network: it was revoked or mistyped."));
      }
    }
    const entry = model.catalogue.find((c) => String(c.id) === String(wanted)) ?? model.catalogue[0];
    await loadNetwork(entry.id);
  }

  // Fresh weights for layer l of a network with these sizes, drawn by the server for the
  // init {scheme, seed}: the numbers a save with that init stores. Weights do not depend on
  // the activations or the cost, so the request names linear layers and the quadratic cost
  // (accepted for any sizes). The server draws the layers in order from one seeded
  // generator, so layer l depends only on sizes[0..l], the scheme and the seed: the answer
  // is cached under exactly that.
  const drawn = new Map();
  function freshWeights(sizes, l, init) {
    const head = sizes.slice(0, l + 1);
    const key = `${head.join("-")}|${init.scheme}|${init.seed}`;
    if (!drawn.has(key)) {
      const activations = Array(l).fill("linear");
      const pending = api
        .initialise({ sizes: head, activations, cost: "quadratic", init })
        .then((net) => net.weights[l - 1]);
      drawn.set(key, pending);
      pending.catch(() => drawn.delete(key));
    }
    return drawn.get(key);
  }

  // A frame of the live stream: the weights it carries and, if it has the shown sample's
  // pass, the backprop answer built from it. Views that can keep up redraw on "frame";
  // the ones that ask the server for more (paths, nudge, batch) wait for the next "result".
  function applyFrame({ network, result, version }) {
    const net = model.network;
    net.spec = network;
    if (version != null) setVersion(version);
    if (result) model.result = result;
    emit("frame");
  }

  // The exact saved weights (after a stream that sent float32 ones).
  async function refreshWeights() {
    const net = model.network;
    if (net?.id == null) return;
    const saved = await api.getNetwork(net.id);
    if (model.network !== net) return;
    net.spec = saved.network;
    setVersion(saved.version);
  }

  function setVersion(version) {
    const net = model.network;
    net.version = version;
    const entry = model.catalogue.find((c) => String(c.id) === String(net.id));
    if (entry) entry.version = version;
  }

  // A train answer: the shown network now holds that version's weights.
  function acceptTrained(data) {
    model.network.spec = data.network;
    setVersion(data.version);
  }

  async function loadNetwork(id) {
    const demo = DEMOS.find((d) => d.id === id);
    let net;
    if (demo) {
      net = { id: null, key: demo.id, name: demo.name, dataset: demo.dataset, spec: demo.build() };
    } else if (String(id).startsWith(SHARED)) {
      // Someone's network by its share link: computed by the stateless endpoints (it is not
      // ours to call by id), read-only; training it keeps a copy of our own first.
      const token = id.slice(SHARED.length);
      const saved = await api.getShared(token);
      net = {
        id: null,
        key: id,
        name: saved.name,
        dataset: saved.dataset,
        version: saved.version,
        shared: true,
        sharedBy: { token, id: saved.id },
        spec: saved.network,
      };
    } else {
      const saved = await api.getNetwork(id);
      net = {
        id: saved.id,
        key: String(saved.id),
        name: saved.name,
        dataset: saved.dataset,
        version: saved.version,
        shared: Boolean(saved.read_only), // a shared demo on a hosted server: train a copy
        spec: saved.network,
      };
    }
    await present(net);
  }

  // A network of our own with the shown one's weights, opened (a hosted server's demos and
  // networks shared by link are read-only). Returns the copy.
  async function ownCopy() {
    const net = model.network;
    let copy;
    if (net.id != null) {
      copy = await api.copyNetwork(net.id);
    } else {
      const taken = model.catalogue.map((c) => c.name);
      const body = { name: copyName(net.name, { taken }), network: net.spec };
      if (net.dataset) body.dataset = net.dataset;
      copy = await api.createNetwork(body);
    }
    await refreshCatalogue();
    await loadNetwork(copy.id);
    return copy;
  }

  // Show a network: a saved one, a built-in one, or the editor's unsaved draft (id null,
  // so it is computed by the stateless endpoints; urlKey names the saved one it edits).
  async function present(net) {
    model.network = net;
    model.result = null;
    if (!model.datasets.has(net.dataset)) net.dataset = null;
    const patch = { net: net.urlKey ?? net.key };
    // A selection from the URL or the previous network survives only if it exists here.
    const sel = state.get("sel");
    if (sel && !selectionFits(sel, net.spec.sizes)) patch.sel = null;
    state.set(patch);
    emit("network");
    const sizes = net.spec.sizes;
    const x = state.get("x");
    const y = state.get("y");
    if (state.get("input") === "custom" && x?.length === sizes[0] && y?.length === sizes.at(-1)) {
      await recompute({ now: true });
    } else if (net.dataset) {
      await loadSample(state.get("sample") ?? 0, { now: true });
    } else {
      state.set({ input: "custom", x: defaultInput(sizes[0]), y: defaultTarget(sizes.at(-1)) });
      await recompute({ now: true });
    }
  }

  async function loadSample(index, { now = false } = {}) {
    const name = model.network?.dataset;
    if (!name) return;
    const info = model.datasets.get(name);
    const i = Math.max(0, Math.min(info.n_samples - 1, Math.trunc(index)));
    let d;
    try {
      d = await api.dataset(name, i, 1, freshSignal("sample"));
    } catch (e) {
      if (isAbort(e)) return;
      throw e;
    }
    model.sample = {
      index: i,
      label: d.labels[0],
      className: d.class_names?.[d.labels[0]] ?? String(d.labels[0]),
      info,
    };
    state.set({ input: "sample", sample: i, x: d.x[0], y: d.y[0] });
    emit("sample");
    await recompute({ now });
  }

  let timer = null;
  let waiters = [];
  // Debounced: typing or drawing fires many changes; only the last one is computed,
  // and a request still in flight for an older input is aborted.
  function recompute({ now = false } = {}) {
    clearTimeout(timer);
    return new Promise((resolve) => {
      waiters.push(resolve);
      timer = setTimeout(
        async () => {
          const done = waiters;
          waiters = [];
          await run();
          for (const r of done) r();
        },
        now ? 0 : DEBOUNCE_MS,
      );
    });
  }

  async function run() {
    const net = model.network;
    const x = state.get("x");
    const y = state.get("y");
    if (!net || !x || !y) return;
    if (x.length !== net.spec.sizes[0] || y.length !== net.spec.sizes.at(-1)) return;
    model.busy = true;
    emit("busy");
    try {
      const { data } = await api.compute("backprop", model.source(), { x, y }, freshSignal("backprop"));
      if (model.network !== net) return;
      model.result = data;
      model.inputs = { x: [...x], y: [...y] };
      if (data.notes?.length) report(new Error(`backprop: ${data.notes.join("; ")}`), "note");
      emit("result");
    } catch (e) {
      if (!isAbort(e)) report(e);
    } finally {
      model.busy = false;
      emit("busy");
    }
  }

  model.loadNetwork = loadNetwork;
  model.ownCopy = ownCopy;
  return model;
}

function pick(spec) {
  return { sizes: spec.sizes, activations: spec.activations, cost: spec.cost };
}
