// "Zet op beginscherm": iOS Safari has no install prompt, so we explain the two taps. Other
// browsers get their own prompt (beforeinstallprompt) as a button.

import { h } from "../dom.js";
import { button, heading, para } from "./form.js";

let deferred = null;
window.addEventListener("beforeinstallprompt", (e) => {
  e.preventDefault();
  deferred = e;
});

export const standalone = () => window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
export const isIos = () => /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);

export function installHint({ force = false } = {}) {
  if (standalone()) return null;
  if (isIos()) {
    return h("section", { class: "app-card app-install", "aria-labelledby": "install-title", "data-install": "ios" },
      heading(2, "Zet op beginscherm", { id: "install-title" }),
      para("Zet de app op je beginscherm. Dan open je hem met één tik, ook zonder internet."),
      h("ol", { class: "utrecht-ordered-list" },
        h("li", { class: "utrecht-ordered-list__item" }, "Tik onderaan op de deelknop (vierkantje met pijl omhoog)."),
        h("li", { class: "utrecht-ordered-list__item" }, "Kies ‘Zet op beginscherm’."),
        h("li", { class: "utrecht-ordered-list__item" }, "Tik op ‘Voeg toe’.")));
  }
  if (!force && !deferred) return null;
  const b = deferred ? button("Zet op beginscherm", { kind: "secondary", onclick: async () => { deferred.prompt(); deferred = null; b.hidden = true; } }) : null;
  return h("section", { class: "app-card app-install", "aria-labelledby": "install-title", "data-install": "other" },
    heading(2, "Zet op beginscherm", { id: "install-title" }),
    para("Zet de app op je beginscherm. Dan open je hem met één tik, ook zonder internet."),
    b || para("Kies in het menu van je browser ‘App installeren’ of ‘Toevoegen aan startscherm’."));
}
