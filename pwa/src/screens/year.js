// One toeslag year (#/jaar/2027): its voorschot per toeslag (next year: "voorlopig" or "nog niet
// bekend"), last year's expected settlement, and the income for that year with a preview before it is
// sent: worked out on the phone (shared_rules in MicroPython-wasm, with that year's rules and payments
// from GET /api/years `rules_input`), so it works offline; the server's when the phone cannot. A past
// year also takes the final income from the tax assessment. Every other kind of change opens the
// change forms with the year fixed (#/jaar/2025/wijzigen/partner).

import { h, add } from "../dom.js";
import { euro, parseEuro, toeslagName, TOESLAGEN } from "../format.js";
import { alert, button, heading, link, para, textField } from "../components/form.js";
import { laterInputs, loadYear, settlementBlock, yearList } from "../components/years.js";
import { apiGet, apiPost, newKey, ApiError, isOffline } from "../api.js";
import { loadRules, previewChange } from "../rules.js";
import { yearKinds } from "./change/kinds.js";
import { enqueue, flush } from "../outbox.js";
import { navigate } from "../router.js";

function previewList(pv) {
  return h("ul", { class: "utrecht-unordered-list", dataset: { yearPreview: String(pv.year) } },
    Object.entries(pv.toeslagen).filter(([, t]) => t.applied).map(([name, t]) => {
      const label = name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
      if (!t.computed) return h("li", { class: "utrecht-unordered-list__item", dataset: { toeslag: name } }, `${label}: nog niet bekend`);
      const paidAll = t.paid.every((p) => p !== null);
      const main = paidAll
        ? (t.past_months < 0 ? `je betaalt ${euro(-t.past_months)} terug` : t.past_months > 0 ? `je krijgt ${euro(t.past_months)} erbij` : "geen verschil")
        : `${euro(t.new_monthly)} per maand (was ${euro(t.before.per_month)})`;
      return h("li", { class: "utrecht-unordered-list__item", dataset: { toeslag: name } }, `${label}: ${main}`,
        t.provisional ? h("span", { class: "app-muted" }, ` (voorlopig: ${t.source || "voorlopige bedragen"})`) : null,
        t.hoge_terugvordering ? h("strong", null, " Let op: hoge terugvordering.") : null);
    }));
}

// api/years/service.py `_amount_text`
function amountText(amount) {
  if (amount > 0) return `Je krijgt naar verwachting ${euro(amount)} terug`;
  if (amount < 0) return `Je betaalt naar verwachting ${euro(-amount)} terug`;
  return "Je hoeft naar verwachting niets terug te betalen";
}

// the expected settlement, as api/years/compute.py `settlement`: entitlement against what was paid
function settlementOf(pv, year, applied) {
  const toeslagen = [];
  let total = 0;
  let high = false;
  for (const t of TOESLAGEN) {
    const r = pv.toeslagen[t];
    if (!r || !applied.has(t)) continue;
    const paid = r.paid.reduce((sum, p) => sum + (p === null ? 0 : p), 0);
    const known = r.computed !== false;
    const amount = r.before.per_year - paid;
    if (known) { total += amount; high = high || -amount >= r.threshold; }
    toeslagen.push({ name: toeslagName(t), known, per_year: r.before.per_year, paid, text: amountText(amount) });
  }
  return { year, toeslagen, total, hoge_terugvordering: high,
    text: toeslagen.length ? amountText(total) : `Je had in ${year} geen toeslag.` };
}

