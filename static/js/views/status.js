// The status line: computing…, the server's error message (the edit stays), a diverged
// banner; and the batch loss readout [data-testid="loss"].

import { fmt } from "../format.js";
import { lossGrowth } from "../progress.js";
import { h, setAttrs, setText } from "./dom.js";

export function mountStatus(root, store) {
  const loss = h("span", { class: "loss-readout", "data-testid": "loss", "aria-live": "polite" });
  const line = h("span", { id: "status-line", class: "status-line", "data-status": "", role: "status" });
  const banner = h("p", { class: "diverged", "data-diverged": "", hidden: true, role: "alert" },
    "Diverged: some numbers are not finite (NaN or ∞). Lower the learning rate ε or edit the weights; “Apply” is off.");
  const growing = h("p", { class: "warning", "data-loss-warning": "", hidden: true, role: "alert" });
  root.append(loss);
  // Messages have their own row under the header: never over the controls, never growing it.
  const messages = document.querySelector("[data-region=messages]") ?? root;
  messages.append(line, banner, growing);

  // "computing…" only when an answer is slow: a fast recompute must not blink the header.
  let slow = null;
  store.addEventListener("change", (e) => {
    if (e.detail.reason === "highlight") return;
    if (store.state.pending && !slow) {
      slow = setTimeout(() => {
        if (store.state.pending && !store.state.error) line.textContent = "computing…";
      }, 400);
    } else if (!store.state.pending) {
      clearTimeout(slow);
      slow = null;
    }
    const { response, error, pending, request } = store.state;
    const n = request?.x.length ?? 1;
    // Written when changed only: the loss readout is a live region, and this runs per answer.
    setText(loss, response ? `L = ${fmt(response.loss)}${n > 1 ? ` (batch of ${n})` : ""}` : "L = …");
    setAttrs(loss, { "data-value": response ? String(response.loss) : "" });
    root.classList.toggle("error", Boolean(error));
    messages.classList.toggle("error", Boolean(error));
    root.toggleAttribute("data-pending", Boolean(pending)); // a hook: tests wait for the answer
    if (error) setText(line, `⚠ ${error.message}`);
    else if (!pending) setText(line, "");
    if (banner.hidden !== !response?.diverged) banner.hidden = !response?.diverged;
    const rise = lossGrowth(store.state.lossHistory ?? []);
    const quiet = !rise || Boolean(response?.diverged);
    if (growing.hidden !== quiet) growing.hidden = quiet;
    if (rise) growing.textContent = `⚠ The loss grew over the last ${rise.updates} updates (${fmt(rise.from)} → ${fmt(rise.to)}): the learning rate ε may be too large.`;
    messages.toggleAttribute("data-empty", !line.textContent && banner.hidden && growing.hidden);
  });
}
