// The status line: computing…, the server's error message (the edit stays), a diverged
// banner; and the batch loss readout [data-testid="loss"]: "L = ?" (pending) until the
// player reaches the loss step, so the header does not give L away during the forward pass.

import { fmt } from "../format.js";
import { lossGrowth } from "../progress.js";
import { h, setAttrs, setText } from "./dom.js";

export function mountStatus(root, store) {
  // Both texts share one grid cell: the readout is as wide as the wider, so showing L at the
  // loss step moves nothing in the header. data-value is always the answer's loss (a hook).
  const known = h("span", { class: "loss-known", "data-loss-known": "" });
  const later = h("span", { class: "loss-later", "data-loss-later": "", title: "L is not computed yet: the loss step comes after the forward pass" });
  // The widest L the page writes (fmt: 11 characters) holds the room, so a growing loss does not move the header either.
  const reserve = h("span", { class: "loss-reserve", "aria-hidden": "true" });
  const loss = h("span", { class: "loss-readout", "data-testid": "loss", "aria-live": "polite" }, known, later, reserve);
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
    setText(known, response ? `L = ${fmt(response.loss)}${n > 1 ? ` (batch of ${n})` : ""}` : "L = …");
    setText(later, "L = ?");
    setText(reserve, `L = −00000.0000${n > 1 ? ` (batch of ${n})` : ""}`);
    setAttrs(loss, { "data-value": response ? String(response.loss) : "" });
    loss.toggleAttribute("data-computed", lossReached(store));
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

/** Has the player reached the step that computes L (or is there no such step to wait for)? */
function lossReached(store) {
  const at = store.steps.findIndex((s) => s.target === "L");
  return at < 0 || store.state.step >= at;
}
