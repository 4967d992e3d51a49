// The autograd graph as a layered drawing, like torchviz: the loss on top, each backward node
// below every node that sends it a gradient, the AccumulateGrad leaves at the bottom; the
// order autograd runs the nodes; and a Linear module's nodes collapsed into one box.
// Pure: no DOM. Edges go {from, to} as the API sends them: from the loss end toward the leaves.

const childrenOf = (edges) => {
  const out = new Map();
  for (const e of edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from).push(e.to);
  }
  return out;
};

/**
 * The order in which autograd runs the nodes: each node once all the nodes that send it a
 * gradient have run (the API's `order` when the nodes carry it, else a breadth-first
 * topological order from the root). Returns ids, the root first.
 */
export function backwardOrder(nodes, edges) {
  // The API's order, when every node that receives a gradient has one (the root, the loss, may not).
  const fed = new Set(edges.map((e) => e.to));
  if (nodes.some((n) => Number.isInteger(n.order)) && nodes.every((n) => Number.isInteger(n.order) || !fed.has(n.id))) {
    const rank = (n) => (Number.isInteger(n.order) ? n.order : -1);
    return [...nodes].sort((a, b) => rank(a) - rank(b)).map((n) => n.id);
  }
  const waiting = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) waiting.set(e.to, (waiting.get(e.to) ?? 0) + 1);
  const kids = childrenOf(edges);
  const queue = nodes.filter((n) => waiting.get(n.id) === 0).map((n) => n.id);
  const order = [];
  while (queue.length) {
    const id = queue.shift();
    order.push(id);
    for (const c of kids.get(id) ?? []) {
      waiting.set(c, waiting.get(c) - 1);
      if (waiting.get(c) === 0) queue.push(c);
    }
  }
  return order;
}

/** Each node's rank: the longest path from a root, so every edge points downward. */
export function ranks(nodes, edges) {
  const rank = new Map(nodes.map((n) => [n.id, 0]));
  const kids = childrenOf(edges);
  for (const id of backwardOrder(nodes.map(({ id }) => ({ id })), edges)) {
    for (const c of kids.get(id) ?? []) rank.set(c, Math.max(rank.get(c), rank.get(id) + 1));
  }
  return rank;
}

/**
 * A layered layout: `size(node)` → {w, h}; `gap` between boxes, `rowGap` between ranks.
 * Returns {nodes: [{id, x, y, w, h, rank}], edges: [{from, to, x1, y1, x2, y2, points}], width, height}
 * with x, y the box's top-left corner and an edge's points the polyline it is drawn along (a
 * row between its ends is crossed through a gap between that row's boxes); within a rank,
 * boxes sit under their parents (barycentre).
 * `beside(node)` true: a leaf with one parent (or a root with one child) sits in its
 * neighbour's row, next to it, instead of a row of its own — the graph gets shorter, so it fits
 * a projector's panel — unless that row would get wider than `maxWidth`. A rank wider than
 * `maxWidth` is laid out over several rows (each node's `lane` is its row).
 */
