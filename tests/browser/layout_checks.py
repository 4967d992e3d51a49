"""What a teacher at the back of the room would see wrong, measured on screen in the browser:
text or controls outside the window or cut by their box, two labels or controls on top of
each other, text under 24 px in presentation mode. Each check is one JS function that
returns a list of readable findings (empty when all is well)."""

from __future__ import annotations

# The boxes on screen of everything a reader reads or presses: each visible text run (a
# Range over its text node, so a wide block does not count as its text) and each control.
# SVG <title> and <option> are not drawn; hidden subtrees are skipped. Each box knows the
# element it came from, for the findings' wording and for ancestor tests.
BOXES = r"""
const visible = (el) => {
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse' || Number(s.opacity) === 0) return false;
    if (e.hasAttribute('hidden') || e.getAttribute('visibility') === 'hidden' || e.getAttribute('display') === 'none') return false;
    // The content of a closed <details> is not drawn (only its summary is).
    const up = e.parentElement;
    if (up && up.tagName === 'DETAILS' && !up.open && e.tagName !== 'SUMMARY') return false;
  }
  return true;
};
const name = (el) => {
  const t = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  const hook = [...el.attributes].find((a) => a.name.startsWith('data-'));
  return `${el.tagName.toLowerCase()}${hook ? `[${hook.name}${hook.value ? '=' + hook.value : ''}]` : ''} "${t}"`;
};
// The part of a box the reader sees: inside the window and every ancestor that clips or scrolls.
const seen = (el, r) => {
  let v = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  const cut = (c) => { v = { left: Math.max(v.left, c.left), top: Math.max(v.top, c.top), right: Math.min(v.right, c.right), bottom: Math.min(v.bottom, c.bottom) }; };
  cut({ left: 0, top: 0, right: innerWidth, bottom: innerHeight });
  // From the element itself: a text's own box clips it too (a table cell that hides its overflow).
  for (let e = el; e && e !== document.body; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') cut(e.getBoundingClientRect());
  }
  return v.right - v.left > 0 && v.bottom - v.top > 0 ? v : null;
};
const boxes = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  if (!n.textContent.trim()) continue;
  const el = n.parentElement;
  if (!el || el.closest('title, option, script, style, noscript, .skip, desc')) continue;
  if (!visible(el)) continue;
  // SVG text: its own box (a squeezed value's range box is the unsqueezed width).
  // HTML text: one box per line it takes (a wrapped run's bounding box would cover lines it shares).
  let rects;
  if (el instanceof SVGElement) rects = [el.getBoundingClientRect()];
  else {
    const range = document.createRange();
    range.selectNodeContents(n);
    rects = [...range.getClientRects()];
  }
  for (const r of rects) {
    if (r.width < 1 || r.height < 1) continue;
    boxes.push({ kind: 'text', el, r, v: seen(el, r), size: parseFloat(getComputedStyle(el).fontSize) });
  }
}
for (const el of document.querySelectorAll('button, select, input, textarea, [role=button], [role=tab], [role=slider]')) {
  if (el.closest('svg')) continue; // diagram elements are checked through their text
  if (!visible(el)) continue;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) continue;
  boxes.push({ kind: 'control', el, r, v: seen(el, r) });
}
"""

# Outside the window, or cut by an ancestor that hides its overflow (a scrolling panel may
# hold more than it shows: its content is reachable, so it is not "cut").
OUTSIDE = "() => {" + BOXES + r"""
  const W = document.documentElement.clientWidth, H = document.documentElement.clientHeight;
  const out = [];
  if (document.documentElement.scrollWidth > W) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${W}`);
  for (const b of boxes) {
    const r = b.r;
    let clip = { left: 0, top: 0, right: W, bottom: H };
    let scrolls = false;
    for (let e = b.el.parentElement; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      if (['auto', 'scroll'].includes(s.overflowY) || ['auto', 'scroll'].includes(s.overflowX)) { scrolls = true; break; }
      const c = e.getBoundingClientRect();
      clip = { left: Math.max(clip.left, c.left), top: Math.max(clip.top, c.top), right: Math.min(clip.right, c.right), bottom: Math.min(clip.bottom, c.bottom) };
    }
    const tol = 1.5;
    const cut = r.left < clip.left - tol || r.top < clip.top - tol || r.right > clip.right + tol || r.bottom > clip.bottom + tol;
    const offScreen = r.left < -tol || r.top < -tol || r.right > W + tol || r.bottom > H + tol;
    if ((cut && !scrolls) || (offScreen && !scrolls)) out.push(`${b.kind} ${name(b.el)} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} cut (window ${W}×${H})`);
  }
  return out;
}"""

# Two boxes on top of each other (more than 2 px each way), neither inside the other:
# a label over a label, a label over a control, or two controls.
OVERLAPS = "() => {" + BOXES + r"""
  const out = [];
  const owner = (b) => b.kind === 'control' ? b.el : (b.el.closest('math, button, select, [role=button], [role=tab], label, svg [data-edge-label], svg g.neuron, svg g.target, svg g.bias, svg g.loss-node, summary') || b.el);
  const m = 2;
  const shown = boxes.filter((b) => b.v);
  for (let i = 0; i < shown.length; i++) {
    const a = shown[i];
    for (let j = i + 1; j < shown.length; j++) {
      const b = shown[j];
      const ox = Math.min(a.v.right, b.v.right) - Math.max(a.v.left, b.v.left);
      const oy = Math.min(a.v.bottom, b.v.bottom) - Math.max(a.v.top, b.v.top);
      if (ox <= m || oy <= m) continue;
      const oa = owner(a), ob = owner(b);
      if (oa === ob || oa.contains(ob) || ob.contains(oa)) continue;
      out.push(`${name(oa)} overlaps ${name(ob)} by ${Math.round(ox)}×${Math.round(oy)} px`);
      if (out.length > 20) return out;
    }
  }
  return out;
}"""

# Text drawn smaller than `min` px on screen (font size × the page's zoom; SVG text by the
# height its glyphs take on screen, so a scaled drawing is measured as it is seen).
SMALL_TEXT = "(min) => {" + BOXES + r"""
  const out = [];
  for (const b of boxes) {
    if (b.kind !== 'text') continue;
    let size = b.size;
    const svgRoot = b.el.closest('svg');
    if (svgRoot && svgRoot.getScreenCTM) {
      const ctm = b.el.getScreenCTM();
      if (ctm) size = b.size * Math.hypot(ctm.a, ctm.b);
    }
    if (size < min - 0.01) out.push(`${name(b.el)} ${size.toFixed(1)} px`);
  }
  return out;
}"""


def viewport_pages(browser, viewports: dict, expected: str = r"(?!)"):
    """For a module fixture: yields get(name) → one page per viewport, made on first use and reused,
    with the console errors and page errors it logs in `page.errors` (except those matching
    `expected`: statuses a test provokes on purpose); closes them all at the end. `viewports` maps a
    name to (width, height) or (width, height, device scale factor)."""
    import re

    made = {}

    def get(name):
        if name not in made:
            w, h, *scale = viewports[name]
            context = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=(scale or [1])[0])
            pg = context.new_page()
            pg.errors = []
            pg.on("console", lambda m, pg=pg: pg.errors.append(m.text)
                  if m.type == "error" and not re.search(expected, m.text) else None)
            pg.on("pageerror", lambda e, pg=pg: pg.errors.append(str(e)))
            made[name] = (context, pg)
        return made[name][1]

    yield get
    for context, _ in made.values():
        context.close()
