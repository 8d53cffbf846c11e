// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Building DOM without a framework, and without innerHTML: every value goes
// in as text, so nothing from a record or a portal can inject markup.

/**
 * A child: a node, text (numbers and strings are written as text), nothing
 * (null, undefined, false are skipped), or a list of children.
 * @typedef {Node | string | number | boolean | null | undefined | ChildList} Child
 */
/** @typedef {Child[]} ChildList */

/**
 * An attribute value: `on…` with a function adds a listener; null, undefined
 * and false leave the attribute out, true sets it empty, `class` sets the class;
 * `guard: true` ignores the element's listeners just after the window gains focus.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown)} AttrValue
 */

// ---- focus hijack: a click the patient did not aim ----
// The page that opened the widget can bring the widget's window to the front
// in the middle of a double-click, so that the second click lands on a button
// the patient never saw ("Share"). Elements marked `guard: true` (the ones
// that share, disconnect or delete) do nothing for a moment after the window
// gains focus or becomes visible, and say so to assistive technology (and to
// test drivers, which wait) with aria-disabled meanwhile.
export const SETTLE_MS = 600;
let settledAt = 0;
/** Whether the window gained focus too recently for a guarded action. */
export const settling = () => performance.now() < settledAt;

function settle() {
  settledAt = performance.now() + SETTLE_MS;
  for (const el of document.querySelectorAll('[data-guard]')) el.setAttribute('aria-disabled', 'true');
  setTimeout(() => {
    if (settling()) return;  // focused again meanwhile: that one's timer ends it
    for (const el of document.querySelectorAll('[data-guard]')) el.removeAttribute('aria-disabled');
  }, SETTLE_MS + 20);
}

/** Turns the guard on for this window (app.js, once). */
export function guardAgainstFocusHijack() {
  window.addEventListener('focus', settle);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') settle(); });
}

/**
 * @param {(event: Event) => unknown} handler
 * @returns {(event: Event) => unknown}
 */
const guarded = (handler) => (event) => {
  if (settling()) {
    event.preventDefault();
    event.stopImmediatePropagation();
    return undefined;
  }
  return handler(event);
};

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue> | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  const guard = attrs?.guard === true;
  if (guard) {
    el.setAttribute('data-guard', '');
    if (settling()) el.setAttribute('aria-disabled', 'true');
  }
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false || k === 'guard') continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), guard ? guarded(v) : v);
    else if (k === 'class') el.className = /** @type {string} */ (v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const c of /** @type {unknown[]} */ (children).flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces the main region and moves focus to its heading, so keyboard and
// screen-reader users land on the new screen.
/**
 * @param {Element} main
 * @param {...Child} children
 */
export function show(main, ...children) {
  main.replaceChildren();
  append(main, children);
  const heading = main.querySelector('h1, h2');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    /** @type {HTMLElement} */ (heading).focus();
  }
}

/**
 * @param {Element} region
 * @param {string} text
 */
export function announce(region, text) {
  region.textContent = text;
}

// Bytes made here saved as a file the person keeps (a backup, a summary):
// a download, never an upload. The object URL lives a minute, long enough
// for a slow "Save as" dialog.
/**
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {string} name
 * @param {string} [type]
 */
export function saveFile(bytes, name, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
