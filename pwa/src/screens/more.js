// Meer: your passkeys (add, remove), install hint, app and rules version, log out.

import { h, add } from "../dom.js";
import { longDate } from "../format.js";
import { apiDelete, apiGet, apiPost, ApiError } from "../api.js";
import { alert, button, heading, para } from "../components/form.js";
import { deviceLabel, passkeyErrorText, registerPasskey } from "../webauthn.js";
import { installHint } from "../components/install.js";
import { pendingItems } from "../outbox.js";
import { rulesState } from "../rules.js";
import { navigate, render } from "../router.js";
import { forget, state } from "../state.js";

export async function renderMore(view) {
  const msg = h("div", { class: "app-msg", role: "status" });
  const show = (kind, text) => msg.replaceChildren(alert(kind, para(text)));
  let passkeys = [];
  let offline = false;
  try {
    passkeys = (await apiGet("/api/passkeys", { snapshot: false })).data.passkeys;
  } catch {
    offline = true;
  }
  const addBtn = button("Nieuwe sleutel maken", {
    kind: "secondary",
    onclick: async () => {
      addBtn.disabled = true;
      try {
        await registerPasskey(deviceLabel());
        await render();
      } catch (e) {
        show("error", e instanceof ApiError ? e.message : passkeyErrorText(e));
        addBtn.disabled = false;
      }
    },
  });
  const rows = passkeys.map((p) => {
    const confirm = h("div", { class: "app-confirm", hidden: true },
      para(`Weet je zeker dat je “${p.label}” wilt verwijderen? Met deze sleutel kun je daarna niet meer inloggen.`),
      h("div", { class: "app-actions app-actions--row" },
        button("Ja, verwijderen", { kind: "primary", class: "utrecht-button utrecht-button--primary-action utrecht-button--danger app-button", onclick: async () => {
          try {
            await apiDelete("/api/passkeys/" + encodeURIComponent(p.id));
            if (p.current) { await forget(); navigate("#/start"); return; }
            await render();
          } catch (e) {
            show("error", e.message);
          }
        } }),
        button("Nee, bewaren", { kind: "secondary", onclick: () => { confirm.hidden = true; removeBtn.hidden = false; removeBtn.focus(); } })));
    const removeBtn = button("Verwijderen", { kind: "secondary", "aria-label": `Sleutel ${p.label} van ${longDate(p.created_at.slice(0, 10))}${p.current ? " (deze sleutel)" : ""} verwijderen`, onclick: () => {
      removeBtn.hidden = true; confirm.hidden = false; confirm.querySelector("button").focus();
    } });
    return h("li", { class: "app-card", dataset: { passkey: p.id, current: p.current ? "1" : "0" } },
      h("h3", { class: "utrecht-heading-3" }, p.label, p.current ? h("span", { class: "utrecht-status-badge utrecht-status-badge--neutral app-badge" }, "Deze sleutel") : null),
      para(h("span", { class: "app-muted" }, `Gemaakt op ${longDate(p.created_at.slice(0, 10))}` + (p.last_used_at ? `, laatst gebruikt op ${longDate(p.last_used_at.slice(0, 10))}` : "") + ".")),
      removeBtn, confirm);
  });
  const logout = button("Uitloggen", {
    kind: "secondary",
    onclick: async () => {
      const open = (await pendingItems()).length;
      if (open && !logout.dataset.sure) {
        logout.dataset.sure = "1";
        show("warning", `Er ${open === 1 ? "is 1 wijziging" : `zijn ${open} wijzigingen`} nog niet verstuurd. Log je uit, dan blijft die op dit apparaat tot je weer inlogt. Druk nog een keer op Uitloggen om door te gaan.`);
        return;
      }
      try { await apiPost("/api/logout", {}); } catch { /* offline: the cookie expires by itself */ }
      await forget();
      navigate("#/start");
    },
  });
  add(view, 
    heading(1, "Meer"),
    msg,
    heading(2, "Je sleutels"),
    para("Met een sleutel (passkey) log je in. Heb je een nieuwe telefoon? Maak daar een sleutel en verwijder de oude."),
    offline ? alert("info", para("Je bent offline. Je sleutels zie je weer als je verbinding hebt.")) : h("ul", { class: "app-cards", role: "list" }, rows),
    offline ? null : h("div", { class: "app-actions" }, addBtn),
    heading(2, "Herinneringen"),
    para("Krijg een bericht als er iets verandert dat je toeslag raakt, zoals een verjaardag of het einde van je opvangcontract."),
    h("ul", { class: "app-choices", role: "list" }, h("li", null,
      h("a", { class: "app-choice-link", href: "#/meer/herinneringen" },
        h("span", { class: "app-choice-link__title" }, "Herinneringen"),
        h("span", { class: "app-choice-link__text" }, "Aanzetten, uitzetten en kiezen waarover.")))),
    installHint({ force: true }),
    heading(2, "Over deze app"),
    para(h("span", { class: "app-muted" }, `Rekenregels op je telefoon: ${short(rulesState.version)}. Op de server: ${short(state.overview && state.overview.rules_version)}.`)),
    h("div", { class: "app-actions" }, logout),
  );
  return "Meer";
}

const short = (v) => (v ? String(v).replace("sha256:", "").slice(0, 12) : "nog niet geladen");
