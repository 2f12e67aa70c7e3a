// The prompts of GET /api/prompts as cards on the Overzicht: what we see, what is at stake in euros,
// one tap to the screen that fixes it (prefilled where the prompt knows the figures), and a way to
// close the card with a reason ("Klopt, mijn inkomen blijft zo"). Closing goes through the outbox
// (POST /api/prompts/{id}/dismiss with an Idempotency-Key), so it works offline too; a card whose
// dismissal still waits in the outbox is not shown again.

import { h, nextId } from "../dom.js";
import { euro, toeslagName } from "../format.js";
import { button } from "./form.js";
import { enqueue, flush, pendingItems } from "../outbox.js";
import { isKnownRoute } from "../router.js";
import { state } from "../state.js";

const REASONS = {
  income_drift: ["Klopt, mijn inkomen blijft zo", "Mijn inkomen was maar even anders", "Ik geef het later door"],
  assets_near_limit: ["Klopt, mijn vermogen blijft onder de grens", "Ik kijk het later na"],
  january_check: ["Klopt, mijn inkomen is goed", "Ik kijk het later na"],
  possible_non_use: ["Ik wil dit niet aanvragen", "Ik heb het al aangevraagd"],
  childcare_hours: ["Klopt, mijn uren blijven zo", "Ik kijk het later na"],
  life_event: ["Gezien, het klopt", "Dit klopt niet"],
};
const DEFAULT_REASONS = ["Gezien, het klopt", "Dit klopt niet"];

const KICKER = {
  income_drift: "Check. Pas aan. En door.",
  assets_near_limit: "Let op je vermogen",
  january_check: "Nieuw jaar",
  possible_non_use: "Misschien recht op meer",
  childcare_hours: "Kinderopvang",
  life_event: "Binnenkort",
};

/** A hash route from the server, only when it opens a screen of this app. */
export function promptHref(action) {
  if (typeof action !== "string") return null;
  const hash = action.startsWith("/#/") ? action.slice(1) : action;
  return isKnownRoute(hash) ? hash : null;
}

function withQuery(href, key, value) {
  return href + (href.includes("?") ? "&" : "?") + key + "=" + encodeURIComponent(value);
}

/** The euro line of a card: what is at stake. null when the prompt has no amount. */
function stake(p) {
  const a = p.amount;
  const d = p.data || {};
  const amt = (cents, field = "amount") => h("strong", { dataset: { field } }, euro(Math.abs(cents)));
  switch (p.kind) {
    case "childcare_hours":
      return null; // the server's text already says what the hours do at the end of the year
    case "income_drift":
      if (!a) return null;
      return a < 0
        ? ["Doe je niets, dan betaal je waarschijnlijk ", amt(a), " terug."]
        : ["Doe je niets, dan krijg je waarschijnlijk ", amt(a), " te weinig. Dat krijg je pas na afloop van het jaar."];
    case "assets_near_limit":
      return a ? ["Op het spel: ", amt(a), ` (je hele ${toeslagName(p.toeslag || d.toeslag).toLowerCase()} van ${d.year || "dit jaar"}).`] : null;
    case "possible_non_use":
      return d.per_month ? ["Ongeveer ", amt(d.per_month, "per_month"), " per maand."] : null;
    case "life_event":
      return a ? ["Ongeveer ", amt(a), a > 0 ? " per maand meer." : " per maand minder."] : null;
    case "settlement_risk":
      return a ? ["Verwacht terug te betalen: ", amt(a), "."] : null;
    default:
      return null;
  }
}

/** [primary [href, text], secondary [href, text] | null] for a prompt. */
function actions(p) {
  const href = promptHref(p.action);
  switch (p.kind) {
    case "income_drift":
      return [[withQuery("#/wijzigen/inkomen", "melding", p.id), "Inkomen aanpassen"], ["#/voorzichtig", "Liever een voorzichtig voorschot"]];
    case "assets_near_limit":
      return [[withQuery("#/wijzigen/inkomen", "melding", p.id), "Vermogen nakijken"], null];
    case "january_check": // opens that year's estimate (the year screen, with that year's rules)
      return [[p.data && p.data.year ? "#/jaar/" + p.data.year : "#/wijzigen/inkomen", "Inkomen nakijken"], null];
    case "settlement_risk":
      return [[href || "#/overzicht", `Bekijk ${(p.data && p.data.year) || "het jaar"}`], null];
    case "possible_non_use": {
      const t = p.toeslag || (p.data && p.data.toeslag);
      const apply = t && isKnownRoute("#/aanvragen/" + t) ? "#/aanvragen/" + t : href || "#/aanvragen";
      return [[apply, "Bekijk wat je krijgt"], null];
    }
    case "childcare_hours":
      return [[href || "#/kinderopvang", "Bekijk de uren"], null];
    default:
      return [href ? [href, "Bekijken"] : null, null];
  }
}

