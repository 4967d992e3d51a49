// The header: preset picker, what the diagram draws (weights / gradients / both), theme,
// the side panel toggle and presentation mode. Also reflects theme and mode on <html>.

import { h, setAttrs } from "./dom.js";

const THEMES = [["light", "Light"], ["dark", "Dark"], ["contrast", "High contrast"]];
const VIEWS = [["auto", "Auto (by phase)"], ["weights", "Weights"], ["grads", "Gradients"], ["both", "Both"]];

export function mountToolbar(root, store) {
  const preset = h("select", { "aria-label": "Preset", "data-control": "preset", onchange: () => store.loadPreset(preset.value) });
  const view = h("select", { "aria-label": "Show on the edges", "data-control": "view", onchange: () => store.set({ view: view.value }, "view") },
    ...VIEWS.map(([v, t]) => h("option", { value: v, text: t })));
  const theme = h("select", { "aria-label": "Theme", "data-control": "theme", onchange: () => store.set({ theme: theme.value }, "theme") },
    ...THEMES.map(([v, t]) => h("option", { value: v, text: t })));
  const panel = h("button", { type: "button", class: "toggle", "data-control": "panel", "aria-controls": "side-panel", onclick: () => store.set({ panelOpen: !store.state.panelOpen }, "panel") }, "Build");
  const explain = h("button", { type: "button", class: "toggle", "data-control": "explain", "aria-controls": "explain", title: "Show or hide the explanation (E)", onclick: () => store.set({ explainOpen: !store.state.explainOpen }, "panel") }, "Explain");
  const present = h("button", { type: "button", class: "toggle", "data-control": "present", title: "Presentation mode (F)", onclick: () => store.set({ presenting: !store.state.presenting }, "present") }, "Present");

  root.append(
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Preset" }), preset),
    h("label", { class: "field" }, h("span", { class: "field-label", text: "Edges" }), view),
    h("label", { class: "field theme-field" }, h("span", { class: "field-label", text: "Theme" }), theme),
    panel,
    explain,
    present,
  );

  store.addEventListener("change", (e) => {
    const reason = e.detail.reason;
    const s = store.state;
    if (reason === "presets" || (reason === "request" && preset.options.length === 0)) {
      preset.replaceChildren(...s.presets.map((p) => h("option", { value: p.id, text: p.title, title: p.description })));
    }
    if (s.presetId && preset.value !== s.presetId) preset.value = s.presetId;
    if (view.value !== s.view) view.value = s.view;
    if (theme.value !== s.theme) theme.value = s.theme;
    // Written only when they change (this runs on every edit's answer, and a write to <html>
    // can make the browser recheck the style of every element).
    const html = document.documentElement;
    const flag = (on) => (on ? "" : null);
    setAttrs(html, { "data-theme": s.theme, "data-presenting": flag(s.presenting), "data-panel-open": flag(s.panelOpen), "data-explain-closed": flag(!s.explainOpen) });
    setAttrs(explain, { "aria-expanded": String(s.explainOpen) });
    setAttrs(present, { "aria-pressed": String(s.presenting) });
    setAttrs(panel, { "aria-expanded": String(s.panelOpen) });
    if (reason === "theme") localStorage.setItem("backprop-lab-theme", s.theme);
  });
}
