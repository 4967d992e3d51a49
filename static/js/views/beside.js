// "Beside the diagram": a PyTorch view (tensors, modules, graph, code) shares the stage with the
// neuron diagram, so a hover or a selection in one is seen in the other at once (linking.js).
// Only where both stay readable: a window at least 1280 px wide in normal mode, 1800 px in
// presentation mode (its 24 px text needs the room; at 1280×720 the views stay tabs).
// store.state.beside is the choice (kept in the link's view state); besideActive says whether
// it applies now.

import { h } from "./dom.js";

export const BESIDE_VIEWS = new Set(["tensors", "modules", "graph", "code"]);
export const BESIDE_MIN_WIDTH = { normal: 1280, presenting: 1800 };

let queries = null; // the two media queries, made once (matchMedia is asked on every repaint)
const wide = (presenting) => {
  queries ??= {
    normal: matchMedia(`(min-width: ${BESIDE_MIN_WIDTH.normal}px)`),
    presenting: matchMedia(`(min-width: ${BESIDE_MIN_WIDTH.presenting}px)`),
  };
  return queries[presenting ? "presenting" : "normal"].matches;
};

/** Is the screen wide enough for two views side by side, in the current mode? */
export const besideFits = (store) => wide(Boolean(store.state.presenting));

/** Does the diagram share the stage with the view shown now? */
export function besideActive(store) {
  return Boolean(store.state.beside) && BESIDE_VIEWS.has(store.state.viewTab ?? "diagram") && besideFits(store);
}

/** The "Beside the diagram" switch, at the end of the tab bar. `repaint()` redraws the tabs and panels. */
export function mountBesideToggle(bar, store, repaint) {
  const box = h("input", { type: "checkbox", "data-control": "beside" });
  const label = h("label", { class: "beside-toggle" }, box, "Beside the diagram");
  bar.append(label);
  box.addEventListener("change", () => {
    const patch = { beside: box.checked };
    // Turned on over the neurons alone: the tensors come beside them.
    if (box.checked && !BESIDE_VIEWS.has(store.state.viewTab ?? "diagram")) patch.viewTab = "tensors";
    store.set(patch, "tab");
  });
  const paint = () => {
    const fits = besideFits(store);
    box.checked = Boolean(store.state.beside);
    box.disabled = !fits;
    label.title = fits ? "Show the chosen PyTorch view beside the neuron diagram"
      : `Needs a window at least ${BESIDE_MIN_WIDTH[store.state.presenting ? "presenting" : "normal"]} px wide`;
    label.classList.toggle("unavailable", !fits);
  };
  // A resize across the width limit, or entering presentation mode, changes what is on screen.
  for (const w of [BESIDE_MIN_WIDTH.normal, BESIDE_MIN_WIDTH.presenting]) {
    matchMedia(`(min-width: ${w}px)`).addEventListener("change", () => {
      paint();
      if (store.state.beside) {
        repaint();
        store.emit("tab");
      }
    });
  }
  store.addEventListener("change", (e) => {
    if (["tab", "init", "present", "restore"].includes(e.detail.reason)) paint();
  });
  paint();
  return { paint };
}
