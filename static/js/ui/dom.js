// Tiny DOM helpers: building panels from data without a framework.

import { fmt } from "../core/format.js";
import { texNode, typesetPending } from "./tex.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "data") for (const [d, v] of Object.entries(value)) el.dataset[d] = String(v);
    else if (key.startsWith("on")) {
      el.addEventListener(key.slice(2), value);
      el.dataset.own = ""; // morph() replaces it rather than keep a stale handler
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Bring `parent`'s children in line with `next` (freshly built nodes), touching only what
// differs. While training plays, a panel re-rendered four times a second then changes a
// few dozen text nodes instead of re-creating ~1,300 KaTeX nodes, which cost ~40 ms of
// style, layout and paint per frame. Elements marked data-own (they carry listeners or
// are filled later by the code that built them) are always taken from `next`.
export function morph(parent, next) {
  const old = [...parent.childNodes];
  next.forEach((b, i) => {
    const a = old[i];
    const formula = b.nodeType === Node.ELEMENT_NODE && "tex" in b.dataset;
    if (formula && keepTex(a, b)) return;
    if (!a || formula || !sameShell(a, b)) {
      typesetPending(b);
      if (a) parent.replaceChild(b, a);
      else parent.appendChild(b);
    } else if (a.nodeType === Node.TEXT_NODE) {
      if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
    } else {
      syncAttributes(a, b);
      morph(a, [...b.childNodes]);
    }
  });
  for (const a of old.slice(next.length)) a.remove();
}

// A typeset formula is kept whole when its source is unchanged, or, during a training frame
// ("live", see tex.js), until the catch-up rebuild typesets the new one.
function keepTex(a, b) {
  const typeset =
    a?.nodeType === Node.ELEMENT_NODE &&
    a.tagName === b.tagName &&
    "tex" in a.dataset &&
    !("deferred" in a.dataset);
  if (!typeset) return false;
  if (a.dataset.tex === b.dataset.tex) {
    delete a.dataset.stale;
    return true;
  }
  if (!("live" in b.dataset)) return false;
  a.dataset.stale = "";
  return true;
}

function sameShell(a, b) {
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType === Node.TEXT_NODE) return true;
  if (a.nodeType !== Node.ELEMENT_NODE) return false;
  return (
    a.namespaceURI === b.namespaceURI &&
    a.tagName === b.tagName &&
    !("own" in a.dataset) &&
    !("own" in b.dataset)
  );
}

function syncAttributes(a, b) {
  for (const { name } of [...a.attributes]) if (!b.hasAttribute(name)) a.removeAttribute(name);
  for (const { name, value } of b.attributes) if (a.getAttribute(name) !== value) a.setAttribute(name, value);
}

// One quantity: its symbol (TeX), its value, and the exact number in data-value so a
// test or a screen reader gets full precision while the eye gets four digits.
export function quantity(name, symbolTex, value, note) {
  return h(
    "div",
    { class: "q", data: { q: name, value: value == null ? "null" : String(value) } },
    h("dt", {}, texNode(symbolTex)),
    h(
      "dd",
      {},
      h("span", { class: `num ${value < 0 ? "neg" : value > 0 ? "pos" : ""}` }, fmt(value)),
      note ? h("span", { class: "muted small" }, ` ${note}`) : null,
    ),
  );
}

// A chain "a = b = c = d" is set as aligned lines, one "= ..." each, so the symbolic form,
// the numbers put in and the result stack up in a narrow panel instead of scrolling.
export function equation(tex, { label, data, inline = false } = {}) {
  const parts = splitTopLevel(tex, " = ");
  const source =
    !inline && parts.length >= 3
      ? `\\begin{aligned}${parts[0]} &= ${parts.slice(1).join(" \\\\ &= ")}\\end{aligned}`
      : tex;
  return h(
    "div",
    { class: "eq", data },
    label ? h("span", { class: "eq-label" }, label) : null,
    texNode(source, { display: true }),
  );
}

function splitTopLevel(text, sep) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") depth++;
    else if (c === "}") depth--;
    else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export function section(title, ...children) {
  return h("section", { class: "sub" }, h("h3", {}, title), ...children);
}

export function button(label, onclick, attrs = {}) {
  return h("button", { type: "button", class: "link-button", onclick, ...attrs }, label);
}
