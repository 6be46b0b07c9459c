// The dashboard's entry: the navigation (one view per `#/name` address), the
// header's live status, the admin-token prompt, and the poll that keeps the open
// view current (every view re-reads its page; nothing loads everything).

import { NeedsToken, api, el, fill, setToken, date } from "./ui.js";
import { accountsView } from "./accounts.js";
import { packagesView } from "./packages.js";
import { requestsView } from "./requests.js";
import { faultsView } from "./faults.js";
import { clockView } from "./clock.js";
import { seedView } from "./seed.js";

const VIEWS = {
  accounts: accountsView,
  packages: packagesView,
  requests: requestsView,
  faults: faultsView,
  clock: clockView,
  seed: seedView,
};

/** How often the open view and the header are read again. */
const POLL_MS = 1000;

const main = document.getElementById("main");
const status = document.getElementById("status");
const alertBox = document.getElementById("alert");

let current = null;
let busy = false;
let prompting = false;
let generation = 0;

/** The view name, its arguments and parameters from the address
 *  (`#/packages/ID`, `#/packages?search=TEXT`). */
function route() {
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const name = VIEWS[parts[0]] ? parts[0] : "accounts";
  return { name, args: parts.slice(1), params: new URLSearchParams(query || "") };
}

function showError(error) {
  if (!error) {
    alertBox.hidden = true;
    fill(alertBox);
    return;
  }
  alertBox.hidden = false;
  fill(alertBox, error.message || String(error));
}

/** Asks for the admin token, keeps it for the browser session, then reloads the
 *  view. Polling stops while the question is open, so typing is not lost. */
function askToken() {
  prompting = true;
  const input = el("input", { type: "password", id: "admin-token", autocomplete: "current-password", required: true });
  const form = el(
    "form",
    {
      class: "card token",
      onsubmit: (event) => {
        event.preventDefault();
        setToken(input.value.trim());
        prompting = false;
        open();
      },
    },
    el("h2", {}, "Admin token"),
    el("p", {}, "This emulator was started with --admin-token. Enter it once; it is kept for this browser session only."),
    el("div", { class: "field" }, el("label", { for: "admin-token" }, "Admin token"), input),
    el("button", { type: "submit" }, "Continue"),
  );
  fill(main, form);
  fill(status, "Admin token needed");
  input.focus();
}

async function handle(error) {
  if (error instanceof NeedsToken) {
    setToken(null);
    current = null;
    askToken();
    return;
  }
  showError(error);
}

/** Opens the view the address names. */
async function open() {
  const { name, args, params } = route();
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const view = VIEWS[name];
  const mine = ++generation;
  showError(null);
  current = null;
  const container = el("div", { class: "view" });
  fill(main, container);
  document.title = `${view.title} · Emulator dashboard`;
  try {
    const instance = await view.mount(container, args, params);
    if (mine !== generation) return;
    current = instance;
    await tick();
  } catch (error) {
    if (mine === generation) handle(error);
  }
}

/** One poll: the header, then the open view. */
async function tick() {
  if (busy || prompting || document.hidden) return;
  busy = true;
  try {
    const overview = await api("/_emulator/ui/api/overview");
    const mode = overview.provisioning.mode === "auto"
      ? `auto, ${overview.provisioning.delayMs} ms`
      : "manual";
    fill(
      status,
      el("span", { class: "live", "aria-hidden": "true" }, "●"),
      ` Live · emulated time ${date(overview.now)} · provisioning ${mode} · `,
      `${overview.accounts} accounts · ${overview.packages} packages · ${overview.faults} fault rules`,
    );
    if (current && current.update) await current.update();
    showError(null);
  } catch (error) {
    handle(error);
  } finally {
    busy = false;
  }
}

// A fault of the page itself shows in the alert banner, never silently.
window.addEventListener("error", (event) => showError(event.error || new Error(event.message)));
window.addEventListener("unhandledrejection", (event) => handle(event.reason));
window.addEventListener("hashchange", () => {
  prompting = false;
  open();
  main.focus({ preventScroll: true });
});
setInterval(tick, POLL_MS);
open();
