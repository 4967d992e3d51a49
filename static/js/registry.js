// The registry as the server serves it (GET /api/registry): every activation, loss and
// optimizer with its symbol, templates and limits, the address table and the server's
// limits. The page's menus, formulas and checks read it; nothing here is a second list.
// Pure: no DOM.

import { makeAddresses } from "./addresses.js";

/** The registry JSON indexed by id, with the addresses of its quantity table. */
export function indexRegistry(json) {
  const byId = (list) => new Map(list.map((entry) => [entry.id, entry]));
  const losses = byId(json.losses);
  return {
    json,
    activations: byId(json.activations),
    losses,
    optimizers: byId(json.optimizers),
    limits: json.limits ?? {},
    addresses: makeAddresses(json.quantities),
    /** Does this loss take class indices as targets (one target box, y a list of ints)? */
    classes: (lossId) => losses.get(lossId)?.targets === "classes",
  };
}
