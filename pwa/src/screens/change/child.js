// Wijziging doorgeven: the children form (a child is born, moves in or leaves home).

import { radioGroup, selectField, textField } from "../../components/form.js";
import { ageOn, badBirth, dateField, incomplete, kidsToday, readDate, textErrors, v } from "./fields.js";

/** The form (see fields.js for the shape every form has). */
export function childForm(hh) {
  const kids = kidsToday(hh);
  const options = [["born", "Er is een kind geboren"], ["moves_in", "Een kind komt bij mij wonen"]];
  if (kids.length) options.push(["moves_out", "Een kind gaat het huis uit"]);
  const action = radioGroup({ legend: "Wat is er veranderd?", name: "child_action", value: "born", options });
  const name = textField({ label: "Voornaam van het kind", name: "child_name" });
  const birth = textField({ label: "Geboortedatum", name: "child_birth", type: "date", width: "date", max: hh.today });
  const which = kids.length ? selectField({ label: "Welk kind?", name: "child_id", options: kids.map((k) => [k.id, k.given_name]) }) : null;
  const date = dateField(hh, "Vanaf wanneer?");
  const sync = () => {
    const a = action.value;
    name.el.hidden = a === "moves_out";
    birth.el.hidden = a === "moves_out";
    if (which) which.el.hidden = a !== "moves_out";
    date.el.hidden = a === "born";
  };
  for (const i of action.inputs) i.addEventListener("change", sync);
  return {
    fields: [action.el, name.el, birth.el, which && which.el, date.el],
    map: { "change.child.given_name": name, "change.child.birth_date": birth, "change.date": date, "change.child_id": which },
    read() {
      const a = action.value;
      if (a === "moves_out") {
        const d = readDate(hh, date);
        if (d.error) return { errors: [[date, d.error]] };
        return { change: { kind: "child", date: d.value, action: "moves_out", child_id: which.input.value } };
      }
      const b = v(birth);
      if (!b) return incomplete(birth, "Vul de geboortedatum van het kind in.", "");
      if (badBirth(b, hh.today)) return { errors: [[birth, "Deze geboortedatum kan niet kloppen."]] };
      let day = b;
      if (a === "moves_in") {
        const d = readDate(hh, date);
        if (d.error) return { errors: [[date, d.error]] };
        day = d.value;
        if (ageOn(b, day) >= 18) return { errors: [[birth, "Dit kind is 18 jaar of ouder. Geef hier alleen kinderen jonger dan 18 door."]] };
      } else if (!b.startsWith(String(hh.year))) {
        return { errors: [[birth, `Een geboorte kun je hier doorgeven voor ${hh.year}.`]] };
      }
      const change = { kind: "child", date: day, action: a, child: { given_name: v(name).trim() || "Kind", birth_date: b } };
      return { change, sendErrors: textErrors([[name, "Vul de voornaam van het kind in.", 80]]) };
    },
    sync,
  };
}
