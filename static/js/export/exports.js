// The File menu's exports: the diagram as SVG and PNG, the current step's derivation as
// LaTeX and plain text, and the printable handout. Each returns what it made (for messages).

import { derivationLatex, derivationText, stepHeading } from "./derivation.js";
import { download } from "./download.js";
import { buildHandout } from "./handout.js";
import { svgToPng } from "./png.js";
import { standaloneSvg } from "./svg.js";

const diagram = () => document.querySelector("[data-diagram]");
const background = () => getComputedStyle(document.body).backgroundColor;

/** The diagram as a stand-alone SVG: {text, width, height}. */
export const diagramSvg = () => standaloneSvg(diagram(), background());

export function exportSvg() {
  const { text } = diagramSvg();
  download(new Blob([text], { type: "image/svg+xml" }), "backprop-lab-diagram.svg");
  return "backprop-lab-diagram.svg";
}

export async function exportPng(scale = 2) {
  const { text, width, height } = diagramSvg();
  download(await svgToPng(text, width, height, scale), "backprop-lab-diagram.png");
  return "backprop-lab-diagram.png";
}

/** The current step's derivation in "latex" or "text"; copied to the clipboard too when the browser lets us. */
export async function exportDerivation(store, kind) {
  const steps = store.steps;
  const k = store.state.step;
  const st = store.state.response ? steps[k] : null;
  if (!st) throw new Error("no step to export yet");
  const value = (a) => store.value(a);
  const heading = stepHeading(st, k, steps.length);
  const text = kind === "latex" ? derivationLatex(st, value, heading) : derivationText(st, value, heading);
  const name = `backprop-lab-step-${k + 1}.${kind === "latex" ? "tex" : "txt"}`;
  download(new Blob([text], { type: kind === "latex" ? "application/x-tex" : "text/plain" }), name);
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // no clipboard permission (a headless browser, an insecure origin): the download is there
  }
  return { name, copied };
}

/** Put the handout of the current state in the page (shown only in print); true if there was one to make. */
export function refreshHandout(store) {
  document.querySelector("[data-handout]")?.remove();
  // The picture at the loss step: every forward value and L are known there.
  const { step } = store.state;
  const lossStep = store.steps.findIndex((st) => st.target === "L");
  let svgText = null;
  try {
    if (lossStep >= 0) store.goTo(lossStep);
    svgText = diagram() ? diagramSvg().text : null;
  } catch {
    svgText = null; // the handout's steps are worth printing without the picture
  } finally {
    store.goTo(step);
  }
  const handout = buildHandout(store, svgText);
  if (handout) document.body.append(handout);
  return Boolean(handout);
}
