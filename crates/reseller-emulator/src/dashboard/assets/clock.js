// Clock: the emulated time (live), advancing it by a chosen amount or setting it
// (it only moves forward), and the provisioning mode and delay.

import { api, date, el, field, fill, notice, say } from "./ui.js";

const UNITS = [["1000", "seconds"], ["60000", "minutes"], ["3600000", "hours"], ["86400000", "days"]];

export const clockView = {
  title: "Clock",
  async mount(container) {
    const out = notice();
    const now = el("p", { class: "now", "aria-live": "off" });
    const mode = el("p");
    const amount = el("input", { type: "number", id: "advance-amount", min: "0", step: "1", value: "1", required: true });
    const unit = el("select", { id: "advance-unit" }, UNITS.map(([ms, label]) => el("option", { value: ms }, label)));
    unit.value = "3600000";
    const setAt = el("input", { type: "datetime-local", id: "clock-set", step: "1", required: true });
    const auto = el("input", { type: "radio", name: "mode", id: "mode-auto", value: "auto" });
    const manual = el("input", { type: "radio", name: "mode", id: "mode-manual", value: "manual" });
    const delay = el("input", { type: "number", id: "provisioning-delay", min: "0", step: "1", value: "0" });
    let loaded = false;

    async function run(call, done) {
      try {
        const answer = await call();
        say(out, done(answer));
        await update();
      } catch (error) {
        say(out, error.message, true);
      }
    }

    const advance = el(
      "form",
      {
        class: "card",
        "aria-labelledby": "advance-title",
        onsubmit: (event) => {
          event.preventDefault();
          const ms = Math.round(Number(amount.value) * Number(unit.value));
          run(() => api("/_emulator/clock", { method: "POST", body: { advanceMs: ms } }), (a) => `The clock is now ${date(a.now)}.`);
        },
      },
      el("h3", { id: "advance-title" }, "Advance"),
      el("div", { class: "row" }, field("Amount", amount), field("Unit", unit)),
      el("button", { type: "submit" }, "Advance clock"),
    );
    const set = el(
      "form",
      {
        class: "card",
        "aria-labelledby": "set-title",
        onsubmit: (event) => {
          event.preventDefault();
          const value = setAt.value.length === 16 ? `${setAt.value}:00` : setAt.value;
          run(() => api("/_emulator/clock", { method: "POST", body: { set: `${value}Z` } }), (a) => `The clock is now ${date(a.now)}.`);
        },
      },
      el("h3", { id: "set-title" }, "Set"),
      field("Date and time (UTC)", setAt, "Only a later time moves the clock: it never runs backwards"),
      el("button", { type: "submit" }, "Set clock"),
    );
    const provisioning = el(
      "form",
      {
        class: "card",
        "aria-labelledby": "provisioning-title",
        onsubmit: (event) => {
          event.preventDefault();
          const body = manual.checked ? { mode: "manual" } : { mode: "auto", delayMs: Number(delay.value || 0) };
          run(() => api("/_emulator/provisioning", { method: "PUT", body }), (a) => `Provisioning is ${a.mode}.`);
        },
      },
      el("h3", { id: "provisioning-title" }, "Provisioning"),
      el(
        "fieldset",
        {},
        el("legend", {}, "New instances leave PENDING"),
        el("div", { class: "field check" }, auto, el("label", { for: "mode-auto" }, "Automatically, after the delay")),
        el("div", { class: "field check" }, manual, el("label", { for: "mode-manual" }, "Manually (Packages view or the control API)")),
      ),
      field("Delay (ms of emulated time)", delay),
      el("button", { type: "submit" }, "Save provisioning"),
    );
    fill(
      container,
      el("h2", {}, "Clock"),
      el("div", { class: "card" }, el("h3", {}, "Emulated time"), now, mode),
      out,
      el("div", { class: "cards" }, advance, set, provisioning),
    );

    async function update() {
      const o = await api("/_emulator/ui/api/overview");
      fill(now, date(o.now));
      const p = o.provisioning;
      fill(mode, p.mode === "auto" ? `Provisioning: automatic, ${p.delayMs} ms delay` : "Provisioning: manual");
      if (!loaded) {
        loaded = true;
        (p.mode === "auto" ? auto : manual).checked = true;
        delay.value = String(p.delayMs ?? 0);
        setAt.value = o.now.slice(0, 19);
      }
    }
    return { update };
  },
};