export function layoutDag(nodes, edges, size, { gap = 24, rowGap = 48, pad = 8, beside = null, maxWidth = Infinity } = {}) {
  const rank = ranks(nodes, edges);
  const parents = new Map();
  for (const e of edges) {
    if (!parents.has(e.to)) parents.set(e.to, []);
    parents.get(e.to).push(e.from);
  }
  const kids = childrenOf(edges);
  const sizes = new Map(nodes.map((n) => [n.id, size(n)]));
  const side = new Map(); // id → the node it sits beside
  if (beside) {
    for (const n of nodes) {
      const ps = parents.get(n.id) ?? [];
      const ks = kids.get(n.id) ?? [];
      if (!beside(n)) continue;
      if (ps.length === 1 && !ks.length) side.set(n.id, ps[0]);
      else if (!ps.length && ks.length === 1) side.set(n.id, ks[0]);
    }
    // A row too wide with its side boxes keeps them below (or above) as before.
    const width = (ids) => ids.reduce((w, id) => w + sizes.get(id).w, 0) + gap * (ids.length - 1) + 2 * pad;
    const byRank = new Map();
    for (const n of nodes) if (!side.has(n.id)) (byRank.get(rank.get(n.id)) ?? byRank.set(rank.get(n.id), []).get(rank.get(n.id))).push(n.id);
    for (const [id, next] of [...side]) {
      const row = byRank.get(rank.get(next)) ?? [];
      if (width([...row, id]) > maxWidth) side.delete(id);
      else row.push(id);
    }
    for (const [id, next] of side) rank.set(id, rank.get(next));
    // Close the ranks left empty.
    const used = [...new Set(rank.values())].sort((a, b) => a - b);
    for (const [id, r] of rank) rank.set(id, used.indexOf(r));
  }
  const rows = [];
  for (const n of nodes) if (!side.has(n.id)) (rows[rank.get(n.id)] ??= []).push(n.id);
  // Order each rank by the mean position of its parents in the rank above (stable for ties),
  // then put each side box next to its neighbour: the first on its left, the next on its right.
  const pos = new Map();
  rows.forEach((row, r) => {
    if (r > 0) {
      const key = (id) => {
        const ps = (parents.get(id) ?? []).filter((p) => pos.has(p));
        return ps.length ? ps.reduce((s, p) => s + pos.get(p), 0) / ps.length : Infinity;
      };
      row.sort((a, b) => key(a) - key(b));
    }
    const full = [];
    for (const id of row) {
      const mine = [...side].filter(([, next]) => next === id).map(([s]) => s);
      full.push(...mine.filter((_, k) => k % 2 === 0).reverse(), id, ...mine.filter((_, k) => k % 2 === 1));
    }
    rows[r] = full;
    full.forEach((id, k) => pos.set(id, k));
  });
  const rowWidth = (row) => row.reduce((s, id) => s + sizes.get(id).w, 0) + gap * (row.length - 1);
  // A rank still wider than maxWidth (three AccumulateGrad boxes at 24 px beside a 1024 px
  // projector's explanation) takes as many rows as it needs, in its order: never wider.
  const lanes = [];
  for (const row of rows.filter(Boolean)) {
    let lane = [];
    for (const id of row) {
      if (lane.length && rowWidth([...lane, id]) + 2 * pad > maxWidth) {
        lanes.push(lane);
        lane = [];
      }
      lane.push(id);
    }
    lanes.push(lane);
  }
  const width = Math.max(0, ...lanes.map(rowWidth)) + 2 * pad;
  const placed = new Map();
  let y = pad;
  lanes.forEach((row, lane) => {
    const h = Math.max(...row.map((id) => sizes.get(id).h));
    let x = (width - rowWidth(row)) / 2;
    for (const id of row) {
      const { w, h: hh } = sizes.get(id);
      placed.set(id, { id, x, y: y + (h - hh) / 2, w, h: hh, rank: rank.get(id), lane });
      x += w + gap;
    }
    y += h + rowGap;
  });
  const height = y - rowGap + pad;
  // Each lane's band (top, bottom) and the free spans between its boxes, where an edge may pass.
  const bands = lanes.map((row) => {
    const boxes = row.map((id) => placed.get(id)).sort((p, q) => p.x - q.x);
    const top = Math.min(...boxes.map((p) => p.y));
    const bottom = Math.max(...boxes.map((p) => p.y + p.h));
    const edgesX = [0, ...boxes.flatMap((p) => [p.x, p.x + p.w]), width];
    const free = [];
    for (let k = 0; k < edgesX.length; k += 2) free.push([edgesX[k], edgesX[k + 1]]);
    return { top, bottom, free };
  });
  // Through a lane it skips, an edge passes in the free span nearest its straight course.
  const through = (band, x) => {
    let best = null;
    for (const [l, r] of band.free) {
      const margin = Math.min(gap / 2, (r - l) / 2);
      const at = Math.min(Math.max(x, l + margin), r - margin);
      if (best === null || Math.abs(at - x) < Math.abs(best - x)) best = at;
    }
    return best ?? x;
  };
  const lines = edges.filter((e) => placed.has(e.from) && placed.has(e.to)).map((e) => {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    let line;
    if (a.lane === b.lane) {
      // Side by side: from the facing edge of one box to the other's, at mid-height.
      const right = a.x < b.x;
      const ym = a.y + a.h / 2;
      line = { from: e.from, to: e.to, x1: right ? a.x + a.w : a.x, y1: ym, x2: right ? b.x : b.x + b.w, y2: ym };
    } else if (a.lane > b.lane) {
      // Up, for a side box that went to the row below its neighbour's.
      line = { from: e.from, to: e.to, x1: a.x + a.w / 2, y1: a.y, x2: b.x + b.w / 2, y2: b.y + b.h };
    } else {
      line = { from: e.from, to: e.to, x1: a.x + a.w / 2, y1: a.y + a.h, x2: b.x + b.w / 2, y2: b.y };
    }
    // The points it is drawn through: straight to a neighbouring lane; across the lanes between,
    // down (or up) a free span of each, so it never runs behind another box.
    const points = [[line.x1, line.y1]];
    const step = a.lane < b.lane ? 1 : -1;
    if (a.lane !== b.lane) for (let lane = a.lane + step; lane !== b.lane; lane += step) {
      const band = bands[lane];
      const mid = (band.top + band.bottom) / 2;
      const x = through(band, line.x1 + ((line.x2 - line.x1) * (mid - line.y1)) / (line.y2 - line.y1));
      points.push(...(step > 0 ? [[x, band.top], [x, band.bottom]] : [[x, band.bottom], [x, band.top]]));
    }
    points.push([line.x2, line.y2]);
    return { ...line, points };
  });
  return { nodes: [...placed.values()], edges: lines, width, height };
}

