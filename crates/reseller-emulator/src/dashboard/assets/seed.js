// Seed and state: forms to add an account, a site, a catalog product and an API
// key (the key is shown once, here, and never again); exporting the state as a
// download, importing one from a file (refused whole when invalid), and reset.

import { api, confirmAction, el, field, fill, notice, numberOf, say, textOf } from "./ui.js";

const CYCLES = {
  monthly: { type: "RECURRING", cycleDuration: { unit: "MONTH", count: 1 } },
  yearly: { type: "RECURRING", cycleDuration: { unit: "YEAR", count: 1 } },
  once: { type: "ONE_TIME" },
};

function card(title, id, onsubmit, ...children) {
  return el("form", { class: "card", "aria-labelledby": id, onsubmit }, el("h3", { id }, title), ...children);
}

function checkbox(id, label, checked = false) {
  const input = el("input", { type: "checkbox", id, checked });
  return [input, el("div", { class: "field check" }, input, el("label", { for: id }, label))];
}

export const seedView = {
  title: "Seed and state",
  async mount(container) {
    const SCOPES = (await api("/_emulator/ui/api/overview")).scopes;
    const out = notice();
    const accounts = el("datalist", { id: "account-ids" });

    async function post(path, body, done) {
      try {
        const answer = await api(path, { method: "POST", body });
        say(out, done(answer));
        return answer;
      } catch (error) {
        say(out, error.message, true);
        return null;
      }
    }

    // Account.
    const accName = el("input", { type: "text", id: "account-name" });
    const accParent = el("input", { type: "text", id: "account-parent", list: "account-ids", spellcheck: "false" });
    const accId = el("input", { type: "text", id: "account-id", spellcheck: "false" });
    const [accPartner, accPartnerField] = checkbox("account-partner", "Strategic partner");
    const account = card("Add an account", "add-account", async (event) => {
      event.preventDefault();
      await post("/_emulator/accounts", { id: textOf(accId), name: textOf(accName), parentAccountId: textOf(accParent), strategicPartner: accPartner.checked || undefined }, (a) => `Added account ${a.name || ""} ${a.id}.`);
    }, field("Name", accName), field("Parent account id", accParent, "Empty for a main account"), field("Id", accId, "Generated when empty"), accPartnerField, el("button", { type: "submit" }, "Add account"));

    // Site.
    const siteAccount = el("input", { type: "text", id: "site-account", list: "account-ids", required: true, spellcheck: "false" });
    const siteName = el("input", { type: "text", id: "site-name" });
    const sitePaid = el("input", { type: "text", id: "site-paid" });
    const site = card("Add a site", "add-site", async (event) => {
      event.preventDefault();
      const paid = sitePaid.value.split(",").map((s) => s.trim()).filter(Boolean);
      await post("/_emulator/sites", { accountId: textOf(siteAccount), name: textOf(siteName), externalPaidServices: paid.length ? paid : undefined }, (s) => `Added site ${s.name} ${s.id}.`);
    }, field("Account id", siteAccount), field("Name", siteName), field("Paid services bought outside the reseller flow", sitePaid, "Comma-separated; they block a transfer"), el("button", { type: "submit" }, "Add site"));

    // Catalog product.
    const prodId = el("input", { type: "text", id: "product-id", required: true, spellcheck: "false" });
    const prodType = el("input", { type: "text", id: "product-type", required: true, value: "PREMIUM_PLAN", spellcheck: "false" });
    const prodName = el("input", { type: "text", id: "product-name" });
    const prodRequires = el("input", { type: "text", id: "product-requires", spellcheck: "false" });
    const prodLimit = el("input", { type: "number", id: "product-limit", min: "1", step: "1" });
    const [monthly, monthlyField] = checkbox("cycle-monthly", "Monthly", true);
    const [yearly, yearlyField] = checkbox("cycle-yearly", "Yearly", true);
    const [once, onceField] = checkbox("cycle-once", "One time");
    const product = card("Add a catalog product", "add-product", async (event) => {
      event.preventDefault();
      const billingCycles = [[monthly, "monthly"], [yearly, "yearly"], [once, "once"]].filter(([box]) => box.checked).map(([, name]) => CYCLES[name]);
      await post("/_emulator/catalog", { id: textOf(prodId), productType: textOf(prodType), name: textOf(prodName), requiresProductType: textOf(prodRequires), subscriptionLimit: numberOf(prodLimit), billingCycles }, (p) => `Added product ${p.name || ""} ${p.id}.`);
    }, field("Catalog product id", prodId, "A GUID"), field("Product type", prodType), field("Name", prodName), field("Requires product type", prodRequires, "e.g. PREMIUM_PLAN for a domain"), field("Subscription limit", prodLimit),
    el("fieldset", {}, el("legend", {}, "Billing cycles"), monthlyField, yearlyField, onceField), el("button", { type: "submit" }, "Add product"));

    // API key: shown once.
    const keyAccount = el("input", { type: "text", id: "key-account", list: "account-ids", required: true, spellcheck: "false" });
    const scopeBoxes = SCOPES.map((s, i) => checkbox(`scope-${i}`, s, true));
    const shownKey = el("div", { class: "once", "aria-live": "polite" });
    const key = card("Add an API key", "add-key", async (event) => {
      event.preventDefault();
      fill(shownKey);
      const scopes = SCOPES.filter((_, i) => scopeBoxes[i][0].checked);
      const answer = await post("/_emulator/api-keys", { accountId: textOf(keyAccount), scopes }, (k) => `Added a key for ${k.accountId}.`);
      if (answer) {
        fill(shownKey,
          el("p", {}, el("strong", {}, "Copy this key now: it is shown once and never again.")),
          el("output", { class: "key", for: "key-account", "data-once": "key" }, answer.key),
          el("button", { type: "button", class: "secondary", onclick: () => fill(shownKey, "Key hidden.") }, "Hide key"));
      }
    }, field("Account id", keyAccount), el("fieldset", {}, el("legend", {}, "Scopes"), scopeBoxes.map(([, f]) => f)), el("button", { type: "submit" }, "Add API key"), shownKey);

    // Export, import, reset.
    const file = el("input", { type: "file", id: "import-file", accept: "application/json,.json" });
    const state = el(
      "section",
      { class: "card", "aria-labelledby": "state-title" },
      el("h3", { id: "state-title" }, "State"),
      el("div", { class: "actions" },
        el("button", {
          type: "button",
          onclick: async () => {
            try {
              const text = await api("/_emulator/state", { raw: true });
              const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
              const link = el("a", { href: url, download: `emulator-state.json` });
              document.body.append(link);
              link.click();
              link.remove();
              setTimeout(() => URL.revokeObjectURL(url), 1000);
              say(out, "Exported the state (it holds the API keys: keep the file safe).");
            } catch (error) {
              say(out, error.message, true);
            }
          },
        }, "Export state")),
      el("form", {
        class: "inline",
        onsubmit: async (event) => {
          event.preventDefault();
          if (!file.files.length) return say(out, "Choose a state file first.", true);
          const text = await file.files[0].text();
          if (!(await confirmAction("Replace the state?", "The whole state is replaced by the file's. A file that is not a valid state changes nothing.", "Import"))) return;
          try {
            await api("/_emulator/state", { method: "PUT", body: text });
            say(out, "Imported the state.");
          } catch (error) {
            say(out, `Refused, nothing changed: ${error.message}`, true);
          }
        },
      }, field("State file", file), el("button", { type: "submit" }, "Import state")),
      el("div", { class: "actions" },
        el("button", {
          type: "button",
          class: "danger",
          id: "reset",
          onclick: async () => {
            if (!(await confirmAction("Reset the emulator?", "Every account, site, product, API key, package, fault rule and logged request is removed. The clock keeps its time.", "Reset everything"))) return;
            try {
              await api("/_emulator/reset", { method: "POST" });
              say(out, "The emulator was reset.");
            } catch (error) {
              say(out, error.message, true);
            }
          },
        }, "Reset…")),
    );

    fill(container, el("h2", {}, "Seed and state"), out, accounts, el("div", { class: "cards" }, account, site, product, key, state));

    let last = "";
    async function update() {
      const page = await api("/_emulator/ui/api/accounts?limit=200");
      const text = JSON.stringify(page.accounts.map((r) => [r.account.id, r.account.name]));
      if (text === last) return;
      last = text;
      fill(accounts, page.accounts.map((r) => el("option", { value: r.account.id }, r.account.name || "")));
    }
    return { update };
  },
};