export async function renderYear(view, { year }) {
  const y = Number(year);
  const data = await loadYear(y);
  const yr = data.year;
  const hh = (await apiGet("/api/household")).data;
  const me = hh.persons.find((p) => p.role === "applicant");
  const est = [...hh.estimates].filter((e) => e.person_id === me.id && e.year <= y).sort((a, b) => a.year - b.year).pop();
  const income = textField({ label: `Je inkomen voor ${y}`, name: "income", inputmode: "decimal", prefix: "€", width: "money",
    description: `Je inkomen over heel ${y}, vóór belasting (toetsingsinkomen).${est ? ` Nu bekend: ${euro(est.income, { whole: true })}.` : ""}` });
  const out = h("div", { "aria-live": "polite", dataset: { yearPreviewBox: "" } });
  const today = data.today;
  const date = yr.kind === "next" ? today : yr.kind === "past" ? `${y}-01-01` : today;
  const body = () => {
    const inc = parseEuro(income.input.value, { max: 10_000_000_000 });
    if (inc.error || inc.empty) { income.setError(inc.error || "Vul je inkomen in."); return null; }
    income.setError(null);
    return { year: y, change: { kind: "income", date, person: "applicant", income: inc.cents } };
  };
  const showProblem = (e) => out.replaceChildren(alert("error", para(e instanceof ApiError ? e.message : "Dat lukte niet. Probeer het opnieuw.")));
  const doPreview = async () => {
    const b = body();
    if (!b) return;
    try {
      const pv = await phoneFirst(b);
      out.replaceChildren(heading(3, "Wat verandert er?"), previewList(pv),
        ...(pv.carried_forward || []).filter((c) => Object.values(c.toeslagen).some((t) => t.applied))
          .flatMap((c) => [heading(3, `Ook je voorschot voor ${c.year}`), previewList(c)]));
    } catch (e) { showProblem(e); }
  };
  // The phone's preview (the very call the server makes); the server's only when the phone has no rules.
  const applied = new Set(yr.toeslagen.filter((t) => t.applied).map((t) => t.toeslag));
  const phoneFirst = async (b) => {
    let rules = true;
    try { await loadRules(); } catch { rules = false; }
    if (!rules) {
      if (isOffline()) throw new Error("Op dit apparaat kunnen we niet rekenen zonder internet.");
      return apiPost("/api/changes/preview", b);
    }
    const later = await laterInputs(y);
    const res = await previewChange(hh, b.change, yr.rules_input, later);
    if (res.stale) return new Promise(() => {}); // a newer preview is on its way
    if (!res.ok) throw new ApiError(422, { detail: res.refused || "Met deze gegevens kunnen we niets uitrekenen. Kijk je invoer na." });
    for (const [t, r] of Object.entries(res.result.toeslagen)) r.applied = applied.has(t);
    for (const c of res.result.carried_forward || []) {
      const l = later.find((x) => x.year === c.year);
      for (const [t, r] of Object.entries(c.toeslagen)) r.applied = Boolean(l && l.applied.has(t));
    }
    return res.result;
  };
  // Sent through the outbox like every change (offline it waits there), carrying its year.
  const send = async () => {
    const b = body();
    if (!b) return;
    const item = await enqueue({ path: "/api/changes", body: b, kind: "income", meta: { year: y },
      summary: `Inkomen voor ${y}: ${euro(b.change.income, { whole: true })}`, preview: out.textContent || null });
    await flush().catch(() => null);
    navigate("#/klaar/" + item.key);
  };
  let finalForm = null;
  if (yr.kind === "past") {
    const fin = textField({ label: `Inkomen op je aanslag over ${y}`, name: "final_income", inputmode: "decimal", prefix: "€", width: "money",
      description: "Staat op de aanslag inkomstenbelasting: het verzamelinkomen. Klopt het inkomen hierboven niet? Vul dan in wat op je aanslag staat." });
    const finOut = h("div", { "aria-live": "polite", dataset: { finalPreview: "" } });
    const finBody = () => {
      const inc = parseEuro(fin.input.value, { max: 10_000_000_000 });
      if (inc.error || inc.empty) { fin.setError(inc.error || "Vul het inkomen in."); return null; }
      fin.setError(null);
      return { year: y, final_income: inc.cents };
    };
    const finPreview = async () => {
      const b = finBody();
      if (!b) return;
      try {
        const st = await finalSettlement(b.final_income);
        if (!st) return; // a newer preview is on its way
        finOut.replaceChildren(heading(3, "Met dit inkomen"), settlementBlock({ ...st, can_do: [] }));
        finOut.dataset.source = st.source;
      } catch (e) { fin.setError(e.message); }
    };
    // on the phone, offline too; the server's without rules
    const finalSettlement = async (cents) => {
      let rules = true;
      try { await loadRules(); } catch { rules = false; }
      if (!rules) {
        if (isOffline()) throw new Error("Op dit apparaat kunnen we niet rekenen zonder internet.");
        return { ...(await apiPost("/api/years/final-income/preview", { year: y, final_income: cents })).years[0].settlement, source: "server" };
      }
      const finals = { ...(yr.rules_input.finals || {}), [me.id]: cents };
      const res = await previewChange(hh, null, { ...yr.rules_input, finals });
      if (res.stale) return null;
      if (!res.ok) throw new Error("Met dit inkomen kunnen we niets uitrekenen. Kijk je invoer na.");
      return { ...settlementOf(res.result, y, applied), source: "phone" };
    };
    finalForm = h("form", { class: "app-form", dataset: { finalForm: "" }, onsubmit: (ev) => { ev.preventDefault(); finPreview(); } },
      heading(2, `Je inkomen over ${y} verbeteren`), fin.el,
      h("div", { class: "app-actions" }, button("Bekijk wat het doet", { type: "submit", kind: "secondary" }), " ",
        button("Inkomen opslaan", { onclick: async () => {
          const b = finBody();
          if (!b) return;
          try {
            await apiPost("/api/years/final-income", b, { key: newKey() });
            navigate(`#/jaar/${y}?opgeslagen=1`, { replace: true });
          } catch (e) { fin.setError(e.message); }
        } })),
      finOut);
  }
  const finalKnown = yr.kind === "past" && yr.settlement && yr.settlement.final_income_known;
  add(view,
    para(link("#/overzicht", "← Overzicht")),
    heading(1, yr.title),
    yr.prompt ? para(h("span", { dataset: { yearPrompt: String(y) } }, yr.prompt)) : null,
    yr.kind === "past" && yr.settlement ? settlementBlock(yr.settlement) : yearList(yr),
    yr.kind === "next" ? para("Deze bedragen gaan in op 1 januari. Klopt je inkomen niet? Pas het hieronder aan.") : null,
    finalForm,
    finalKnown ? null : h("form", { class: "app-form", dataset: { yearIncome: String(y) }, onsubmit: (ev) => { ev.preventDefault(); doPreview(); } },
      heading(2, yr.kind === "past" ? `Iets veranderen in ${y}` : `Inkomen voor ${y} aanpassen`),
      income.el,
      h("div", { class: "app-actions" }, button("Bekijk wat het doet", { type: "submit", kind: "secondary" }), " ",
        button("Versturen", { onclick: send }))),
    out,
    yr.kind === "current" ? null : h("section", { "aria-labelledby": "year-kinds", dataset: { yearKinds: String(y) } },
      heading(2, yr.kind === "past" ? `Iets anders veranderen in ${y}` : `Iets anders doorgeven voor ${y}`, { id: "year-kinds" }),
      para(yr.kind === "past"
        ? `Vergeten iets door te geven over ${y}? Bijvoorbeeld een partner die bij je kwam wonen, of een andere huur. Dat kan nog tot de definitieve berekening er is.`
        : `Verandert er iets vanaf ${y}? Geef het hier door. Je ziet eerst wat het doet.`),
      h("ul", { class: "app-choices", role: "list" }, yearKinds(hh)
        .map(([slug, , title, text]) => h("li", null,
          h("a", { class: "app-choice-link", href: `#/jaar/${y}/wijzigen/${slug}`, dataset: { yearChange: slug } },
            h("span", { class: "app-choice-link__title" }, title), h("span", { class: "app-choice-link__text" }, text)))))),
  );
  return yr.title;
}
