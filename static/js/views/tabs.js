// The view tabs over the centre of the page: the neuron diagram, and the PyTorch views and
// training beside it. One tab is shown at a time (store.state.viewTab); a view draws only
// while it is shown (it listens for reason "tab" and checks `isShown`).
//
// Tabs: [data-view-tab="<id>"] buttons; panels: [data-view="<id>"] sections in the page
// (templates/index.html); a view is added by its panel there and its line in VIEW_TABS.

import { besideActive, mountBesideToggle } from "./beside.js";
import { h } from "./dom.js";

export const VIEW_TABS = [
  ["diagram", "Neurons"],
  ["tensors", "Tensors"],
  ["modules", "Modules"],
  ["graph", "Autograd graph"],
  ["code", "Code"],
  ["train", "Train"],
];

/** The view after the one shown (V), in the order of the tabs. */
export function nextView(store) {
  const ids = VIEW_TABS.map(([id]) => id).filter((id) => document.querySelector(`[data-view="${id}"]`));
  return ids[(ids.indexOf(store.state.viewTab ?? "diagram") + 1) % ids.length];
}

/** True when the view `id` is on screen: the one chosen, or the diagram beside it (beside.js). */
export const isShown = (store, id) => (store.state.viewTab ?? "diagram") === id || (id === "diagram" && besideActive(store));

export function mountTabs(root, store) {
  // A tab for each view whose panel is in the page (in a tablist of their own: the bar also holds
  // the "Beside the diagram" switch, which is not a tab).
  const present = VIEW_TABS.filter(([id]) => document.querySelector(`[data-view="${id}"]`));
  const buttons = present.map(([id, title]) => h("button", {
    type: "button", role: "tab", "data-view-tab": id, id: `tab-${id}`, "aria-controls": `view-${id}`,
    onclick: () => store.set({ viewTab: id }, "tab"),
  }, title));
  root.append(h("div", { class: "view-tablist", role: "tablist", "aria-label": "Views" }, ...buttons));
  root.hidden = buttons.length < 2;
  // Arrow keys move between tabs (the ARIA tabs pattern); the page's own ←/→ are for the player.
  root.addEventListener("keydown", (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0 || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
    const n = buttons.length;
    const j = e.key === "Home" ? 0 : e.key === "End" ? n - 1 : (i + (e.key === "ArrowRight" ? 1 : n - 1)) % n;
    buttons[j].focus();
    buttons[j].click();
    e.preventDefault();
    e.stopPropagation();
  });
  for (const panel of document.querySelectorAll("[data-view]")) {
    panel.id = `view-${panel.dataset.view}`;
    panel.setAttribute("aria-labelledby", `tab-${panel.dataset.view}`);
  }

  const paint = () => {
    const shown = store.state.viewTab ?? "diagram";
    for (const b of buttons) {
      const on = b.dataset.viewTab === shown;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const panel of document.querySelectorAll("[data-view]")) panel.hidden = !isShown(store, panel.dataset.view);
    document.documentElement.dataset.viewShown = shown;
    document.documentElement.toggleAttribute("data-beside", besideActive(store));
  };
  mountBesideToggle(root, store, paint);
  store.addEventListener("change", (e) => { if (["tab", "init", "present", "restore"].includes(e.detail.reason)) paint(); });
  paint();
}
