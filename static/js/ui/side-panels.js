// The left column's panels (Input, Build, Saved, Lesson) as tabs; the open one is `panel` in the state.
import { createTabs } from "./tabs.js";

export function createSidePanels({ state, layout }) {
  createTabs({
    state,
    key: "panel",
    names: ["input", "build", "saved", "lesson"],
    onSync: (open) => {
      layout.dataset.panel = open;
    },
  });
}
