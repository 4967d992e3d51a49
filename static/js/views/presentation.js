// Presentation mode on a real projector: the Fullscreen API when the teacher turns it on (a
// key or a click is the user gesture the browser asks for; ?present in a link cannot go
// fullscreen by itself), and leaving fullscreen (Escape, the browser's own key) leaves it.
// Also the blank screen a clicker's "blank" key asks for ("." or B while presenting).

import { h } from "./dom.js";

export function mountPresentation(store) {
  const blank = h("div", { class: "blank-screen", "data-blank": "", hidden: true, "aria-label": "Blank screen: any key returns" });
  document.body.append(blank);
  let wasPresenting = store.state.presenting;
  let ours = false; // fullscreen that presentation mode asked for (not the user's own F11)

  // The Build panel that opened by itself on a wide screen steps aside while presenting and
  // comes back afterwards; once the teacher opens or closes it, it is theirs and stays so.
  let autoPanel = Boolean(store.state.panelAuto && store.state.panelOpen);
  let panelWas = store.state.panelOpen;
  let panelSteppedAside = false;
  const setPanel = (open) => {
    panelWas = open;
    store.set({ panelOpen: open }, "panel");
  };

  store.addEventListener("change", (e) => {
    if (e.detail.reason === "panel" && store.state.panelOpen !== panelWas) {
      panelWas = store.state.panelOpen;
      autoPanel = false;
      panelSteppedAside = false;
    }
    if (e.detail.reason !== "present") return;
    const on = store.state.presenting;
    if (on === wasPresenting) return;
    wasPresenting = on;
    if (on && autoPanel && store.state.panelOpen) {
      panelSteppedAside = true;
      setPanel(false);
    } else if (!on && panelSteppedAside) {
      panelSteppedAside = false;
      setPanel(true);
    }
    const doc = document;
    if (on && !doc.fullscreenElement && doc.documentElement.requestFullscreen) {
      // Refused without a user gesture (or by the browser): presentation mode works windowed.
      doc.documentElement.requestFullscreen({ navigationUI: "hide" }).then(() => { ours = true; }, () => {});
    } else if (!on && doc.fullscreenElement && ours) {
      ours = false;
      doc.exitFullscreen().catch(() => {});
    }
  });
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && ours) {
      ours = false;
      if (store.state.presenting) store.set({ presenting: false }, "present");
    }
  });

  return {
    get blanked() { return !blank.hidden; },
    toggleBlank(on = blank.hidden) {
      blank.hidden = !on;
    },
  };
}
