// The left column's panels (Input, Build, Saved) as tabs; the open one is `panel` in the state.
import { createTabs } from "./tabs.js";

export function createSidePanels({ state, layout }) {
  createTabs({
    state,
    key: "panel",
    names: ["input", "build", "saved"],
    onSync: (open) => {
      layout.dataset.panel = open;
    },
  });
}
