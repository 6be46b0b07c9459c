// Packages: every package of every account, newest first, a page at a time
// (Query Packages' cursors), searchable; a package's detail with its instances,
// the buttons that move an instance as Wix's provisioning would (through the
// control API), and the package's JSON as Get Package answers it.

import { api, badge, date, el, field, fill, jsonBlock, notice, say, shortId, table } from "./ui.js";

function billing(info) {
  if (!info) return "";
  if (info.type !== "RECURRING" || !info.cycleDuration) return info.type || "";
  const { unit, count } = info.cycleDuration;
  return `${count || 1} × ${String(unit || "").toLowerCase()}`;
}

function instanceSummary(instances) {
  return el(
    "ul",
    { class: "chips" },
    instances.map((i) => el("li", {}, badge(i.status))),
  );
}

/** The list view. */
async function mountList(container, params) {
  const cursors = [null];
  let last = "";
  const search = el("input", { type: "search", id: "package-search", value: params.get("search") || "" });
  const region = el("div");
  const pager = el("div", { class: "pager" });
  const form = el(
    "form",
    {
      class: "search",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        cursors.length = 1;
        last = "";
        update();
      },
    },
    field("Search packages", search, "Package id, external id, account id, instance id, site id or site name"),
    el("button", { type: "submit" }, "Search"),
    el("button", { type: "button", class: "secondary", onclick: () => { search.value = ""; cursors.length = 1; last = ""; update(); } }, "Clear"),
  );
  fill(container, el("h2", {}, "Packages"), form, region, pager);

  async function update() {
    const cursor = cursors[cursors.length - 1];
    const query = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : `search=${encodeURIComponent(search.value.trim())}`;
    const page = await api(`/_emulator/ui/api/packages?${query}`);
    const text = JSON.stringify(page);
    if (text === last) return;
    last = text;
    const rows = page.packages.map((p) => [
      date(p.createdDate),
      el("a", { href: `#/packages/${p.id}`, class: "package-link", "data-package": p.id }, el("code", {}, p.id)),
      p.externalId || el("span", { class: "hint" }, "—"),
      page.accountNames[p.accountId] || shortId(p.accountId),
      instanceSummary(p.productInstances || []),
    ]);
    fill(
      region,
      rows.length
        ? table("Packages, newest first", ["Created", "Package", "External id", "Account", "Instances"], rows)
        : el("p", {}, search.value.trim() ? "No package matches this search." : "No packages yet."),
    );
    fill(
      pager,
      el("button", { type: "button", class: "secondary", disabled: cursors.length === 1, onclick: () => { cursors.pop(); last = ""; update(); } }, "Newer"),
      el("span", {}, ` page ${cursors.length} · ${page.total} packages in all `),
      el("button", { type: "button", class: "secondary", disabled: !page.nextCursor, onclick: () => { cursors.push(page.nextCursor); last = ""; update(); } }, "Older"),
    );
  }
  return { update };
}

/** The buttons that move one instance, and the failure form. */
function moves(instance, allowed, onMoved, out) {
  const code = el("select", { id: `fail-code-${instance.instanceId}` },
    ["UNKNOWN", "DELIVERY_TIMEOUT", "EXTERNAL_FAILURE"].map((c) => el("option", { value: c }, c)));
  const message = el("input", { type: "text", id: `fail-message-${instance.instanceId}`, value: "" });
  async function move(body, label) {
    try {
      await api(`/_emulator/instances/${instance.instanceId}/status`, { method: "POST", body });
      say(out, `Moved to ${label}.`);
      await onMoved();
    } catch (error) {
      say(out, error.message, true);
    }
  }
  const failForm = el(
    "form",
    {
      class: "inline",
      onsubmit: (event) => {
        event.preventDefault();
        move({ status: "FAILED", failure: { code: code.value, message: message.value.trim() } }, "FAILED");
      },
    },
    field("Failure code", code),
    field("Failure message", message),
    el("button", { type: "submit", class: "danger" }, "Mark failed"),
  );
  const can = (status) => allowed.includes(status);
  if (!can("ENABLED") && !can("AWAITING_ACTION") && !can("FAILED")) {
    return el("p", { class: "moves hint" }, `No provisioning move from ${instance.status}.`);
  }
  return el(
    "div",
    { class: "moves" },
    can("ENABLED") ? el("button", { type: "button", "data-move": "ENABLED", onclick: () => move({ status: "ENABLED" }, "ENABLED") }, "Enable") : null,
    can("AWAITING_ACTION") ? el("button", { type: "button", class: "secondary", "data-move": "AWAITING_ACTION", onclick: () => move({ status: "AWAITING_ACTION" }, "AWAITING_ACTION") }, "Awaiting action") : null,
    can("FAILED") ? el("details", {}, el("summary", {}, "Fail with a reason…"), failForm) : null,
  );
}

