// Form fields in NL Design System markup: a label, an optional description, an error message that
// is tied to the input with aria-describedby, and aria-invalid while it shows.

import { h, nextId } from "../dom.js";

export function textField({ label, name, value = "", description, type = "text", inputmode, autocomplete, prefix, suffix, required = true, width, ...rest }) {
  const id = nextId(name);
  const descId = description ? id + "-desc" : null;
  const errId = id + "-err";
  const input = h("input", {
    class: "utrecht-textbox utrecht-textbox--html-input" + (width ? ` app-textbox--${width}` : ""),
    id, name, type, value, inputmode, autocomplete: autocomplete || "off",
    "aria-describedby": [descId, errId].filter(Boolean).join(" "),
    required: required || undefined,
    ...rest,
  });
  const error = h("p", { class: "utrecht-form-field-error-message app-error", id: errId, hidden: true });
  const control = prefix || suffix
    ? h("div", { class: "app-affix" }, prefix ? h("span", { class: "app-affix__text", "aria-hidden": "true" }, prefix) : null, input,
      suffix ? h("span", { class: "app-affix__text", "aria-hidden": "true" }, suffix) : null)
    : input;
  const el = h("div", { class: "utrecht-form-field utrecht-form-field--text app-field" },
    h("div", { class: "utrecht-form-field__label" }, h("label", { class: "utrecht-form-label", for: id }, label)),
    description ? h("div", { class: "utrecht-form-field__description" }, h("p", { class: "utrecht-form-field-description", id: descId }, description)) : null,
    error,
    h("div", { class: "utrecht-form-field__input" }, control),
  );
  return { el, input, setError: (msg) => setError(el, input, error, msg) };
}

function setError(el, input, error, msg) {
  if (msg) {
    error.textContent = msg;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    el.classList.add("utrecht-form-field--invalid");
  } else {
    error.textContent = "";
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    el.classList.remove("utrecht-form-field--invalid");
  }
}

export function selectField({ label, name, options, value, description }) {
  const id = nextId(name);
  const descId = description ? id + "-desc" : null;
  const errId = id + "-err";
  const input = h("select", { class: "utrecht-select utrecht-select--html-select", id, name, "aria-describedby": [descId, errId].filter(Boolean).join(" ") },
    options.map(([v, text]) => h("option", { value: v, selected: v === value || undefined }, text)));
  const error = h("p", { class: "utrecht-form-field-error-message app-error", id: errId, hidden: true });
  const el = h("div", { class: "utrecht-form-field app-field" },
    h("div", { class: "utrecht-form-field__label" }, h("label", { class: "utrecht-form-label", for: id }, label)),
    description ? h("div", { class: "utrecht-form-field__description" }, h("p", { class: "utrecht-form-field-description", id: descId }, description)) : null,
    error,
    h("div", { class: "utrecht-form-field__input" }, input));
  return { el, input, setError: (msg) => setError(el, input, error, msg) };
}

export function radioGroup({ legend, name, options, value, description }) {
  const gid = nextId(name);
  const inputs = [];
  const errId = gid + "-err";
  const error = h("p", { class: "utrecht-form-field-error-message app-error", id: errId, hidden: true });
  const fs = h("fieldset", { class: "utrecht-form-fieldset__fieldset utrecht-form-fieldset__fieldset--html-fieldset app-fieldset", "aria-describedby": errId },
    h("legend", { class: "utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" }, legend),
    description ? h("p", { class: "utrecht-form-field-description" }, description) : null,
    error,
    options.map(([v, text]) => {
      const id = nextId(name);
      const input = h("input", { class: "utrecht-radio-button utrecht-radio-button--html-input", type: "radio", id, name: gid, value: v, checked: v === value || undefined });
      inputs.push(input);
      return h("div", { class: "utrecht-form-field utrecht-form-field--radio app-choice" },
        h("div", { class: "utrecht-form-field__input" }, input),
        h("div", { class: "utrecht-form-field__label" }, h("label", { class: "utrecht-form-label utrecht-form-label--radio", for: id }, text)));
    }));
  const el = h("div", { class: "utrecht-form-fieldset app-field" }, fs);
  return {
    el,
    inputs,
    get value() { const c = inputs.find((i) => i.checked); return c ? c.value : null; },
    setError: (msg) => { error.textContent = msg || ""; error.hidden = !msg; },
  };
}

export function checkbox({ label, name, checked = false }) {
  const id = nextId(name);
  const input = h("input", { class: "utrecht-checkbox utrecht-checkbox--html-input", type: "checkbox", id, name, checked: checked || undefined });
  const el = h("div", { class: "utrecht-form-field utrecht-form-field--checkbox app-field app-choice" },
    h("div", { class: "utrecht-form-field__input" }, input),
    h("div", { class: "utrecht-form-field__label" }, h("label", { class: "utrecht-form-label utrecht-form-label--checkbox", for: id }, label)));
  return { el, input };
}

export function button(text, { kind = "primary", type = "button", onclick, ...rest } = {}) {
  return h("button", { class: `utrecht-button utrecht-button--${kind}-action app-button`, type, onclick, ...rest }, text);
}

export function alert(kind, ...children) {
  return h("div", { class: `utrecht-alert utrecht-alert--${kind} app-alert` },
    h("div", { class: "utrecht-alert__content" }, h("div", { class: "utrecht-alert__message" }, ...children)));
}

export function dataList(rows) {
  return h("dl", { class: "utrecht-data-list utrecht-data-list--rows app-dl" },
    rows.filter(Boolean).map(([k, v]) => h("div", { class: "utrecht-data-list__item" },
      h("dt", { class: "utrecht-data-list__item-key" }, k),
      h("dd", { class: "utrecht-data-list__item-value utrecht-data-list__item-value--html-dd" }, v))));
}

export const heading = (level, text, props = {}) => h("h" + level, { class: `utrecht-heading-${level}`, ...props }, text);
export const para = (...children) => h("p", { class: "utrecht-paragraph" }, ...children);
export const link = (href, text, props = {}) => h("a", { class: "utrecht-link utrecht-link--html-a", href, ...props }, text);
