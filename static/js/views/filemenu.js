// The File menu in the header: undo / redo / reset, the link, save and load a file, named
// snapshots, the exports for slides, the printable handout and the Classroom dialog.

import { download } from "../export/download.js";
import { exportDerivation, exportPng, exportSvg, refreshHandout } from "../export/exports.js";
import { h } from "./dom.js";

export function mountFileMenu(root, store, keeper) {
  const act = (label, action, on, title) => h("button", { type: "button", "data-action": action, title, onclick: on }, label);
  const safely = (fn) => async () => {
    try {
      await fn();
    } catch (err) {
      keeper.notify(`That did not work: ${err.message}`, "error");
    }
  };
  const undo = act("Undo", "undo", () => keeper.undo(), "Undo the last edit (Ctrl+Z)");
  const redo = act("Redo", "redo", () => keeper.redo(), "Redo (Ctrl+Shift+Z or Ctrl+Y)");
  const reset = act("Reset to preset", "reset", () => keeper.reset(), "Back to the preset's network (Undo brings the edits back)");
  const copyLink = act("Copy link", "copy-link", safely(async () => {
    const url = await keeper.writeLink();
    try {
      await navigator.clipboard.writeText(url);
      keeper.notify("Link copied: it opens this network, these values and this step.");
    } catch {
      keeper.notify("The link in the address bar opens this network, these values and this step.");
    }
  }), "The address bar's link reproduces this page");
  const fileInput = h("input", { type: "file", accept: ".json,application/json", "data-file-input": "", hidden: true,
    onchange: safely(async () => {
      const file = fileInput.files[0];
      fileInput.value = "";
      if (file) await keeper.loadText(await file.text(), `“${file.name}”`);
    }) });
  const save = act("Save file…", "save-file", () => {
    download(new Blob([keeper.fileText()], { type: "application/json" }), "backprop-lab.json");
    keeper.notify("Saved backprop-lab.json.");
  }, "Save the network, data, optimizer and view as a JSON file");
  const load = act("Load file…", "load-file", () => fileInput.click(), "Open a saved JSON file (the server checks it first)");

  const snapName = h("input", { type: "text", "aria-label": "Snapshot name", placeholder: "snapshot name", "data-snapshot-name": "", size: 14 });
  const snapSave = act("Save snapshot", "save-snapshot", () => {
    keeper.saveSnapshot(snapName.value);
    snapName.value = "";
  }, "Keep this state in this browser under a name");
  snapName.addEventListener("keydown", (e) => { if (e.key === "Enter") snapSave.click(); });
  const snapList = h("ul", { class: "snapshot-list", "data-snapshot-list": "" });

  const exp = (label, kind, fn) => h("button", { type: "button", "data-export": kind, onclick: safely(fn) }, label);
  const exports = [
    exp("Diagram as SVG", "svg", () => keeper.notify(`Saved ${exportSvg()}.`)),
    exp("Diagram as PNG", "png", async () => keeper.notify(`Saved ${await exportPng()}.`)),
    exp("Step as LaTeX", "latex", async () => {
      const { name, copied } = await exportDerivation(store, "latex");
      keeper.notify(`Saved ${name}${copied ? " and copied it" : ""}.`);
    }),
    exp("Step as text", "text", async () => {
      const { name, copied } = await exportDerivation(store, "text");
      keeper.notify(`Saved ${name}${copied ? " and copied it" : ""}.`);
    }),
    exp("Print handout…", "handout", () => {
      if (!refreshHandout(store)) throw new Error("wait for the first answer");
      print();
    }),
  ];
  const classroom = act("Classroom…", "classroom", () => store.set({ classroomOpen: true }, "classroom-dialog"), "Hide controls, predict then reveal");

  const menu = h("details", { class: "file-menu", "data-control": "file" },
    h("summary", { text: "File" }),
    h("div", { class: "menu-panel", role: "group", "aria-label": "File" },
      h("div", { class: "menu-row" }, undo, redo, reset),
      h("div", { class: "menu-row" }, copyLink, save, load, fileInput),
      h("div", { class: "menu-row" }, snapName, snapSave),
      snapList,
      h("p", { class: "menu-head", text: "Export" }),
      h("div", { class: "menu-row" }, ...exports),
      h("div", { class: "menu-row" }, classroom)));
  root.append(menu);
  // A click elsewhere closes the menu; Escape too (and gives focus back to it).
  document.addEventListener("click", (e) => { if (menu.open && !menu.contains(e.target)) menu.open = false; });
  menu.addEventListener("keydown", (e) => {
    // Space opens the menu on its summary (the page's Space steps the player elsewhere).
    if (e.key === " " && e.target.localName === "summary") e.stopPropagation();
    if (e.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
      e.stopPropagation();
    }
  });

  const paintSnapshots = () => {
    snapList.replaceChildren(...keeper.snapshots.list().map(({ name }) => h("li", { "data-snapshot": name },
      h("span", { class: "snapshot-name", text: name }),
      h("button", { type: "button", "data-snapshot-open": name, onclick: () => keeper.openSnapshot(name) }, "Open"),
      h("button", { type: "button", "data-snapshot-delete": name, "aria-label": `Delete snapshot ${name}`, onclick: () => keeper.deleteSnapshot(name) }, "Delete"))));
  };
  const paint = () => {
    undo.disabled = !keeper.canUndo;
    redo.disabled = !keeper.canRedo;
  };
  menu.addEventListener("toggle", () => { if (menu.open) { paint(); paintSnapshots(); } });
  store.addEventListener("change", (e) => {
    if (e.detail.reason === "snapshots") paintSnapshots();
    if (["history", "response", "request", "error"].includes(e.detail.reason)) paint();
  });
  // Ctrl+P prints the handout too.
  addEventListener("beforeprint", () => refreshHandout(store));
  paintSnapshots();
  paint();
}
