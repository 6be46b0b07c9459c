// Small helpers shared by the views: building elements (never from HTML text, so
// nothing the emulator holds can run as script), the control API's calls with the
// admin token, formatting, and Wix errors as readable text.

const TOKEN_KEY = "reseller-emulator-admin-token";

/** Thrown when the control API asks for the admin token. */
export class NeedsToken extends Error {}

/** An element: `attrs` become attributes (or properties for `on*`, `value`,
 *  `checked`), `children` strings or nodes (null and false are skipped). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "value" || name === "checked") node[name] = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `node`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** The admin token of this browser session, if one was given. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Keeps the admin token for this browser session. */
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answered by the emulator, with Wix's error body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
}

/** Wix's error body as one readable line. */
function describe(status, body) {
  if (!body || typeof body !== "object") return `HTTP ${status}`;
  const details = body.details || {};
  const code = details.applicationError && details.applicationError.code;
  const violations = (details.validationError && details.validationError.fieldViolations) || [];
  const parts = [`HTTP ${status}`];
  if (code) parts.push(code);
  if (body.message) parts.push(body.message);
  for (const v of violations) parts.push(`${v.field}: ${v.description || v.violatedRule || "invalid"}`);
  return parts.join(" · ");
}

/** Calls the emulator: `path` under the same origin, JSON in and out. */
export async function api(path, { method = "GET", body, raw = false } = {}) {
  const headers = {};
  const admin = token();
  if (admin) headers.Authorization = `Bearer ${admin}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    cache: "no-store",
  });
  if (response.status === 401 && path.startsWith("/_emulator/")) throw new NeedsToken();
  const text = await response.text();
  if (raw && response.ok) return text;
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/** A date as `2024-05-01 12:00:00 UTC` (dates stay in the emulator's UTC). */
export function date(text) {
  if (!text) return "";
  return String(text).replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC");
}

/** The first eight characters of a GUID, with the whole one as a tooltip. */
export function shortId(id) {
  if (!id) return "";
  return el("code", { title: id }, String(id).slice(0, 8));
}

/** A status as a badge (its colour is never the only sign: the text is there). */
export function badge(status) {
  const text = String(status ?? "");
  return el("span", { class: `badge s-${text.toLowerCase().replace(/[^a-z0-9]+/g, "-")}` }, text);
}

/** A labelled form field. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 10)}`;
  input.id = id;
  const hintNode = hint ? el("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintNode) input.setAttribute("aria-describedby", hintNode.id);
  return el("div", { class: "field" }, el("label", { for: id }, label), input, hintNode);
}

/** A table with a caption, header cells and rows of cells, scrollable on its own. */
export function table(caption, headers, rows) {
  return el(
    "div",
    { class: "table-wrap", role: "region", "aria-label": caption, tabindex: "0" },
    el(
      "table",
      {},
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))),
    ),
  );
}

/** JSON, indented, in a scrollable block. */
export function jsonBlock(label, value) {
  return el(
    "pre",
    { class: "json", tabindex: "0", "aria-label": label },
    typeof value === "string" ? value : JSON.stringify(value, null, 2),
  );
}

/** A live message region (for the outcome of a button or form). */
export function notice() {
  return el("p", { class: "notice", role: "status", "aria-live": "polite" });
}

/** Shows `text` in a notice, as an error or not. */
export function say(node, text, error = false) {
  node.classList.toggle("error", error);
  fill(node, text);
}

/** Asks for confirmation in the page's dialog; resolves to true when confirmed. */
export function confirmAction(title, text, okLabel) {
  const dialog = document.getElementById("confirm");
  fill(document.getElementById("confirm-title"), title);
  fill(document.getElementById("confirm-text"), text);
  fill(document.getElementById("confirm-ok"), okLabel);
  dialog.returnValue = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}

/** A value for JSON when the input is not empty: a number, or undefined. */
export function numberOf(input) {
  const text = input.value.trim();
  return text === "" ? undefined : Number(text);
}

/** A value for JSON when the input is not empty: trimmed text, or undefined. */
export function textOf(input) {
  const text = input.value.trim();
  return text === "" ? undefined : text;
}
