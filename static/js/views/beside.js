// "Beside the diagram": a PyTorch view (tensors, modules, graph, code) shares the stage with the
// neuron diagram, so a hover or a selection in one is seen in the other at once (linking.js).
// Only where both stay readable: when the centre of the page (between the build panel and the
// explanation) is at least 860 px wide in normal mode — a 1280 px window — and 1300 px in
// presentation mode, whose 24 px text needs the room (a 1920 px projector with the build panel
// closed; at 1280×720 the views stay tabs). store.state.beside is the choice (kept in the link's
// view state); besideActive says whether it applies now.

import { h } from "./dom.js";

export const BESIDE_VIEWS = new Set(["tensors", "modules", "graph", "code"]);
export const BESIDE_MIN_WIDTH = { normal: 860, presenting: 1300 };

let centre = null; // the width of the page's centre, kept by a ResizeObserver (mountBesideToggle)
const centreWidth = () => centre ?? document.querySelector(".center")?.clientWidth ?? 0;

/** Is the centre of the page wide enough for two views side by side, in the current mode? */
export const besideFits = (store) => centreWidth() >= BESIDE_MIN_WIDTH[store.state.presenting ? "presenting" : "normal"];

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
      : `Needs ${BESIDE_MIN_WIDTH[store.state.presenting ? "presenting" : "normal"]} px between the panels: a wider window, or close the build panel`;
    label.classList.toggle("unavailable", !fits);
  };
  // A resize across the width limit, entering presentation mode or opening a panel changes what fits.
  const centreEl = document.querySelector(".center");
  let fitted = null;
  if (centreEl) {
    new ResizeObserver(([entry]) => {
      centre = entry.contentRect.width;
      const fits = besideFits(store);
      if (fits === fitted) return;
      fitted = fits;
      paint();
      if (store.state.beside) {
        repaint();
        store.emit("tab");
      }
    }).observe(centreEl);
  }
  store.addEventListener("change", (e) => {
    if (["tab", "init", "present", "restore"].includes(e.detail.reason)) paint();
  });
  paint();
  return { paint };
}
