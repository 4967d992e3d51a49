// Wiring: one store, one view per region of the page, and the keyboard shortcuts.

import { Store } from "./store.js";
import { PHASES } from "./progress.js";
import { mountBatch } from "./views/batch.js";
import { mountBuild } from "./views/build.js";
import { mountCode } from "./views/code.js";
import { mountEditing } from "./views/editing.js";
import { mountExplain } from "./views/explain.js";
import { mountGraph } from "./views/graph.js";
import { mountModules } from "./views/modules.js";
import { mountNetwork } from "./views/network.js";
import { mountPlayer } from "./views/player.js";
import { mountPresentation } from "./views/presentation.js";
import { mountStatus } from "./views/status.js";
import { mountTabs, nextView } from "./views/tabs.js";
import { mountTensors } from "./views/tensors.js";
import { mountToolbar } from "./views/toolbar.js";
import { mountTrain } from "./views/train.js";
import { mountValues } from "./views/values.js";
import { Keeper, readLink } from "./state/keeper.js";
import { mountClassroom } from "./views/classroom.js";
import { mountFileMenu } from "./views/filemenu.js";
import { mountNotice } from "./views/notice.js";
import { mountPredict } from "./views/predict.js";

const $ = (sel) => document.querySelector(sel);
const store = new Store();
const params = new URLSearchParams(location.search);
const prefersDark = matchMedia("(prefers-color-scheme: dark)").matches;
Object.assign(store.state, {
  theme: params.get("theme") || localStorage.getItem("backprop-lab-theme") || (prefersDark ? "dark" : "light"),
  presenting: params.has("present"),
  // The Build panel opens by itself on a wide screen, except in presentation: on a projector
  // it opens only when asked (?panel, a link that kept it open, B or the Build button).
  panelOpen: params.has("panel") || (innerWidth >= 1600 && !params.has("present")),
  panelAuto: !params.has("panel") && innerWidth >= 1600,
  explainOpen: !params.has("no-explain"),
  viewTab: params.get("view") || "diagram",
  beside: params.has("beside"), // a PyTorch view beside the diagram (views/beside.js)
  hiddenControls: [], // classroom mode: controls the teacher hid
  predict: false, // classroom mode: predict then reveal
});
// A link's saved state (#v1.…) wins over the defaults: network, values, step and view.
const link = await readLink();
Object.assign(store.state, link?.patch ?? {});
if (link?.patch && "panelOpen" in link.patch) store.state.panelAuto = false; // the link's own choice
const keeper = new Keeper(store);

mountToolbar($("[data-region=toolbar]"), store);
mountTabs($("[data-region=view-tabs]"), store);
mountStatus($("[data-region=status]"), store);
mountNetwork($("[data-region=diagram]"), store);
mountEditing($("[data-region=diagram]"), store);
mountExplain($("[data-testid=explain]"), store);
mountPlayer($("[data-region=player]"), store);
mountBuild($("[data-region=build]"), store);
mountBatch($("[data-region=batch]"), store);
mountValues($("[data-region=values]"), store);
mountTensors($("[data-view=tensors]"), store);
mountModules($("[data-view=modules]"), store);
mountGraph($("[data-view=graph]"), store);
mountCode($("[data-view=code]"), store);
mountTrain($("[data-view=train]"), store);
mountNotice($("[data-banner-slot]"), store);
mountFileMenu($("[data-region=toolbar]"), store, keeper);
mountClassroom(store);
mountPredict($("[data-testid=explain]"), store);
const presentation = mountPresentation(store);

// A mouse click does not leave the keyboard on a button (nor on the element focused before):
// Space then always plays or steps instead of pressing the last clicked button again.
document.addEventListener("mousedown", (e) => {
  if (!e.target.closest?.("button")) return;
  e.preventDefault();
  if (document.activeElement?.closest?.("button, [role=button]")) document.activeElement.blur();
});

// Keys that would fight a focused control's own keys are left to it.
const TYPING = "input, select, textarea, [contenteditable]";
document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  // A blank screen: any key brings the page back (and does nothing else).
  if (presentation.blanked) {
    presentation.toggleBlank(false);
    e.preventDefault();
    return;
  }
  const t = e.target;
  if (t.closest?.(TYPING)) return;
  const k = e.key;
  // An element with role="button" answers Space and Enter as a <button> does.
  const roleButton = t.closest?.("[role=button]:not(button)");
  if (roleButton && (k === " " || k === "Enter")) {
    roleButton.click();
    e.preventDefault();
    return;
  }
  const onButton = t.closest?.("button");
  const presenting = store.state.presenting;
  // PageDown / PageUp: what presentation clickers send; F5 / Shift+F5 start the show, Escape
  // ends it, "." (and B while presenting) blank the screen, as in slide software.
  if (k === "ArrowRight" || k === "PageDown" || (k === " " && !onButton)) store.next();
  else if (k === "ArrowLeft" || k === "PageUp") store.previous();
  else if (k === "Home") store.goTo(0);
  else if (k === "End") store.goTo(Infinity);
  else if (k >= "1" && k <= "4") store.jumpToPhase(PHASES[Number(k) - 1]);
  else if (k === "p" || k === "P") store.togglePlay();
  else if (k === "f" || k === "F") store.set({ presenting: !store.state.presenting }, "present");
  else if (k === "." || ((k === "b" || k === "B") && presenting)) presentation.toggleBlank(true);
  else if (k === "b" || k === "B") store.set({ panelOpen: !store.state.panelOpen }, "panel");
  else if (k === "F5") !presenting && store.set({ presenting: true }, "present");
  else if (k === "e" || k === "E") store.set({ explainOpen: !store.state.explainOpen }, "panel");
  else if (k === "a" || k === "A") store.apply();
  else if (k === "v" || k === "V") store.set({ viewTab: nextView(store) }, "tab");
  else if (k === "Escape" && store.state.presenting) store.set({ presenting: false }, "present");
  else return;
  e.preventDefault();
});

store.emit("theme");
store.emit("classroom");
if (link?.notice) store.set({ notice: link.notice }, "notice");
store.init(params.get("preset") || "lecture", link?.start);
window.backpropLab = store; // for the console and the screenshot script
