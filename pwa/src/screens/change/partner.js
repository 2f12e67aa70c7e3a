// Wijziging doorgeven: the partner form (a toeslagpartner moves in or out).

import { parseEuro } from "../../format.js";
import { checkbox, para, textField } from "../../components/form.js";
import { badBirth, dateField, incomplete, moneyField, partnerToday, readDate, textErrors, v } from "./fields.js";

/** The form (see fields.js for the shape every form has). */
export function partnerForm(hh) {
  const has = !!partnerToday(hh);
  const name = textField({ label: "Voornaam van je partner", name: "given_name", autocomplete: "off" });
  const birth = textField({ label: "Geboortedatum van je partner", name: "birth_date", type: "date", width: "date", max: hh.today });
  const income = moneyField(`Inkomen van je partner in ${hh.year}`, "partner_income", "Over het hele jaar, vóór belasting.");
  const works = checkbox({ label: "Mijn partner werkt, studeert of volgt een traject", name: "works", checked: true });
  const insured = checkbox({ label: "Mijn partner heeft een Nederlandse zorgverzekering", name: "insured", checked: true });
  const date = dateField(hh, has ? "Wanneer gaat je partner weg?" : "Wanneer komt je partner bij je wonen?");
  const fields = has ? [para("Je geeft door dat je toeslagpartner niet meer bij je woont."), date.el] : [name.el, birth.el, income.el, works.el, insured.el, date.el];
  return {
    fields,
    map: { "change.partner.given_name": name, "change.partner.birth_date": birth, "change.partner.income": income, "change.date": date },
    read() {
      const d = readDate(hh, date);
      if (has) {
        if (d.error) return { errors: [[date, d.error]] };
        return { change: { kind: "partner", date: d.value, action: "moves_out" } };
      }
      const inc = parseEuro(v(income), { max: 10_000_000_000 });
      if (inc.error) return { errors: [[income, inc.error]] };
      if (!v(birth)) return incomplete(birth, "Vul de geboortedatum van je partner in.", "");
      if (badBirth(v(birth), hh.today)) return { errors: [[birth, "Deze geboortedatum kan niet kloppen."]] };
      if (inc.empty) return incomplete(income, "Vul het inkomen van je partner in.");
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "partner", date: d.value, action: "moves_in", partner: { given_name: v(name).trim() || "Partner", birth_date: v(birth), income: inc.cents, assets: 0, insured: insured.input.checked, works: works.input.checked } };
      return { change, sendErrors: textErrors([[name, "Vul de voornaam van je partner in.", 80]]) };
    },
  };
}
