// Accounts: every account family as a tree (main account, then its
// sub-accounts), each with its sites and what it holds, a page at a time.

import { api, badge, el, fill, shortId } from "./ui.js";

const PAGE = 50;
const STATUSES = ["PENDING", "AWAITING_ACTION", "ENABLED", "FAILED", "CANCELED"];

function accountCard(row) {
  const account = row.account;
  const sub = Boolean(account.parentAccountId);
  const role = sub ? "Sub-account" : account.strategicPartner ? "Main account · strategic partner" : "Main account";
  const counts = STATUSES.filter((s) => row.instances[s]).map((s) =>
    el("li", {}, badge(s), ` ${row.instances[s]}`),
  );
  const sites = row.sites.map((site) =>
    el(
      "li",
      {},
      el("a", { href: `#/packages?search=${encodeURIComponent(site.id)}`, "data-site": site.id }, site.name || site.id),
      " ",
      shortId(site.id),
      site.externalPaidServices && site.externalPaidServices.length
        ? el("span", { class: "hint" }, ` · paid outside: ${site.externalPaidServices.join(", ")}`)
        : null,
    ),
  );
  return el(
    "li",
    { class: sub ? "account sub" : "account main", "data-account": account.id },
    el(
      "article",
      { class: "card", "aria-label": account.name || account.id },
      el("h3", {}, account.name || "(no name)", " ", el("span", { class: "hint" }, role)),
      el("p", { class: "ids" }, "Account ", el("code", {}, account.id)),
      el(
        "p",
        {},
        el("a", { href: `#/packages?search=${encodeURIComponent(account.id)}` }, `${row.packages} packages`),
        counts.length ? " · instances:" : " · no instances",
      ),
      counts.length ? el("ul", { class: "counts", "aria-label": "Instances by status" }, counts) : null,
      el("h4", {}, `Sites (${row.siteCount})`),
      sites.length ? el("ul", { class: "sites" }, sites) : el("p", { class: "hint" }, "No sites."),
      row.siteCount > row.sites.length
        ? el("p", { class: "hint" }, `and ${row.siteCount - row.sites.length} more`)
        : null,
    ),
  );
}

export const accountsView = {
  title: "Accounts",
  async mount(container) {
    let offset = 0;
    let last = "";
    const region = el("div", { "aria-live": "off" });
    const pager = el("div", { class: "pager" });
    fill(
      container,
      el("h2", {}, "Accounts"),
      el("p", { class: "lead" }, "Every account, main accounts with their sub-accounts below them. Nothing is filtered by a current account."),
      region,
      pager,
    );
    async function update() {
      const page = await api(`/_emulator/ui/api/accounts?offset=${offset}&limit=${PAGE}`);
      const text = JSON.stringify(page);
      if (text === last) return;
      last = text;
      fill(
        region,
        page.accounts.length
          ? el("ul", { class: "tree", "aria-label": "Account families" }, page.accounts.map(accountCard))
          : el("p", {}, "No accounts. Add one in Seed and state."),
      );
      const first = page.total ? offset + 1 : 0;
      fill(
        pager,
        el("button", { type: "button", class: "secondary", disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); update(); } }, "Previous"),
        el("span", {}, ` ${first}–${offset + page.accounts.length} of ${page.total} `),
        el("button", { type: "button", class: "secondary", disabled: offset + PAGE >= page.total, onclick: () => { offset += PAGE; update(); } }, "Next"),
      );
    }
    return { update };
  },
};
