// A row of ARIA tabs whose open tab is one key of the state (so it is in the URL): click or
// arrow keys (roving tabindex, Home/End) open a tab, and each tab shows only its own panel.

export function createTabs({ state, key, names, onSync = () => {} }) {
  const tab = (name) => document.getElementById(`tab-${name}`);
  for (const name of names) {
    tab(name).addEventListener("click", () => state.set({ [key]: name }));
    tab(name).addEventListener("keydown", (e) => {
      const d = { ArrowRight: 1, ArrowLeft: -1, Home: -names.length, End: names.length }[e.key];
      if (d === undefined) return;
      e.preventDefault();
      const next = names[Math.max(0, Math.min(names.length - 1, names.indexOf(name) + d))];
      state.set({ [key]: next });
      tab(next).focus();
    });
  }
  function sync() {
    const open = state.get(key);
    for (const name of names) {
      tab(name).setAttribute("aria-selected", String(name === open));
      tab(name).tabIndex = name === open ? 0 : -1;
      document.getElementById(`panel-${name}`).hidden = name !== open;
    }
    onSync(open);
  }
  state.subscribe((changed) => changed.has(key) && sync());
  sync();
}
