// Wijziging doorgeven: the rent form (kale huur and servicekosten of the same home).

import { euro, parseEuro } from "../../format.js";
import { currentHome, dateField, incomplete, moneyField, readDate, v } from "./fields.js";

/** The form (see fields.js for the shape every form has). */
export function homeForm(hh) {
  const home = currentHome(hh);
  const rent = moneyField("Nieuwe kale huur per maand", "rent", home && home.rent != null ? `De huur zonder servicekosten. Nu: ${euro(home.rent)}.` : "De huur zonder servicekosten.");
  const sc = moneyField("Servicekosten per maand", "service_costs", "Alleen de kosten die meetellen, zoals schoonmaak van de gang. Geen? Laat dit leeg.", { required: false, value: home && home.service_costs ? euro(home.service_costs, { cents: true }).replace("€\u00a0", "") : "" });
  const date = dateField(hh, "Vanaf wanneer geldt de nieuwe huur?");
  return {
    fields: [rent.el, sc.el, date.el],
    map: { "change.rent": rent, "change.service_costs": sc, "change.date": date },
    read() {
      const r = parseEuro(v(rent), { max: 1_000_000 });
      if (r.error) return { errors: [[rent, r.error]] };
      const s = parseEuro(v(sc), { max: 1_000_000 });
      if (s.error) return { errors: [[sc, s.error]] };
      if (r.empty) return incomplete(rent, "Vul je nieuwe huur in.");
      const d = readDate(hh, date);
      if (d.error) return { errors: [[date, d.error]] };
      return { change: { kind: "home", date: d.value, rent: r.cents, service_costs: s.cents || 0 } };
    },
  };
}
