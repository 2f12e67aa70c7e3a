// Log in with a passkey; enrol with the activation code from the letter and make a passkey.

import { h, add } from "../dom.js";
import { apiPost, ApiError, OfflineError } from "../api.js";
import { alert, button, heading, link, para, textField } from "../components/form.js";
import { deviceLabel, loginWithPasskey, passkeyErrorText, passkeysSupported, registerPasskey } from "../webauthn.js";
import { navigate } from "../router.js";
import { loadCore, invalidate, state } from "../state.js";

function errorBox() {
  const box = h("div", { class: "app-msg", role: "alert" });
  return {
    el: box,
    show(msg) { box.replaceChildren(msg ? alert("error", para(msg)) : ""); },
  };
}

function messageOf(e) {
  if (e instanceof OfflineError || e instanceof ApiError) return e.message;
  return passkeyErrorText(e);
}

export async function renderStart(view) {
  const err = errorBox();
  const loginButton = button("Inloggen met je sleutel", {
    onclick: async () => {
      err.show("");
      loginButton.disabled = true;
      try {
        await loginWithPasskey();
        invalidate();
        await loadCore({ force: true });
        navigate("#/overzicht");
      } catch (e) {
        err.show(messageOf(e));
      } finally {
        loginButton.disabled = false;
      }
    },
  });
  add(view, 
    heading(1, "Je toeslagen"),
    para("Zie in één keer wat je krijgt. En zie meteen wat een wijziging doet, voordat je die doorgeeft."),
    state.loggedIn === false && state.snapshotAt ? alert("info", para("Je bent uitgelogd. Log opnieuw in om verder te gaan.")) : null,
    passkeysSupported() ? null : alert("warning", para("Dit apparaat of deze browser kan geen sleutel (passkey) gebruiken. Gebruik een nieuwere browser.")),
    err.el,
    h("div", { class: "app-actions" }, loginButton),
    heading(2, "Voor het eerst?"),
    para("Heb je een brief met een activatiecode? Dan maak je eerst een sleutel op dit apparaat."),
    h("p", { class: "utrecht-paragraph" }, link("#/activeren", "Activeer de app met je code", { class: "utrecht-link app-link-button" })),
  );
  return "Inloggen";
}

export async function renderActivate(view) {
  const err = errorBox();
  const code = textField({
    label: "Activatiecode", name: "code", autocomplete: "one-time-code", width: "code",
    description: "Deze code staat in de brief. Bijvoorbeeld: ABCD-EFGH-JKMN-PQRS.",
    autocapitalize: "characters", spellcheck: "false",
  });
  const step2 = h("div", { hidden: true });
  const form = h("form", { class: "app-form", novalidate: true }, code.el, err.el,
    h("div", { class: "app-actions" }, button("Code controleren", { type: "submit" })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.show("");
    const value = code.input.value.trim();
    if (value.replace(/[\s-]/g, "").length < 4) { code.setError("Vul de activatiecode uit je brief in."); code.input.focus(); return; }
    code.setError("");
    try {
      const r = await apiPost("/api/activation", { code: value });
      form.hidden = true;
      step2.hidden = false;
      step2.querySelector("[data-household]").textContent = r.household_label;
      step2.querySelector("h2").focus();
    } catch (e) {
      if (e instanceof ApiError && e.field === "code") { code.setError(e.message); code.input.focus(); } else err.show(messageOf(e));
    }
  });
  const err2 = errorBox();
  const makeKey = button("Sleutel maken", {
    onclick: async () => {
      err2.show("");
      makeKey.disabled = true;
      try {
        await registerPasskey(deviceLabel());
        invalidate();
        await loadCore({ force: true });
        navigate("#/overzicht");
      } catch (e) {
        err2.show(messageOf(e));
      } finally {
        makeKey.disabled = false;
      }
    },
  });
  add(step2, 
    heading(2, "Code klopt. Maak nu je sleutel", { tabindex: "-1" }),
    // The label names the household itself ("Huishouden De Vries"): no "Huishouden: " before it.
    para(h("strong", { dataset: { household: "" } })),
    para("Met een sleutel (passkey) log je voortaan in met je vingerafdruk, gezicht of pincode van dit apparaat. Je hebt geen wachtwoord nodig."),
    err2.el,
    h("div", { class: "app-actions" }, makeKey),
  );
  add(view, heading(1, "App activeren"), para("Stap 1: vul de code uit je brief in. Stap 2: maak een sleutel op dit apparaat."), form, step2,
    para(link("#/start", "Terug naar inloggen")));
  return "App activeren";
}
