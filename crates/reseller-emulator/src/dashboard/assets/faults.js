// Faults: the armed fault rules, a form with every member of a rule of the
// control API, removing one rule or all of them.

import { api, confirmAction, el, field, fill, notice, numberOf, say, table, textOf } from "./ui.js";

const METHODS = ["", "GET", "POST", "PATCH", "PUT", "DELETE"];

function yes(value) {
  return value ? "yes" : "";
}

export const faultsView = {
  title: "Faults",
  async mount(container) {
    let last = "";
    const out = notice();
    const region = el("div");
    const inputs = {
      method: el("select", { id: "fault-method" }, METHODS.map((m) => el("option", { value: m }, m || "Any method"))),
      pathPrefix: el("input", { type: "text", id: "fault-path", placeholder: "/resellers/v2/packages", spellcheck: "false" }),
      probability: el("input", { type: "number", id: "fault-probability", min: "0", max: "1", step: "0.01", placeholder: "1" }),
      times: el("input", { type: "number", id: "fault-times", min: "0", step: "1" }),
      status: el("input", { type: "number", id: "fault-status", min: "400", max: "599", step: "1", placeholder: "500" }),
      errorCode: el("input", { type: "text", id: "fault-error-code", spellcheck: "false" }),
      retryAfterSeconds: el("input", { type: "number", id: "fault-retry-after", min: "0", step: "1" }),
      delayMs: el("input", { type: "number", id: "fault-delay", min: "0", max: "600000", step: "1" }),
      dropConnection: el("input", { type: "checkbox", id: "fault-drop" }),
      afterCommit: el("input", { type: "checkbox", id: "fault-after-commit" }),
    };
    const check = (label, input) => el("div", { class: "field check" }, input, el("label", { for: input.id }, label));
    const form = el(
      "form",
      {
        class: "card grid",
        "aria-labelledby": "add-fault",
        onsubmit: async (event) => {
          event.preventDefault();
          const rule = {
            method: textOf(inputs.method),
            pathPrefix: textOf(inputs.pathPrefix),
            probability: numberOf(inputs.probability),
            times: numberOf(inputs.times),
            status: numberOf(inputs.status),
            errorCode: textOf(inputs.errorCode),
            retryAfterSeconds: numberOf(inputs.retryAfterSeconds),
            delayMs: numberOf(inputs.delayMs),
            dropConnection: inputs.dropConnection.checked || undefined,
            afterCommit: inputs.afterCommit.checked || undefined,
          };
          try {
            const added = await api("/_emulator/faults", { method: "POST", body: { rules: [rule] } });
            say(out, `Added ${added.rules.map((r) => r.id).join(", ")}.`);
            last = "";
            await update();
          } catch (error) {
            say(out, error.message, true);
          }
        },
      },
      el("h3", { id: "add-fault" }, "Add a fault rule"),
      field("Method", inputs.method),
      field("Path prefix", inputs.pathPrefix, "Any path when empty; control calls are never faulted"),
      field("Probability", inputs.probability, "0 to 1, default 1"),
      field("Times", inputs.times, "Retires after this many hits; unbounded when empty"),
      field("Status", inputs.status, "400 to 599, default 500"),
      field("Error code", inputs.errorCode, "applicationError.code of a 4xx"),
      field("Retry-After (seconds)", inputs.retryAfterSeconds),
      field("Delay (ms)", inputs.delayMs, "Alone, it only slows requests down"),
      check("Drop the connection (no answer)", inputs.dropConnection),
      check("After commit (apply, then fail the answer)", inputs.afterCommit),
      el("div", { class: "actions" }, el("button", { type: "submit" }, "Add fault rule")),
    );
    const removeAll = el("button", {
      type: "button",
      class: "danger",
      onclick: async () => {
        if (!(await confirmAction("Remove every fault rule?", "Requests will be answered normally again.", "Remove all"))) return;
        try {
          await api("/_emulator/faults", { method: "DELETE" });
          say(out, "Removed every fault rule.");
          last = "";
          await update();
        } catch (error) {
          say(out, error.message, true);
        }
      },
    }, "Remove all");
    fill(container, el("h2", {}, "Faults"), el("h3", {}, "Active rules"), region, el("div", { class: "actions" }, removeAll), out, form);

    async function remove(id) {
      try {
        await api(`/_emulator/ui/api/faults/${encodeURIComponent(id)}`, { method: "DELETE" });
        say(out, `Removed ${id}.`);
        last = "";
        await update();
      } catch (error) {
        say(out, error.message, true);
      }
    }

    async function update() {
      const doc = await api("/_emulator/ui/api/faults");
      const text = JSON.stringify(doc);
      if (text === last) return;
      last = text;
      const rows = doc.rules.map((r) => [
        el("code", {}, r.id),
        r.method || "any",
        r.pathPrefix ? el("code", {}, r.pathPrefix) : "any",
        String(r.probability ?? 1),
        r.times === undefined ? "∞" : String(r.times),
        String(r.status ?? ""),
        r.errorCode || "",
        r.retryAfterSeconds === undefined ? "" : `${r.retryAfterSeconds} s`,
        r.delayMs === undefined ? "" : `${r.delayMs} ms`,
        yes(r.dropConnection),
        yes(r.afterCommit),
        el("button", { type: "button", class: "secondary", "aria-label": `Remove ${r.id}`, onclick: () => remove(r.id) }, "Remove"),
      ]);
      removeAll.disabled = rows.length === 0;
      fill(
        region,
        rows.length
          ? table("Active fault rules, in the order they are tried", ["Id", "Method", "Path prefix", "Probability", "Times left", "Status", "Error code", "Retry-After", "Delay", "Drop", "After commit", ""], rows)
          : el("p", {}, "No fault rules: every request is answered normally."),
      );
    }
    return { update };
  },
};
