// Messages about the kept state (link read, file loaded or refused, snapshot saved) in
// their own line under the header, never over the controls; dismissed with ×.

import { h } from "./dom.js";

export function mountNotice(root, store) {
  const text = h("span", { "data-notice-text": "" });
  const close = h("button", { type: "button", class: "notice-close", "aria-label": "Dismiss the message", onclick: () => store.set({ notice: null }, "notice") }, "×");
  const box = h("p", { class: "notice", "data-notice": "", role: "status", hidden: true }, text, close);
  root.append(box);
  store.addEventListener("change", (e) => {
    if (e.detail.reason !== "notice") return;
    const n = store.state.notice;
    box.hidden = !n;
    box.dataset.kind = n?.kind ?? "";
    text.textContent = n?.text ?? "";
  });
}
