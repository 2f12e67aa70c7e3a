// Wijziging doorgeven: the moving form (new address, renting or not, rent).

import { parseEuro } from "../../format.js";
import { radioGroup, textField } from "../../components/form.js";
import { dateField, incomplete, moneyField, readDate, textErrors, v } from "./fields.js";

/** The form (see fields.js for the shape every form has). */
export function addressForm(hh) {
  const street = textField({ label: "Straat", name: "street", autocomplete: "address-line1" });
  const nr = textField({ label: "Huisnummer", name: "house_number", width: "short" });
  const pc = textField({ label: "Postcode", name: "postcode", autocomplete: "postal-code", width: "short", description: "Bijvoorbeeld 1234 AB." });
  const city = textField({ label: "Plaats", name: "city", autocomplete: "address-level2" });
  const renting = radioGroup({ legend: "Huur je je nieuwe woning?", name: "renting", value: "yes", options: [["yes", "Ja, ik huur"], ["no", "Nee"]] });
  const rent = moneyField("Kale huur per maand", "rent", "De huur zonder servicekosten.");
  const sc = moneyField("Servicekosten per maand", "service_costs", "Geen? Laat dit leeg.", { required: false });
  const date = dateField(hh, "Verhuisdatum");
  const sync = () => { const r = renting.value !== "no"; rent.el.hidden = !r; sc.el.hidden = !r; };
  for (const i of renting.inputs) i.addEventListener("change", sync);
  return {
    fields: [street.el, nr.el, pc.el, city.el, renting.el, rent.el, sc.el, date.el],
    map: { "change.address.street": street, "change.address.house_number": nr, "change.address.postcode": pc, "change.address.city": city, "change.rent": rent, "change.date": date },
    read() {
      const isRenting = renting.value !== "no";
      const r = parseEuro(v(rent), { max: 1_000_000 });
      const s = parseEuro(v(sc), { max: 1_000_000 });
      if (isRenting && r.error) return { errors: [[rent, r.error]] };
      if (isRenting && s.error) return { errors: [[sc, s.error]] };
      if (isRenting && r.empty) return incomplete(rent, "Vul de huur van je nieuwe woning in.");
      const d = readDate(hh, date);
      if (d.error) return { errors: [[date, d.error]] };
      const change = { kind: "address", date: d.value, address: { street: v(street).trim(), house_number: v(nr).trim(), postcode: v(pc).trim(), city: v(city).trim() }, renting: isRenting };
      if (isRenting) { change.rent = r.cents; change.service_costs = s.cents || 0; }
      // The preview does not need the address; sending does.
      const missing = textErrors([[street, "Vul de straat in.", 100], [nr, "Vul het huisnummer in.", 12]]);
      if (!/^[1-9][0-9]{3} ?[A-Za-z]{2}$/.test(change.address.postcode)) missing.push([pc, "Vul een postcode in zoals 1234 AB."]);
      missing.push(...textErrors([[city, "Vul de plaats in.", 80]]));
      return { change, sendErrors: missing };
    },
    sync,
  };
}
