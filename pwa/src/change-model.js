// From a change the user describes to (a) the body of POST /api/changes and (b) the input of
// shared_rules.preview on the phone. (b) mirrors what the server does in api/changes/service.py:
// apply the change to the household and take the situation on the first day of the month the
// change counts from (Awir art. 5). Here that is done on the timeline situation of that month,
// which the server computed (GET /api/household -> rules_input), so the phone and the server give
// shared_rules the same input. No rule is computed here: only data is moved.

const clone = (x) => JSON.parse(JSON.stringify(x));

/** The first day of the month a change on `date` counts from; `date` itself when it is the 1st or
 *  when that month falls in the next year (as the server does). */
export function effectiveStart(date, year) {
  const [y, m, d] = date.split("-").map(Number);
  if (d === 1) return date;
  if (m === 12 || y !== year) return date;
  return `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

export function situationAt(timeline, day) {
  let found = timeline[0];
  for (const seg of timeline) if (seg.from <= day) found = seg;
  return clone(found.situation);
}

const memberOn = (p, day) => p.member_from <= day && (p.member_until == null || day < p.member_until);

export function membersOn(household, day) {
  return household.persons.filter((p) => memberOn(p, day));
}

export function kidsOn(household, day) {
  return membersOn(household, day)
    .filter((p) => p.role === "child")
    .sort((a, b) => (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function estimate(household, personId, year) {
  let best = null;
  for (const e of household.estimates) {
    if (e.person_id === personId && e.year <= year && (!best || e.year >= best.year)) best = e;
  }
  return best ? [best.income, best.assets] : [0, 0];
}

function coResidents(household, day, timeline) {
  // The co-residents of the home as the server's timeline knows them, else from the persons list.
  for (let i = timeline.length - 1; i >= 0; i--) {
    const home = timeline[i].situation.home;
    if (home && timeline[i].from <= day) return clone(home.co_residents || []);
  }
  return membersOn(household, day).filter((p) => p.role === "co_resident").map((p) => {
    const [income, assets] = estimate(household, p.id, household.year);
    return { birth_date: p.birth_date, income, assets, child: !!p.co_resident_is_child };
  });
}

function sortCare(list) {
  list.sort((a, b) => (a.child - b.child) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) || (a.hours - b.hours) || (a.hourly_rate - b.hourly_rate));
}

/** Childcare entries follow their child when children are added or removed (indexes move). */
function remapCare(sit, oldKids, newKids) {
  const pos = new Map(newKids.map((k, i) => [k.id, i]));
  const out = [];
  for (const c of sit.childcare) {
    const kid = oldKids[c.child];
    if (!kid || !pos.has(kid.id)) continue;
    out.push({ ...c, child: pos.get(kid.id) });
  }
  sortCare(out);
  sit.childcare = out;
  sit.children = newKids.map((k) => ({ birth_date: k.birth_date }));
}

/** The situation with the change, or throws an Error with a Dutch message. */
export function changeSituation(household, change) {
  const timeline = household.rules_input.timeline;
  const year = household.year;
  const on = effectiveStart(change.date, year);
  const sit = situationAt(timeline, on);
  const members = membersOn(household, change.date);
  switch (change.kind) {
    case "income": {
      const role = change.person || "applicant";
      if (!members.some((p) => p.role === role) || (role === "partner" && !sit.partner)) {
        throw new Error("Je hebt op deze datum geen toeslagpartner.");
      }
      const target = role === "partner" ? sit.partner : sit.applicant;
      target.income = change.income;
      if (change.assets != null) target.assets = change.assets;
      break;
    }
    case "home":
    case "address": {
      const renting = change.kind === "home" ? true : change.renting !== false;
      if (!renting) { sit.home = null; break; }
      if (sit.home) {
        sit.home.rent = change.rent;
        sit.home.service_costs = change.service_costs || 0;
      } else {
        sit.home = { rent: change.rent, service_costs: change.service_costs || 0, persons: 1, co_residents: coResidents(household, on, timeline) };
      }
      break;
    }
    case "childcare": {
      const contract = household.contracts.find((c) => c.id === change.contract_id);
      if (!contract) throw new Error("Dit opvangcontract kennen we niet.");
      const idx = kidsOn(household, on).findIndex((k) => k.id === contract.child_id);
      const matches = sit.childcare.filter((c) => c.child === idx && c.kind === contract.kind);
      const entry = matches.find((c) => c.hours === contract.hours_per_month && c.hourly_rate === contract.hourly_rate) || matches[0];
      if (change.ends) {
        if (entry) sit.childcare.splice(sit.childcare.indexOf(entry), 1);
      } else if (entry) {
        if (change.hours_per_month != null) entry.hours = change.hours_per_month;
        if (change.hourly_rate != null) entry.hourly_rate = change.hourly_rate;
      }
      sortCare(sit.childcare);
      break;
    }
    case "partner": {
      const has = members.some((p) => p.role === "partner");
      if (change.action === "moves_in") {
        if (has) throw new Error("Je hebt al een toeslagpartner.");
        const p = change.partner;
        sit.partner = { birth_date: p.birth_date, income: p.income, assets: p.assets || 0, insured: p.insured !== false, treaty_country: null, works: p.works !== false };
      } else {
        if (!has) throw new Error("Je hebt op deze datum geen toeslagpartner.");
        sit.partner = null;
      }
      break;
    }
    case "child": {
      const oldKids = kidsOn(household, on);
      let newKids;
      if (change.action === "born" || change.action === "moves_in") {
        newKids = oldKids.concat([{ id: "prs_~new", birth_date: change.child.birth_date }]);
        newKids.sort((a, b) => (a.birth_date < b.birth_date ? -1 : a.birth_date > b.birth_date ? 1 : a.id < b.id ? -1 : 1));
      } else {
        if (!oldKids.some((k) => k.id === change.child_id)) throw new Error("Dit kind kennen we niet.");
        newKids = oldKids.filter((k) => k.id !== change.child_id);
      }
      remapCare(sit, oldKids, newKids);
      break;
    }
    default:
      throw new Error("Dit soort wijziging kennen we niet.");
  }
  if (sit.home) {
    sit.home.persons = 1 + (sit.partner ? 1 : 0) + sit.children.length + (sit.home.co_residents || []).length;
  }
  return sit;
}

/** The full input of shared_rules.preview for a change (or without one). */
export function previewInput(household, change) {
  const ri = household.rules_input;
  const input = { today: ri.today, timeline: ri.timeline, paid: ri.paid };
  // a voorzichtig voorschot in force lowers the new amount too, as the server's decision will
  if (ri.cautious) input.cautious = ri.cautious;
  if (change) input.change = { date: change.date, situation: changeSituation(household, change) };
  return input;
}
