// Wijziging doorgeven: the childcare form (other hours or hourly rate, or the contract ends).

import { euro, parseEuro, parseWhole } from "../../format.js";
import { radioGroup, selectField, textField } from "../../components/form.js";
import { CARE, dateField, incomplete, moneyField, readDate, v } from "./fields.js";

/** The form (see fields.js for the shape every form has). */
export function childcareForm(hh) {
  const kids = new Map(hh.persons.map((p) => [p.id, p.given_name]));
  const contracts = hh.contracts.filter((c) => !c.end_date || c.end_date >= hh.today);
  const contract = selectField({ label: "Welke opvang?", name: "contract", value: contracts[0] && contracts[0].id,
    options: contracts.map((c) => [c.id, `${CARE[c.kind] || c.kind} voor ${kids.get(c.child_id) || "je kind"} (${c.organisation})`]) });
  const action = radioGroup({ legend: "Wat verandert er?", name: "care_action", value: "terms", options: [["terms", "Andere uren of uurprijs"], ["ends", "De opvang stopt"]] });
  const hours = textField({ label: "Uren per maand", name: "hours", inputmode: "numeric", width: "short", description: "Het aantal uur opvang per maand uit je contract." });
  const rate = moneyField("Uurprijs", "hourly_rate", "Wat de opvang per uur kost.");
  const date = dateField(hh, "Vanaf wanneer?");
  const fill = () => {
    const c = contracts.find((x) => x.id === contract.input.value);
    if (!c) return;
    hours.input.value = c.hours_per_month ?? "";
    rate.input.value = c.hourly_rate != null ? euro(c.hourly_rate, { cents: true }).replace("€\u00a0", "") : "";
  };
  fill();
  contract.input.addEventListener("change", fill);
  const sync = () => { const ends = action.value === "ends"; hours.el.hidden = ends; rate.el.hidden = ends; };
  for (const i of action.inputs) i.addEventListener("change", sync);
  return {
    fields: [contract.el, action.el, hours.el, rate.el, date.el],
    map: { "change.hours_per_month": hours, "change.hourly_rate": rate, "change.date": date, "change.contract_id": contract },
    read() {
      if (!contracts.length) return { incomplete: "Je hebt geen kinderopvang die we kennen." };
      const d = readDate(hh, date);
      const ends = action.value === "ends";
      if (ends) {
        if (d.error) return { errors: [[date, d.error]] };
        return { change: { kind: "childcare", date: d.value, contract_id: contract.input.value, ends: true } };
      }
      const hr = parseWhole(v(hours), { max: 744, unit: "uur" });
      if (hr.error) return { errors: [[hours, hr.error]] };
      const rt = parseEuro(v(rate), { max: 5000 });
      if (rt.error) return { errors: [[rate, rt.error]] };
      if (hr.empty && rt.empty) return incomplete(hours, "Vul de uren of de uurprijs in.", "");
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "childcare", date: d.value, contract_id: contract.input.value, ends: false };
      if (!hr.empty) change.hours_per_month = hr.value;
      if (!rt.empty) change.hourly_rate = rt.cents;
      return { change };
    },
    sync,
  };
}
