// Passkeys: the options from the API are JSON with base64url strings; the browser wants
// ArrayBuffers. The answer goes back as JSON with base64url strings (the W3C toJSON() shape).

import { apiPost } from "./api.js";

export function b64urlToBuf(s) {
  const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

export function bufToB64url(buf) {
  const bytes = new Uint8Array(buf);
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const passkeysSupported = () => typeof window.PublicKeyCredential === "function" && !!navigator.credentials;

const descriptors = (list) => (list || []).map((c) => ({ ...c, id: b64urlToBuf(c.id) }));

function creationOptions(o) {
  return {
    ...o,
    challenge: b64urlToBuf(o.challenge),
    user: { ...o.user, id: b64urlToBuf(o.user.id) },
    excludeCredentials: descriptors(o.excludeCredentials),
  };
}

function requestOptions(o) {
  return { ...o, challenge: b64urlToBuf(o.challenge), allowCredentials: descriptors(o.allowCredentials) };
}

/** Dutch words for what went wrong in the browser's part of a ceremony. */
export function passkeyErrorText(e) {
  const name = e && e.name;
  if (name === "NotAllowedError") return "Het maken of gebruiken van de sleutel is gestopt of duurde te lang. Probeer het opnieuw.";
  if (name === "InvalidStateError") return "Op dit apparaat staat al een sleutel voor deze app.";
  if (name === "SecurityError") return "Sleutels werken alleen op een veilige verbinding (https).";
  if (name === "NotSupportedError") return "Dit apparaat kan geen sleutel (passkey) maken.";
  return (e && e.message) || "Het lukte niet met de sleutel. Probeer het opnieuw.";
}

/** A PublicKeyCredential as JSON for the API: the fields both ceremonies share, plus `response`
 *  (what differs: attestation when registering, assertion when logging in). */
function credentialJSON(cred, response) {
  return {
    id: cred.id,
    rawId: bufToB64url(cred.rawId),
    type: cred.type,
    response: { clientDataJSON: bufToB64url(cred.response.clientDataJSON), ...response },
    authenticatorAttachment: cred.authenticatorAttachment || null,
    clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
  };
}

/** Registers a new passkey for the session (enrolment or logged in). */
export async function registerPasskey(label) {
  const { publicKey } = await apiPost("/api/passkeys/register/options", {});
  const cred = await navigator.credentials.create({ publicKey: creationOptions(publicKey) });
  const r = cred.response;
  const credential = credentialJSON(cred, {
    attestationObject: bufToB64url(r.attestationObject),
    transports: typeof r.getTransports === "function" ? r.getTransports() : [],
  });
  const body = { credential };
  if (label) body.label = label;
  return apiPost("/api/passkeys/register/verify", body);
}

/** Logs in with a passkey (discoverable: the browser offers the household's passkeys). */
export async function loginWithPasskey() {
  const { publicKey } = await apiPost("/api/login/options", {});
  const cred = await navigator.credentials.get({ publicKey: requestOptions(publicKey) });
  const r = cred.response;
  const credential = credentialJSON(cred, {
    authenticatorData: bufToB64url(r.authenticatorData),
    signature: bufToB64url(r.signature),
    userHandle: r.userHandle ? bufToB64url(r.userHandle) : null,
  });
  return apiPost("/api/login/verify", { credential });
}

/** A label for a new passkey, from the device: "iPhone", "Android-telefoon", ... */
export function deviceLabel() {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return "iPhone";
  if (/iPad/.test(ua)) return "iPad";
  if (/Android/.test(ua)) return "Android-telefoon";
  if (/Macintosh/.test(ua)) return "Mac";
  if (/Windows/.test(ua)) return "Windows-computer";
  if (/Linux/.test(ua)) return "Linux-computer";
  return "Dit apparaat";
}
