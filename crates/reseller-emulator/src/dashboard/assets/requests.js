// Requests: the request log, newest first and live, filtered by status class,
// account and path, a page at a time; a request's detail with its kept bodies.

import { api, badge, date, el, field, fill, jsonBlock, shortId, table } from "./ui.js";

function statusText(status) {
  return status === 0 ? "dropped" : String(status);
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function bodyBlock(title, body) {
  if (!body) return [el("h3", {}, title), el("p", { class: "hint" }, "No body kept (none sent or read, or the log's body budget let it go).")];
  return [
    el("h3", {}, title, " ", el("span", { class: "hint" }, body.truncated ? `first ${body.text.length} of ${body.bytes} bytes` : `${body.bytes} bytes`)),
    jsonBlock(title, pretty(body.text)),
  ];
}

async function mountList(container, params) {
  const befores = [null];
  let last = "";
  const status = el("select", { id: "request-status" },
    [["", "All"], ["2xx", "2xx success"], ["3xx", "3xx"], ["4xx", "4xx client errors"], ["5xx", "5xx server errors"], ["dropped", "Dropped connections"]]
      .map(([value, label]) => el("option", { value }, label)));
  status.value = params.get("status") || "";
  const account = el("input", { type: "text", id: "request-account", value: params.get("account") || "", spellcheck: "false" });
  const path = el("input", { type: "text", id: "request-path", value: params.get("path") || "", spellcheck: "false" });
  const region = el("div");
  const pager = el("div", { class: "pager" });
  const reset = () => { befores.length = 1; last = ""; update(); };
  const form = el(
    "form",
    { class: "filters", onsubmit: (event) => { event.preventDefault(); reset(); } },
    field("Status", status),
    field("Account id", account),
    field("Path contains", path),
    el("button", { type: "submit" }, "Filter"),
  );
  status.addEventListener("change", reset);
  fill(container, el("h2", {}, "Requests"), form, region, pager);

  async function update() {
    const q = new URLSearchParams({ status: status.value, account: account.value.trim(), path: path.value.trim(), limit: "50" });
    const before = befores[befores.length - 1];
    if (before) q.set("before", before);
    const page = await api(`/_emulator/ui/api/requests?${q}`);
    const text = JSON.stringify(page);
    if (text === last) return;
    last = text;
    const rows = page.requests.map((r) => [
      date(r.at),
      r.method,
      el("a", { href: `#/requests/${r.seq}`, class: "request-link", "data-seq": r.seq }, r.path),
      badge(statusText(r.status)),
      r.errorCode || "",
      `${r.durationMs} ms`,
      r.accountId ? shortId(r.accountId) : "",
    ]);
    fill(
      region,
      rows.length
        ? table("Requests, newest first", ["Time", "Method", "Path", "Status", "Error code", "Duration", "Account"], rows)
        : el("p", {}, "No request matches."),
    );
    fill(
      pager,
      el("button", { type: "button", class: "secondary", disabled: befores.length === 1, onclick: () => { befores.pop(); last = ""; update(); } }, "Newer"),
      el("span", {}, ` page ${befores.length} · the log holds the last ${page.capacity} requests (${page.held} now) `),
      el("button", { type: "button", class: "secondary", disabled: !page.before, onclick: () => { befores.push(page.before); last = ""; update(); } }, "Older"),
    );
  }
  return { update };
}

async function mountDetail(container, seq) {
  let loaded = false;
  const region = el("div");
  fill(container, el("p", {}, el("a", { href: "#/requests" }, "← All requests")), el("h2", {}, `Request ${seq}`), region);
  async function update() {
    if (loaded) return;
    const d = await api(`/_emulator/ui/api/requests/${encodeURIComponent(seq)}`);
    loaded = true;
    const r = d.request;
    fill(
      region,
      el(
        "dl",
        { class: "facts" },
        el("dt", {}, "Method"), el("dd", {}, r.method),
        el("dt", {}, "Path"), el("dd", {}, el("code", {}, r.path)),
        el("dt", {}, "Status"), el("dd", {}, badge(statusText(r.status))),
        el("dt", {}, "Wix error code"), el("dd", {}, r.errorCode || "—"),
        el("dt", {}, "Duration"), el("dd", {}, `${r.durationMs} ms`),
        el("dt", {}, "At (emulated time)"), el("dd", {}, date(r.at)),
        el("dt", {}, "Account (wix-account-id)"), el("dd", {}, r.accountId ? el("code", {}, r.accountId) : "—"),
        el("dt", {}, "Idempotency key"), el("dd", {}, r.idempotencyKey ? el("code", {}, r.idempotencyKey) : "—"),
      ),
      bodyBlock("Request body", d.requestBody),
      bodyBlock("Response body", d.responseBody),
      el("p", { class: "hint" }, "API keys and secret-like values are redacted before a body is kept; headers are never kept."),
    );
  }
  return { update };
}

export const requestsView = {
  title: "Requests",
  mount(container, args, params) {
    return args[0] ? mountDetail(container, args[0]) : mountList(container, params);
  },
};
