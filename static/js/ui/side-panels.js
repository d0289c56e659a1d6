// The left column's panels (Input, Build, Saved) as tabs; the open one is `panel` in the
// state, so in the URL. Arrow keys move between the tabs, as the ARIA tabs pattern asks.

const PANELS = ["input", "build", "saved"];

export function createSidePanels({ state, layout }) {
  const tab = (name) => document.getElementById(`tab-${name}`);
  for (const name of PANELS) {
    tab(name).addEventListener("click", () => state.set({ panel: name }));
    tab(name).addEventListener("keydown", (e) => {
      const d = { ArrowRight: 1, ArrowLeft: -1, Home: -99, End: 99 }[e.key];
      if (d === undefined) return;
      e.preventDefault();
      const next = PANELS[Math.max(0, Math.min(PANELS.length - 1, PANELS.indexOf(name) + d))];
      state.set({ panel: next });
      tab(next).focus();
    });
  }
  function sync() {
    const open = state.get("panel");
    for (const name of PANELS) {
      tab(name).setAttribute("aria-selected", String(name === open));
      tab(name).tabIndex = name === open ? 0 : -1;
      document.getElementById(`panel-${name}`).hidden = name !== open;
    }
    layout.dataset.panel = open;
  }
  state.subscribe((changed) => changed.has("panel") && sync());
  sync();
}
