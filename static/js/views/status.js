// The status line: computing…, the server's error message (the edit stays), a diverged
// banner; and the batch loss readout [data-testid="loss"].

import { fmt } from "../format.js";
import { h } from "./dom.js";

export function mountStatus(root, store) {
  const loss = h("span", { class: "loss-readout", "data-testid": "loss", "aria-live": "polite" });
  const line = h("span", { id: "status-line", class: "status-line", "data-status": "", role: "status" });
  const banner = h("p", { class: "diverged", "data-diverged": "", hidden: true, role: "alert" },
    "Diverged: some numbers are not finite (NaN or ∞). Lower the learning rate ε or edit the weights; “Apply” is off.");
  root.append(loss, line);
  document.querySelector("[data-banner-slot]")?.append(banner);

  store.addEventListener("change", (e) => {
    if (e.detail.reason === "highlight") return;
    const { response, error, pending, request } = store.state;
    const n = request?.x.length ?? 1;
    loss.textContent = response ? `L = ${fmt(response.loss)}${n > 1 ? ` (batch of ${n})` : ""}` : "L = …";
    loss.setAttribute("data-value", response ? String(response.loss) : "");
    root.classList.toggle("error", Boolean(error));
    line.textContent = error ? `⚠ ${error.message}` : pending ? "computing…" : "";
    banner.hidden = !response?.diverged;
  });
}
