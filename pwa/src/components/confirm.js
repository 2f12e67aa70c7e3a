// "Klopt dit?": values that are allowed but rarely right (a rent of € 0, no income for a parent who
// works, 200+ hours of childcare a month) are asked about once before sending. The parent may still
// send them: this is a question, not an error. Not law: the app's own plausibility checks.

import { h } from "../dom.js";
import { euro } from "../format.js";
import { alert, button } from "./form.js";

// 200 hours a month is more than 9 hours every working day; the law's own cap is 230 (Wko art. 1.7).
export const MANY_CHILDCARE_HOURS = 200;

/** The doubts about a change: [{field: key of the form's map, text}]. `hh`: GET /api/household. */
export function doubts(change, hh) {
  const out = [];
  const persons = (hh && hh.persons) || [];
  const role = (r) => persons.find((p) => p.role === r && !p.member_until);
  if ((change.kind === "home" || (change.kind === "address" && change.renting)) && change.rent === 0) {
    out.push({ field: "change.rent", text: `Je vulde ${euro(0)} huur per maand in. Dan krijg je geen huurtoeslag.` });
  }
  if (change.kind === "income" && change.income === 0) {
    const p = role(change.person === "partner" ? "partner" : "applicant");
    if (p && p.works !== false) {
      out.push({ field: "change.income", text: change.person === "partner"
        ? `Je vulde ${euro(0)} inkomen in voor je partner, terwijl je partner werkt.`
        : `Je vulde ${euro(0)} inkomen in, terwijl je werkt.` });
    }
  }
  if (change.kind === "partner" && change.partner && change.partner.income === 0 && change.partner.works) {
    out.push({ field: "change.partner.income", text: `Je vulde ${euro(0)} inkomen in voor je partner, terwijl je partner werkt.` });
  }
  if (change.kind === "childcare" && change.hours_per_month > MANY_CHILDCARE_HOURS) {
    out.push({ field: "change.hours_per_month", text: `Je vulde ${change.hours_per_month} uur opvang per maand in. Dat is meer dan ${MANY_CHILDCARE_HOURS} uur: elke werkdag meer dan 9 uur.` });
  }
  return out;
}

/** Shows the doubts in `where` with "Ja, het klopt" / "Nee, ik pas het aan"; resolves true to send. */
export function askConfirm(where, list) {
  return new Promise((resolve) => {
    const yes = button("Ja, het klopt. Versturen", { onclick: () => done(true) });
    const no = button("Nee, ik pas het aan", { kind: "secondary", onclick: () => done(false) });
    const box = h("div", { class: "app-confirm", dataset: { confirm: "plausibility" } },
      alert("warning",
        h("h2", { class: "utrecht-heading-3", tabindex: "-1" }, "Klopt dit?"),
        list.map((d) => h("p", { class: "utrecht-paragraph", dataset: { doubt: d.field } }, d.text)),
        h("p", { class: "utrecht-paragraph" }, "Klopt het? Dan kun je het toch versturen.")),
      h("div", { class: "app-actions" }, yes, no));
    function done(ok) { box.remove(); resolve(ok); }
    where.replaceChildren(box);
    box.querySelector("h2").focus();
  });
}