const LAYER_OF = /^[Wb]:(\d+)$/;

/**
 * Which Linear module each node belongs to ("L1", "L2"…): a parameter's AccumulateGrad leaf
 * by its address (W:1 → L1), a node whose child is that leaf (TBackward0, AddmmBackward0) or a
 * TBackward0 of the module. Activation and loss nodes and the input x belong to none.
 */
export function moduleOf(nodes, edges) {
  const group = new Map();
  for (const n of nodes) {
    const m = n.kind === "parameter" ? LAYER_OF.exec(n.address ?? "") : null;
    if (m) group.set(n.id, `L${m[1]}`);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const kids = childrenOf(edges);
  // Two passes: TBackward0 joins its leaf's module first, then the Addmm above joins through it.
  for (let pass = 0; pass < 2; pass += 1) {
    for (const n of nodes) {
      if (group.has(n.id) || n.kind !== "function") continue;
      for (const c of kids.get(n.id) ?? []) {
        const child = byId.get(c);
        const g = group.get(c);
        if (g && (child.kind === "parameter" || child.name === "TBackward0")) {
          group.set(n.id, g);
          break;
        }
      }
    }
  }
  return group;
}

/**
 * The graph with the modules in `collapsed` (a Set of "L1"…) drawn as one box each:
 * {nodes, edges}, a box being {id: "module:L1", kind: "module", module: "L1", members: [ids]}.
 */
export function collapse(nodes, edges, collapsed) {
  const group = moduleOf(nodes, edges);
  const rep = (id) => (collapsed.has(group.get(id)) ? `module:${group.get(id)}` : id);
  const out = [];
  const boxes = new Map();
  for (const n of nodes) {
    const r = rep(n.id);
    if (r === n.id) out.push(n);
    else if (!boxes.has(r)) {
      const box = { id: r, kind: "module", module: group.get(n.id), members: [n.id] };
      boxes.set(r, box);
      out.push(box);
    } else boxes.get(r).members.push(n.id);
  }
  const seen = new Set();
  const kept = [];
  for (const e of edges) {
    const from = rep(e.from);
    const to = rep(e.to);
    const key = `${from}→${to}`;
    if (from === to || seen.has(key)) continue;
    seen.add(key);
    kept.push({ from, to });
  }
  return { nodes: out, edges: kept };
}
