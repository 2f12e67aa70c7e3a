// What a parent typed in a form survives leaving it: back from the form (or on to another screen
// and back) shows the same values, until the change is sent or cancelled. Kept in sessionStorage
// (this tab only, gone when it closes), by field position: radio group names are made per render.

const KEY = (name) => "draft:" + name;

const fieldsOf = (form) => [...form.querySelectorAll("input, select, textarea")];

export function saveDraft(name, form) {
  const values = fieldsOf(form).map((f) => [f.type, f.type === "radio" || f.type === "checkbox" ? f.checked : f.value]);
  try { sessionStorage.setItem(KEY(name), JSON.stringify(values)); } catch { /* storage full or off: no draft */ }
}

/** Puts a saved draft back; true when it did (the caller then updates the preview). */
export function restoreDraft(name, form) {
  let values = null;
  try { values = JSON.parse(sessionStorage.getItem(KEY(name)) || "null"); } catch { values = null; }
  const fields = fieldsOf(form);
  if (!Array.isArray(values) || values.length !== fields.length || values.some(([t], i) => t !== fields[i].type)) return false;
  fields.forEach((f, i) => {
    const v = values[i][1];
    if (f.type === "radio" || f.type === "checkbox") f.checked = Boolean(v);
    else f.value = v;
  });
  for (const f of fields) if (f.type === "radio" && f.checked) f.dispatchEvent(new Event("change", { bubbles: false }));
  return true;
}

export function clearDraft(name) {
  try { sessionStorage.removeItem(KEY(name)); } catch { /* nothing kept */ }
}
