// Warnings where the risk is: the `warnings` of shared_rules.preview (shared_rules/warnings.py),
// the same on the phone and the server: vermogen above or near a limit, a toeslagpartner moving in
// or out. The text comes from the rules (so both say the same); here it is only shown, with its law.

import { h } from "../dom.js";
import { alert } from "./form.js";

/** The warnings that concern `toeslag` (and the household-wide ones), or all of them. */
export function warningsFor(warnings, toeslag = null) {
  return (warnings || []).filter((w) => !toeslag || !w.toeslag || w.toeslag === toeslag);
}

/** A list of alerts, or null when there is nothing to warn about. */
export function warningList(warnings, { title = null, level = 3 } = {}) {
  const list = warnings || [];
  if (!list.length) return null;
  return h("div", { class: "app-warnings", dataset: { warnings: String(list.length) } },
    title ? h("h" + level, { class: `utrecht-heading-${level}` }, title) : null,
    list.map((w) => h("div", { dataset: { warning: w.code, toeslag: w.toeslag || "" } },
      alert(w.level === "warning" ? "warning" : "info",
        h("p", { class: "utrecht-paragraph" }, w.level === "warning" ? h("strong", null, "Let op: ") : null, w.text),
        h("p", { class: "utrecht-paragraph app-step__law" }, h("span", { class: "app-muted" }, "Wet: "), w.law)))));
}

/** One short sentence per warning for the live region (screen readers hear the risk too). */
export const warningSummary = (warnings) => (warnings || []).filter((w) => w.level === "warning").map((w) => w.text);