/** The open prompts to show: without the ones whose dismissal waits in the outbox. */
export async function visiblePrompts() {
  const list = state.prompts || [];
  const items = await pendingItems();
  const closing = new Set(items.filter((i) => i.kind === "dismiss" && i.meta).map((i) => i.meta.prompt_id));
  return list.filter((p) => !closing.has(p.id));
}

/**
 * The cards. `say(text)` announces in the screen's live region; `onEmpty()` runs when the last card
 * was closed.
 */
export function promptList(prompts, { say, onEmpty }) {
  const list = h("ul", { class: "app-prompts", role: "list" });
  for (const p of prompts) list.append(card(p, { list, say, onEmpty }));
  return list;
}

function card(p, { list, say, onEmpty }) {
  const titleId = nextId("prompt");
  const [primary, secondary] = actions(p);
  const reasons = REASONS[p.kind] || DEFAULT_REASONS;
  const name = nextId("reason");
  const panelId = nextId("close");
  const radios = reasons.map((r, i) => {
    const id = `${name}-${i}`;
    return h("div", { class: "utrecht-form-field utrecht-form-field--radio app-choice" },
      h("div", { class: "utrecht-form-field__input" },
        h("input", { class: "utrecht-radio-button utrecht-radio-button--html-input", type: "radio", id, name, value: r, checked: i === 0 || undefined })),
      h("div", { class: "utrecht-form-field__label" }, h("label", { class: "utrecht-form-label utrecht-form-label--radio", for: id }, r)));
  });
  const confirm = button("Melding sluiten", { kind: "primary", onclick: () => close() });
  const panel = h("div", { class: "app-prompt__close", id: panelId, hidden: true },
    h("fieldset", { class: "utrecht-form-fieldset__fieldset utrecht-form-fieldset__fieldset--html-fieldset app-fieldset" },
      h("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, "Waarom sluit je deze melding?"),
      radios),
    h("div", { class: "app-actions" }, confirm));
  const toggle = button("Sluiten", {
    kind: "secondary", "aria-expanded": "false", "aria-controls": panelId, "aria-label": `Sluiten: ${p.title}`,
    onclick: () => {
      const open = panel.hidden;
      panel.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) panel.querySelector("input:checked").focus();
    },
  });
  const s = stake(p);
  const li = h("li", { class: "app-prompt", dataset: { prompt: String(p.id), kind: p.kind } },
    h("article", { "aria-labelledby": titleId },
      KICKER[p.kind] ? h("p", { class: "app-prompt__kicker" }, KICKER[p.kind]) : null,
      h("h3", { class: "utrecht-heading-3", id: titleId, tabindex: "-1" }, p.title),
      h("p", { class: "utrecht-paragraph" }, p.body),
      s ? h("p", { class: "utrecht-paragraph app-prompt__stake" }, s) : null,
      h("div", { class: "app-actions" },
        primary ? h("a", { class: "utrecht-button-link utrecht-button-link--primary-action app-button-link", href: primary[0], dataset: { action: "primary" } }, primary[1]) : null,
        secondary ? h("a", { class: "utrecht-link utrecht-link--html-a app-link-button", href: secondary[0], dataset: { action: "secondary" } }, secondary[1]) : null,
        toggle),
      panel));

  async function close() {
    const reason = (panel.querySelector("input:checked") || {}).value || reasons[0];
    confirm.disabled = true;
    await enqueue({ path: `/api/prompts/${p.id}/dismiss`, body: { reason }, summary: `Melding sluiten: ${p.title}`,
      kind: "dismiss", meta: { prompt_id: p.id }, done: [404, 409] });
    const r = await flush().catch(() => null);
    const sent = r && r.sent.find((x) => x.item.meta && x.item.meta.prompt_id === p.id);
    if (sent && sent.result && Array.isArray(sent.result.prompts)) state.prompts = sent.result.prompts;
    else if (state.prompts) state.prompts = state.prompts.filter((x) => x.id !== p.id);
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    say(sent ? "De melding is gesloten." : "De melding is gesloten. We geven het door zodra je weer online bent.");
    if (!list.children.length) { if (onEmpty) onEmpty(); } else if (next) next.querySelector("h3").focus();
  }
  return li;
}
