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
 * and false leave the attribute out, true sets it empty, `class` sets the class.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown)} AttrValue
 */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue> | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
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
