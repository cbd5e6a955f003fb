// Small DOM helpers. Every piece of text goes in through textContent or a text node, never through
// innerHTML, so names, titles and free text from the API are shown as text and can never become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.setAttribute('class', value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: el('p', {class: 'hint', text: 'x'}, child, 'more text'). */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element (same signature as el). */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

/** Replaces an element's children. */
export function replace(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/**
 * Puts a message in a live region. Clearing first and setting it a moment later makes screen readers
 * announce it again even when the same text is repeated (a second save, say). A timer rather than an
 * animation frame, which a hidden tab would hold back.
 */
export function announce(region, text, kind) {
  region.textContent = '';
  if (kind) region.className = 'notice ' + kind;
  setTimeout(() => { region.textContent = text; }, 50);
}

/** A random Idempotency-Key; getRandomValues works in every context (randomUUID needs a secure one). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** "new_customers" → "New customers": a readable name for a key when the API gives no name. */
export function humanize(key) {
  const text = String(key).replace(/[_-]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