/** The detail view of one package. */
async function mountDetail(container, id) {
  let last = "";
  const region = el("div");
  const head = el("div");
  const out = notice();
  fill(
    container,
    el("p", {}, el("a", { href: "#/packages" }, "← All packages")),
    el("h2", {}, "Package ", el("code", {}, id)),
    head,
    out,
    region,
  );
  async function update() {
    const detail = await api(`/_emulator/ui/api/packages/${encodeURIComponent(id)}`);
    const text = JSON.stringify(detail);
    if (text === last) return;
    last = text;
    const p = detail.answer.package;
    fill(
      head,
      el(
        "dl",
        { class: "facts" },
        el("dt", {}, "Account"), el("dd", {}, detail.accountNames[p.accountId] || "", " ", el("code", {}, p.accountId)),
        el("dt", {}, "External id"), el("dd", {}, p.externalId || "—"),
        el("dt", {}, "Created"), el("dd", {}, date(p.createdDate)),
        el("dt", {}, "Updated"), el("dd", {}, date(p.updatedDate)),
      ),
    );
    const cards = (p.productInstances || []).map((i) =>
      el(
        "article",
        { class: "card instance", "data-instance": i.instanceId, "aria-label": `Instance ${i.instanceId}` },
        el("h3", {}, detail.productNames[i.catalogProductId] || "Product", " ", badge(i.status)),
        el(
          "dl",
          { class: "facts" },
          el("dt", {}, "Instance"), el("dd", {}, el("code", {}, i.instanceId)),
          el("dt", {}, "Product"), el("dd", {}, el("code", {}, i.catalogProductId)),
          el("dt", {}, "Site"), el("dd", {}, i.siteId ? [detail.siteNames[i.siteId] || "", " ", el("code", {}, i.siteId)] : "floating (no site)"),
          el("dt", {}, "Status"), el("dd", { class: "status-text" }, i.status),
          el("dt", {}, "Billing"), el("dd", {}, billing(i.billingInfo)),
          el("dt", {}, "Created"), el("dd", {}, date(i.createdDate)),
          el("dt", {}, "Updated"), el("dd", {}, date(i.updatedDate)),
          i.expirationDate ? [el("dt", {}, "Expires"), el("dd", {}, date(i.expirationDate))] : null,
          i.failure ? [el("dt", {}, "Failure"), el("dd", {}, `${i.failure.code || ""} ${i.failure.message || ""}`)] : null,
        ),
        moves(i, detail.moves[i.instanceId] || [], async () => { last = ""; await update(); }, out),
      ),
    );
    fill(
      region,
      el("h3", {}, "Instances"),
      el("div", { class: "instances" }, cards),
      el("h3", {}, "Wix JSON (Get Package's answer)"),
      jsonBlock("Get Package answer", detail.answer),
    );
  }
  return { update };
}

export const packagesView = {
  title: "Packages",
  mount(container, args, params) {
    return args[0] ? mountDetail(container, args[0]) : mountList(container, params);
  },
};
