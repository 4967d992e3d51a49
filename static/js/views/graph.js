// The autograd graph view: the grad_fn graph of the answer drawn as a layered DAG like
// torchviz (the loss on top, AccumulateGrad leaves with each parameter's name and shape at the
// bottom), stepped node by node in the order autograd runs them, each node run showing the
// gradient it passes on. Clicking a parameter leaf selects that tensor in every view; a
// Linear module's nodes collapse into one box on demand. The switches (accumulate, freeze,
// no_grad) and the gradient check sit above it (graphcontrols.js, gradcheck.js). The nodes are
// one tab stop (gridkeys.js): the arrows move between them; Enter (or a click) on a leaf selects
// its parameter, on a collapsed module expands it, on a backward node runs autograd up to it.

import { backwardOrder, collapse, layoutDag, moduleOf } from "../dag.js";
import { fmtTensor } from "../format.js";
import { flowText, gradName, isStepNode, nodeTensor } from "../gradflow.js";
import { linkMarks } from "../linking.js";
import { isShown } from "./tabs.js";
import { h, setAttrs, setText, svg } from "./dom.js";
import { mountGraphControls } from "./graphcontrols.js";
import { mountGradcheck } from "./gradcheck.js";
import { roving } from "./gridkeys.js";

const shapeText = (shape) => `(${(shape ?? []).join(", ")})`;

