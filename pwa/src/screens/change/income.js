// Wijziging doorgeven: the income form (toetsingsinkomen and vermogen of the applicant or the partner).

import { euro, parseEuro } from "../../format.js";
import { radioGroup } from "../../components/form.js";
import { dateField, estimateOf, incomplete, moneyField, partnerToday, plainEuro, readDate, v } from "./fields.js";

/** The form (see fields.js for the shape every form has). */
export function incomeForm(hh) {
  const today = hh.today;
  const partner = partnerToday(hh);
  const applicant = hh.persons.find((p) => p.role === "applicant");
  const who = partner ? radioGroup({ legend: "Wiens inkomen is anders?", name: "person", value: "applicant", options: [["applicant", "Mijn inkomen"], ["partner", "Het inkomen van mijn toeslagpartner"]] }) : null;
  const [curIncome, curAssets] = estimateOf(hh, applicant.id);
  const income = moneyField(`Nieuw inkomen voor ${hh.year}`, "income",
    `Je inkomen over heel ${hh.year}, vóór belasting (toetsingsinkomen). Nu bekend: ${euro(curIncome, { whole: true })}.`, { max: undefined });
  const assets = moneyField(`Vermogen op 1 januari ${hh.year}`, "assets",
    `Alleen invullen als het anders is. Nu bekend: ${euro(curAssets, { whole: true })}.`, { required: false });
  if (who) {
    for (const r of who.inputs) r.addEventListener("change", () => {
      const p = who.value === "partner" ? partner : applicant;
      const [inc, ass] = estimateOf(hh, p.id);
      income.el.querySelector(".utrecht-form-field-description").textContent =
        `Het inkomen over heel ${hh.year}, vóór belasting (toetsingsinkomen). Nu bekend: ${euro(inc, { whole: true })}.`;
      assets.el.querySelector(".utrecht-form-field-description").textContent =
        `Alleen invullen als het anders is. Nu bekend: ${euro(ass, { whole: true })}.`;
    });
  }
  const date = dateField(hh, "Vanaf wanneer is het inkomen anders?", "Je nieuwe voorschot gaat in vanaf de maand erna.");
  return {
    fields: [who && who.el, income.el, date.el, assets.el],
    map: { "change.income": income, "change.date": date, "change.assets": assets },
    /** Fills the form from a prompt (GET /api/prompts): the projected income of an income-drift
     *  prompt, or the current estimate for an assets prompt (then the assets field is the one to check). */
    prefill(p) {
      const d = (p && p.data) || {};
      if (p.kind === "income_drift" && d.change && d.change.income != null) {
        const person = d.change.person === "partner" && who ? "partner" : "applicant";
        if (who) for (const r of who.inputs) { r.checked = r.value === person; r.dispatchEvent(new Event("change")); }
        income.input.value = plainEuro(d.change.income);
        if (d.change.date && d.change.date.startsWith(String(hh.year))) date.input.value = d.change.date;
        return income.input;
      }
      if (p.kind === "assets_near_limit") {
        income.input.value = plainEuro(curIncome);
        assets.input.value = d.assets != null ? plainEuro(d.assets) : "";
        return assets.input;
      }
      return null;
    },
    read() {
      const inc = parseEuro(v(income), { max: 10_000_000_000 });
      if (inc.error) return { errors: [[income, inc.error]] };
      const ass = parseEuro(v(assets), { max: 10_000_000_000 });
      if (ass.error) return { errors: [[assets, ass.error]] };
      if (inc.empty) return incomplete(income, "Vul je nieuwe inkomen in.");
      const d = readDate(hh, date);
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "income", date: d.value, person: who ? who.value : "applicant", income: inc.cents };
      if (!ass.empty) change.assets = ass.cents;
      return { change };
    },
  };
}
