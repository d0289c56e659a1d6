// Tiny DOM helpers: building panels from data without a framework.

import { fmt } from "../format.js";
import { texNode } from "./tex.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "data") for (const [d, v] of Object.entries(value)) el.dataset[d] = String(v);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// One quantity: its symbol (TeX), its value, and the exact number in data-value so a
// test or a screen reader gets full precision while the eye gets four digits.
export function quantity(name, symbolTex, value, note) {
  return h(
    "div",
    { class: "q", data: { q: name, value: value == null ? "null" : String(value) } },
    h("dt", {}, texNode(symbolTex)),
    h("dd", {}, h("span", { class: `num ${value < 0 ? "neg" : value > 0 ? "pos" : ""}` }, fmt(value)), note ? h("span", { class: "muted small" }, ` ${note}`) : null),
  );
}

export function equation(tex, { label, data } = {}) {
  return h("div", { class: "eq", data }, label ? h("span", { class: "eq-label" }, label) : null, texNode(tex, { display: true }));
}

export function section(title, ...children) {
  return h("section", { class: "sub" }, h("h3", {}, title), ...children);
}

export function button(label, onclick, attrs = {}) {
  return h("button", { type: "button", class: "link-button", onclick, ...attrs }, label);
}