export function mountGraph(root, store) {
  const controls = h("div", { class: "graph-controls" });
  const stepper = h("div", { class: "graph-stepper", role: "group", "aria-label": "Backward, node by node" });
  const modules = h("div", { class: "graph-modules", role: "group", "aria-label": "Collapse modules" });
  const detail = h("p", { class: "graph-detail", "data-graph-detail": "", "aria-live": "polite" });
  const check = h("div", { class: "graph-check" });
  const wrap = h("div", { class: "graph-wrap" });
  const el = svg("svg", { class: "autograd", role: "group", "data-graph": "", tabindex: -1, // the nodes are the tab stop, not the drawing
    "aria-label": "Autograd graph: arrow keys move between the nodes; Enter selects a parameter, expands a module or runs autograd up to a node" });
  wrap.append(el);
  el.addEventListener("pointerleave", () => store.setHoverTensor(null));
  // The switches fold away: the graph itself needs the height on a projector.
  const switches = h("details", { class: "graph-switches", "data-switches": "" },
    h("summary", { title: "backward() twice without zero_grad() · freeze a layer · torch.no_grad()" }, "Switches"), controls);
  // The bar stays put; the graph and the check scroll below it (stepping keeps the node in sight).
  wrap.append(check);
  root.append(h("div", { class: "torch-bar" }, stepper, modules, switches, detail), wrap);
  mountGraphControls(controls, store);
  mountGradcheck(check, store);

  const actions = new Map(); // node id → what Enter or a click does
  const syncKeys = roving(el, "g.graph-node", {
    key: (g) => g.dataset.nodeId,
    activate: (g) => actions.get(g.dataset.nodeId)?.(),
    onFocus: (g) => store.setHoverTensor(g?.dataset.tensor ?? null),
  });
  const measure = document.createElement("canvas").getContext("2d");
  const collapsed = new Set();
  let k = Infinity; // autograd has run the nodes order[0..k]
  let graphKey = null;
  let built = null;
  let numbers = 2; // how many numbers of a gradient a box shows

  const button = (text, label, onclick, attrs = {}) => h("button", { type: "button", "aria-label": label, title: label, onclick, ...attrs }, text);
  const counter = h("span", { class: "graph-counter", "data-graph-step": "" });
  stepper.append(
    button("Start", "Before the backward pass: only the loss", () => go(0), { "data-graph-go": "first" }),
    button("◀", "Previous node", () => go(k - 1), { "data-graph-go": "previous" }),
    counter,
    button("▶", "Next node autograd runs", () => go(k + 1), { "data-graph-go": "next" }),
    button("End", "The whole backward pass", () => go(Infinity), { "data-graph-go": "last" }),
  );

  function go(next) {
    k = next;
    paint();
    // On a projector the graph is taller than its panel: keep the node autograd runs in sight.
    const b = built?.boxes.get(built.order[Math.min(k, built.order.length - 1)]);
    b?.g.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }

  // On a projector (compact) a leaf is two lines: its name, then its tensor, shape and .grad; when
  // the graph is still taller than its panel, a backward node in a row of backward nodes only names its
  // gradient on its one line (`inline`: their ids).
  let compact = false;
  let inline = new Set();
  function nodeLines(n) {
    if (n.kind === "module") return [`Linear ${n.module.slice(1)}`, `${n.members.length} nodes`];
    if (n.kind === "output") return ["loss L"];
    if (n.kind === "parameter" && compact) return [n.name, `${n.label ?? n.param} ${shapeText(n.shape)}`];
    if (n.kind === "parameter") return [n.name, `${n.label ?? n.param} ${shapeText(n.shape)}`, ""];
    return n.receives?.length && !inline.has(n.id) ? [n.name, ""] : [n.name];
  }

  function build() {
    const { response } = store.state;
    const graph = response.autograd;
    const { nodes, edges } = collapse(graph.nodes, graph.edges, collapsed);
    const font = parseFloat(getComputedStyle(root).fontSize) || 16;
    // On a projector a box names its gradient without numbers (they are in the line above the graph
    // for the node autograd runs, and in each box's title): the whole graph fits at 24 px.
    numbers = store.state.presenting ? 0 : 2;
    compact = store.state.presenting;
    const line = font * (compact ? 1.15 : 1.25);
    // Boxes as wide as their text as the browser draws it (a guess per character wastes a projector's width).
    measure.font = `${font}px ${getComputedStyle(el).fontFamily}`;
    const textWidth = (t) => measure.measureText(t).width;
    const size = (n) => {
      const lines = nodeLines(n);
      // A leaf's last line is "∂L/∂W [g₀, g₁, …]" (compact: "W (2, 3) [g₀, …]"), written later: room for its numbers.
      const numbersText = numbers === 0 ? "" : "[−0.0000, −0.0000, …]";
      const room = n.kind === "parameter" ? (compact ? `${lines[1]} ${numbersText}` : `∂L/∂${n.label} ${numbersText}`)
        : inline.has(n.id) && n.receives?.length ? `${n.name} · ∂L/∂Wᵀ` : lines.length > 1 ? `∂L/∂W ${numbersText}` : "";
      const w = Math.max(...lines.map(textWidth), textWidth(room));
      return { w: w + font * 0.8, h: lines.length * line + font * 0.4 };
    };
    // The most open layout that fits the panel: torchviz's, every leaf at the foot of its parent and
    // the rows far enough apart for the arrows to read; then closer rows. On a projector, then, the
    // leaves and the loss sit beside the node they hang from (a graph half as tall); still taller
    // than the panel, the backward nodes take one line each (inline). The room is the panel's less
    // a line and a half: the bar above may grow as the stepper's text changes, and the graph is
    // laid out again only when the panel's size changes by more than that (see paint).
    const room = wrap.clientHeight - (check.hidden ? 0 : check.offsetHeight) - font * 1.5;
    const layout = ([rowGap, beside]) => layoutDag(nodes, edges, size, { gap: font * 0.5, rowGap: font * rowGap, pad: 4,
      beside: beside ? (n) => n.kind === "parameter" || n.kind === "output" : null, maxWidth: wrap.clientWidth || Infinity });
    const fits = (t) => room > 0 && t.height <= room;
    const open = compact ? [[2, false], [1.5, false], [1, false], [1.5, true], [1, true], [0.75, true], [0.5, true]]
      : [[2, false], [1.5, false], [1, false], [0.75, false]];
    inline = new Set();
    let lay = null;
    for (const choice of open) {
      lay = layout(choice);
      if (fits(lay)) break;
    }
    if (compact && room > 0 && lay.height > room) {
      const rowOf = new Map(lay.nodes.map((p) => [p.id, p.rank]));
      const kind = new Map(nodes.map((n) => [n.id, n.kind]));
      const mixed = new Set(lay.nodes.filter((p) => !["function", "output"].includes(kind.get(p.id))).map((p) => rowOf.get(p.id)));
      inline = new Set(lay.nodes.filter((p) => kind.get(p.id) === "function" && !mixed.has(rowOf.get(p.id))).map((p) => p.id));
      lay = [[0.5, true], [0.35, true]].map(layout).find(fits) ?? layout([0.35, true]);
    }
    el.replaceChildren();
    setAttrs(el, { width: lay.width, height: lay.height, viewBox: `0 0 ${lay.width} ${lay.height}` });
    // As tall as its panel, up to 1.5× its size and never wider than the panel: a wide screen draws
    // the graph larger; normal mode shrinks it to 0.8 before it scrolls, a projector never below its 24 px text.
    const fill = room > 0 ? Math.min(1.5, room / lay.height) : 1.5;
    el.style.width = `min(100%, ${Math.ceil(lay.width * Math.max(store.state.presenting ? 1 : 0.8, fill))}px)`;
    const marker = svg("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerUnits: "userSpaceOnUse",
      markerWidth: font * 0.6, markerHeight: font * 0.6, orient: "auto-start-reverse" }, svg("defs", {}, el));
    svg("path", { d: "M0,0 L10,5 L0,10 z", class: "graph-arrowhead" }, marker);
    const gEdges = svg("g", { class: "graph-edges" }, el);
    const parts = new Map();
    for (const e of lay.edges) {
      // Gradients flow from the loss down to the leaves: the arrow points the way they go.
      // (along a gap of each row it crosses, never behind a box: see layoutDag)
      const points = e.points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
      parts.set(`${e.from}→${e.to}`, svg("polyline", { points, "marker-end": "url(#graph-arrow)", "data-edge-from": e.from, "data-edge-to": e.to }, gEdges));
    }
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const boxes = new Map();
    for (const p of lay.nodes) {
      const n = byId.get(p.id);
      const leaf = n.kind === "parameter";
      const attrs = { class: `graph-node kind-${n.kind}`, "data-node-id": n.id, transform: `translate(${p.x},${p.y})` };
      if (n.kind === "function" || leaf) attrs["data-grad-fn"] = n.name;
      attrs.role = "button";
      attrs["aria-label"] = n.kind === "module" ? `Linear ${n.module.slice(1)}, collapsed: expand`
        : n.kind === "output" ? "the loss L" : leaf ? `${n.name} of ${n.label} ${shapeText(n.shape)}: select` : `${n.name}: run autograd up to it`;
      if (leaf) Object.assign(attrs, { "data-param": n.address });
      if (n.kind === "module") Object.assign(attrs, { "data-module": n.module });
      if (n.kind === "output") attrs["data-loss"] = "";
      const key = nodeTensor(n);
      if (key) attrs["data-tensor"] = key;
      const g = svg("g", attrs);
      g.addEventListener("pointerenter", () => store.setHoverTensor(key));
      svg("rect", { width: p.w, height: p.h, rx: font * 0.4 }, g);
      const texts = nodeLines(n).map((t, i) => {
        const text = svg("text", { x: p.w / 2, y: font * 0.2 + line * (i + 0.5), dy: "0.35em", "text-anchor": "middle", class: i === 0 ? "gn-name" : "gn-sub" }, g);
        text.textContent = t;
        return text;
      });
      const title = svg("title", {}, g);
      el.append(g);
      boxes.set(n.id, { g, texts, title, n, key });
    }
    // Autograd's order over what is drawn: a box runs when its first member runs.
    const group = moduleOf(graph.nodes, graph.edges);
    const rep = (id) => (collapsed.has(group.get(id)) ? `module:${group.get(id)}` : id);
    const order = [];
    for (const id of backwardOrder(graph.nodes, graph.edges)) if (!order.includes(rep(id))) order.push(rep(id));
    actions.clear();
    for (const [id, { g, n }] of boxes) {
      const act = n.kind === "parameter" ? () => store.selectParam(store.state.selectedParam === n.address ? null : n.address)
        : n.kind === "module" ? () => { collapsed.delete(n.module); paint(); }
          : () => go(order.indexOf(id));
      actions.set(id, act);
      g.addEventListener("click", act);
    }
    return { boxes, order, edges: parts, byId: new Map(graph.nodes.map((n) => [n.id, n])) };
  }

  function paint() {
    const { response, request, reg, noGrad } = store.state;
    if (!request || !reg || !isShown(store, "graph")) return;
    if (!response) return setText(detail, "Waiting for the server's answer…");
    const graph = response.autograd;
    if (!graph || noGrad) {
      el.replaceChildren();
      built = null;
      graphKey = null;
      setText(counter, "");
      setText(detail, "torch.no_grad(): the forward pass recorded no graph, so there is nothing to draw and no gradient.");
      return;
    }
    // On a projector the check below the graph waits until a parameter is picked: the graph has the height.
    check.hidden = store.state.presenting && !store.state.selectedParam;
    const key = JSON.stringify([graph, [...collapsed].sort(), store.state.presenting, check.hidden,
      Math.round(wrap.clientWidth / 40), Math.round(wrap.clientHeight / 40)]);
    const hadFocus = el.contains(document.activeElement);
    if (key !== graphKey) {
      built = build();
      graphKey = key;
      paintModules();
    }
    const { boxes, order, byId } = built;
    const inHand = syncKeys();
    if (hadFocus && !el.contains(document.activeElement)) inHand?.focus();
    const link = linkMarks(store.state);
    const last = order.length - 1;
    k = Math.max(0, Math.min(k, last));
    const ran = new Set(order.slice(0, k + 1));
    const current = order[k];
    for (const [id, b] of boxes) {
      b.g.classList.toggle("ran", ran.has(id));
      b.g.classList.toggle("current", id === current && k < last);
      b.g.classList.toggle("selected", b.n.kind === "parameter" && b.n.address === store.state.selectedParam);
      const m = link.tensor(b.key);
      b.g.classList.toggle("hl", m.hl);
      b.g.classList.toggle("focus", m.focus);
      if (b.n.kind === "parameter") {
        const v = store.value(b.n.grad_address);
        if (compact) setText(b.texts[1], `${b.n.label} ${shapeText(b.n.shape)}`);
        else setText(b.texts[2], ran.has(id) ? `∂L/∂${b.n.label} ${fmtTensor(v, numbers)}` : ".grad not filled yet");
        setAttrs(b.g, { "data-grad": ran.has(id) ? JSON.stringify(v ?? null) : null });
      } else if (b.n.kind === "function" && b.n.receives?.length) {
        // The gradient this node receives, once autograd has run it (inline: after its name).
        const a = b.n.receives[0];
        const name = `${gradName(a).split(" of ")[0]}${b.n.transposed ? "ᵀ" : ""}`;
        if (b.texts[1]) setText(b.texts[1], ran.has(id) ? `${name}${numbers ? ` ${fmtTensor(store.value(a), numbers)}` : ""}` : "");
        else setText(b.texts[0], ran.has(id) ? `${b.n.name} · ${name}` : b.n.name);
      }
      setText(b.title, b.n.kind === "module" ? b.n.members.map((m) => byId.get(m).name).join(", ") : flowText(b.n, (a) => store.value(a)) || b.n.name);
    }
    // The player's step: the node it is about (isStepNode), in every phase.
    const cur = store.steps[store.state.step];
    for (const b of boxes.values()) b.g.classList.toggle("player", isStepNode(b.n, cur));
    for (const [edgeKey, line] of built.edges) line.classList.toggle("ran", ran.has(edgeKey.split("→")[0]) && ran.has(edgeKey.split("→")[1]));
    setText(counter, `${k + 1} / ${order.length}`);
    setAttrs(counter, { "aria-label": `node ${k + 1} of ${order.length} in autograd's order` });
    const node = byId.get(current) ?? null;
    const where = current.startsWith("module:") ? `Linear ${current.slice(8)} (collapsed)` : node?.name ?? current;
    const say = (brief) => (k === 0
      ? "backward() starts at the loss: ∂L/∂L = 1. Step ▶ to watch autograd run each node in turn."
      : k === last ? `All ${order.length} nodes have run: every .grad is filled. Start, then ▶, to replay.`
        : `${where}${node ? flowText(node, (a) => store.value(a), brief) : ""}`);
    setText(detail, say(0));
    // A projector gives the line two lines of text (its min-height): shorter wordings until it fits.
    if (store.state.presenting) {
      const room = parseFloat(getComputedStyle(detail).minHeight) + 1;
      for (let brief = 1; brief <= 3 && detail.scrollHeight > room; brief++) setText(detail, say(brief));
    }
  }

  function paintModules() {
    const graph = store.state.response.autograd;
    const names = [...new Set(moduleOf(graph.nodes, graph.edges).values())].sort();
    modules.replaceChildren(...names.map((m) => h("button", {
      type: "button", "data-collapse": m, "aria-pressed": String(collapsed.has(m)),
      onclick: () => {
        if (collapsed.has(m)) collapsed.delete(m);
        else collapsed.add(m);
        paint();
      },
      "aria-label": `${collapsed.has(m) ? "Expand" : "Collapse"} Linear ${m.slice(1)}`,
    }, `Linear ${m.slice(1)}`)));
    modules.prepend(h("span", { text: "Collapse:" }));
  }

  store.addEventListener("change", (e) => {
    if (!["pending", "editing", "playing"].includes(e.detail.reason)) paint();
  });
  return { render: paint };
}
