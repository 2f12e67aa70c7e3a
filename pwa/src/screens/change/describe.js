// A Dutch sentence for a change that is sent (the outbox and the result screen show it).

import { euro, longDate } from "../../format.js";

/** A Dutch sentence for what is sent (shown in the outbox and on the result screen). */
export function describe(change, hh) {
  const d = longDate(change.date);
  switch (change.kind) {
    case "income": return `${change.person === "partner" ? "Inkomen van je partner" : "Je inkomen"} voor ${hh.year}: ${euro(change.income, { whole: true })}${change.assets != null ? `, vermogen ${euro(change.assets, { whole: true })}` : ""} (vanaf ${d}).`;
    case "home": return `Nieuwe huur: ${euro(change.rent)} per maand vanaf ${d}.`;
    case "address": return `Verhuizing op ${d} naar ${change.address.city || "een nieuw adres"}${change.renting ? `, huur ${euro(change.rent)} per maand` : ""}.`;
    case "childcare": return change.ends ? `De kinderopvang stopt op ${d}.`
      : `Kinderopvang vanaf ${d}: ${[change.hours_per_month != null ? `${change.hours_per_month} uur per maand` : null,
        change.hourly_rate != null ? `${euro(change.hourly_rate)} per uur` : null].filter(Boolean).join(", ")}.`;
    case "partner": return change.action === "moves_in" ? `${change.partner.given_name} komt op ${d} bij je wonen als toeslagpartner.` : `Je toeslagpartner gaat weg op ${d}.`;
    case "child": return change.action === "moves_out" ? `Een kind gaat het huis uit op ${d}.` : change.action === "born" ? `${change.child.given_name} is geboren op ${d}.` : `${change.child.given_name} komt bij je wonen op ${d}.`;
    default: return "Wijziging";
  }
}
