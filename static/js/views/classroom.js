// Classroom mode: hide the controls a lesson does not need (as TensorFlow Playground does),
// kept in the link (store.state.hiddenControls), and switch predict-then-reveal on or off.
// The dialog is opened from the File menu, which itself is never hidden.

import { h } from "./dom.js";

// [id, what the teacher reads, the element (a field label around it goes too)].
export const CLASSROOM_CONTROLS = [
  ["preset", "Preset menu", "[data-control=preset]"],
  ["edges", "Edges menu (weights / gradients)", "[data-control=view]"],
  ["theme", "Theme menu", "[data-control=theme]"],
  ["build", "Build panel button", "[data-control=panel]"],
  ["explain", "Explanation button", "[data-control=explain]"],
  ["present", "Presentation button", "[data-control=present]"],
  ["tabs", "View tabs", "[data-region=view-tabs]"],
  ["loss", "Loss in the header", "[data-testid=loss]"],
  ["transport", "Player buttons and speed", "[data-region=player] .transport"],
  ["slider", "Step slider", "[data-step-slider]"],
  ["phases", "Phase buttons", "[data-region=player] .phases"],
  ["counter", "Step counter", "[data-step-counter]"],
  ["apply", "Apply update", "[data-apply]"],
];

/** Mark the chosen controls hidden (attribute data-classroom-hidden; the CSS hides it). */
export function applyHidden(hidden) {
  const chosen = new Set(hidden);
  for (const [id, , selector] of CLASSROOM_CONTROLS) {
    for (const el of document.querySelectorAll(selector)) {
      const target = el.closest(".field") ?? el;
      target.toggleAttribute("data-classroom-hidden", chosen.has(id));
    }
  }
}

export function mountClassroom(store) {
  const boxes = CLASSROOM_CONTROLS.map(([id, label]) => h("input", { type: "checkbox", "data-hide-control": id, "data-label": label, onchange: () => {
    const hidden = boxes.filter((b) => b.checked).map((b) => b.dataset.hideControl);
    store.set({ hiddenControls: hidden }, "classroom");
  } }));
  const predict = h("input", { type: "checkbox", "data-predict-toggle": "", onchange: () => store.set({ predict: predict.checked }, "classroom") });
  const close = h("button", { type: "button", "data-classroom-close": "", onclick: () => dialog.close() }, "Done");
  const dialog = h("dialog", { class: "classroom-dialog", "data-classroom-dialog": "", "aria-labelledby": "classroom-title" },
    h("h2", { id: "classroom-title", text: "Classroom" }),
    h("fieldset", {}, h("legend", { text: "Hide these controls (the link keeps the choice)" }),
      ...boxes.map((b) => h("label", { class: "check" }, b, h("span", { text: b.dataset.label })))),
    h("label", { class: "check" }, predict, h("span", { text: "Predict then reveal: hide each step's value until the class has guessed" })),
    h("div", { class: "menu-row" }, close));
  dialog.addEventListener("close", () => store.set({ classroomOpen: false }, "classroom-dialog"));
  // Escape closes the dialog only (not presentation mode too); the page's keys wait outside it.
  dialog.addEventListener("keydown", (e) => e.stopPropagation());
  document.body.append(dialog);

  // The controls are marked when the choice changes, not on every change of the page (an
  // edit's answer would otherwise query the page for each control).
  let applied = null;
  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    if (reason === "highlight" || reason === "pending") return;
    const s = store.state;
    if (reason === "classroom-dialog" && s.classroomOpen && !dialog.open) dialog.showModal();
    const hidden = s.hiddenControls ?? [];
    const key = `${hidden.join(" ")}|${Boolean(s.predict)}`;
    if (key === applied && !["classroom", "restore", "presets", "present", "tab"].includes(reason)) return;
    applied = key;
    for (const b of boxes) b.checked = hidden.includes(b.dataset.hideControl);
    predict.checked = Boolean(s.predict);
    applyHidden(hidden);
  });
}
