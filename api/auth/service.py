"""Activation codes and passkey ceremonies (py_webauthn)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets

import msgspec
from sqlite_utils import Database
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..settings import Settings
from ..store import Store
from ..store import auth as auth_store
from ..store import events as events_store
from ..store import households as households_store
from ..store.found import present
from ..util import iso, new_id, sha256_hex
from ..web.problems import Problem, conflict, invalid, not_found
from ..web.security_log import event
from . import schemas as s
from .sessions import SessionInfo, Sessions

log = logging.getLogger("api.auth")

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
CODE_LENGTH = 16  # 80 bits
ALGS = [COSEAlgorithmIdentifier.ECDSA_SHA_256, COSEAlgorithmIdentifier.EDDSA,
        COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256]


def normalise_code(code: str) -> str:
    c = code.upper().replace("-", "").replace(" ", "")
    return c.replace("O", "0").replace("I", "1").replace("L", "1")


def new_activation_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def _passkey_failed(reason: str, ceremony: str = "registration", household: str | None = None) -> Problem:
    event("login.failure" if ceremony == "authentication" else "passkey.refused", reason=reason.split(":")[0],
          household=household)
    log.info("passkey ceremony refused: %s", reason)
    return Problem(400, "passkey-failed", "Sleutel niet geaccepteerd",
                   "Het is niet gelukt met deze sleutel (passkey). Probeer het opnieuw.")


class AuthService:
    def __init__(self, store: Store, settings: Settings, sessions: Sessions):
        self.store = store
        self.settings = settings
        self.sessions = sessions

    # -- activation codes ---------------------------------------------------------------------
    def issue_code(self, db: Database, household_id: str) -> str:
        """A new code for the household's letter; the codes it had before (unused) end now, so only the
        newest letter works."""
        code = new_activation_code()
        now = self.settings.now()
        ended = auth_store.end_activation_codes(db, household_id, iso(now))
        auth_store.add_activation_code(db, household_id, sha256_hex(normalise_code(code)), iso(now),
                                       iso(now + self.settings.activation_ttl))
        event("activation_code.issued", household=household_id, count=ended)
        return code

    def activate(self, code: str, client: str | None = None) -> tuple[str, s.ActivationResponse]:
        """Uses the code once and opens an enrolment session. The same answer for an unknown, used or
        expired code, so the answer tells an attacker nothing."""
        normalised = normalise_code(code)
        refused = invalid("code", "Deze activatiecode klopt niet of is niet meer geldig. Kijk de code in "
                                  "je brief goed na, of vraag een nieuwe brief aan.")
        if len(normalised) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in normalised):
            event("activation.failure", reason="malformed", client=client)
            raise refused
        now = iso(self.settings.now())
        with self.store.write() as db:
            rec = auth_store.activation_code(db, sha256_hex(normalised))
            if rec is None or rec["used_at"] is not None or rec["expires_at"] <= now:
                reason = "unknown" if rec is None else "used" if rec["used_at"] is not None else "expired"
                event("activation.failure", reason=reason, client=client,
                      household=rec["household_id"] if rec is not None else None)
                raise refused
            if not auth_store.use_activation_code(db, rec["id"], now):
                event("activation.failure", reason="used", client=client, household=rec["household_id"])
                raise refused
            token = self.sessions.create(db, rec["household_id"], "enrolment", None)
            hh = present(households_store.get(db, rec["household_id"]), "household")
        event("activation.success", household=rec["household_id"], client=client)
        return token, s.ActivationResponse(household_label=hh["label"], next="register_passkey")

    def require_recent_login(self, session: SessionInfo) -> None:
        """Adding or removing a passkey changes who can get in: a full session must have come from a
        passkey login (or the enrolment) a short while ago, else the parent logs in again first."""
        if session.kind != "full":
            return
        try:
            since = dt.datetime.fromisoformat(session.created_at)
        except ValueError:  # no login time known: not recent (fail closed)
            since = None
        if since is None or since + self.settings.reauth_window <= self.settings.now():
            event("reauth.required", household=session.household_id, passkey=session.passkey_id)
            raise Problem(403, "reauth-required", "Log opnieuw in",
                          "Log voor de zekerheid eerst opnieuw in met je sleutel (passkey). Probeer het daarna "
                          "nog een keer.")

    # -- registration -------------------------------------------------------------------------
    def registration_options(self, session: SessionInfo) -> s.RegistrationOptionsResponse:
        self.require_recent_login(session)
        now = self.settings.now()
        with self.store.write() as db:
            hh = present(households_store.get(db, session.household_id), "household")
            existing = auth_store.passkeys(db, session.household_id)
            opts = generate_registration_options(
                rp_id=self.settings.rp_id,
                rp_name=self.settings.rp_name,
                user_id=session.household_id.encode(),
                user_name=hh["label"],
                user_display_name=hh["label"],
                timeout=300_000,
                authenticator_selection=AuthenticatorSelectionCriteria(
                    resident_key=ResidentKeyRequirement.REQUIRED,
                    user_verification=UserVerificationRequirement.REQUIRED,
                ),
                exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p["credential_id"]))
                                     for p in existing],
                supported_pub_key_algs=ALGS,
            )
            challenge = bytes_to_base64url(opts.challenge)
            auth_store.purge_challenges(db, iso(now))
            auth_store.add_challenge(db, challenge, "registration", session.household_id, session.token_hash,
                                     iso(now), iso(now + self.settings.challenge_ttl))
        return s.RegistrationOptionsResponse(public_key=msgspec.json.decode(options_to_json(opts),
                                                                            type=s.CreationOptions))

    def _client_challenge(self, client_data_b64: str, ceremony: str) -> str:
        try:
            data = json.loads(base64url_to_bytes(client_data_b64))
            challenge = data["challenge"]
            if not isinstance(challenge, str) or len(challenge) > 200:
                raise ValueError
            return challenge
        except Exception:
            raise _passkey_failed("clientDataJSON unreadable", ceremony) from None

    def register(self, session: SessionInfo, req: s.RegisterVerifyRequest) -> tuple[str | None, s.PasskeyOut]:
        self.require_recent_login(session)
        credential = msgspec.to_builtins(req.credential)
        challenge = self._client_challenge(req.credential.response.client_data_json, "registration")
        now = self.settings.now()
        new_token = None
        with self.store.write() as db:  # used up in its own transaction: a failed attempt burns it too
            ch = auth_store.take_challenge(db, challenge, "registration", iso(now))
        if ch is None or ch["household_id"] != session.household_id or ch["session_hash"] != session.token_hash:
            raise _passkey_failed("challenge: unknown, used or foreign", "registration", session.household_id)
        with self.store.write() as db:
            try:
                v = verify_registration_response(
                    credential=credential,
                    expected_challenge=base64url_to_bytes(challenge),
                    expected_rp_id=self.settings.rp_id,
                    expected_origin=list(self.settings.origins),
                    require_user_verification=True,
                    supported_pub_key_algs=ALGS,
                )
            except WebAuthnException as e:
                raise _passkey_failed(f"{type(e).__name__}: {e}", "registration", session.household_id) from None
            cred_id = bytes_to_base64url(v.credential_id)
            if auth_store.passkey_by_credential(db, cred_id) is not None:
                raise conflict("passkey-exists", "Deze sleutel is al aangemeld.")
            count = len(auth_store.passkeys(db, session.household_id))
            pk_id = new_id("pk")
            label = req.label or ("Sleutel" if count == 0 else f"Sleutel {count + 1}")
            auth_store.add_passkey(db, {
                "id": pk_id, "household_id": session.household_id, "credential_id": cred_id,
                "public_key": v.credential_public_key, "sign_count": v.sign_count,
                "transports": json.dumps(req.credential.response.transports or []), "aaguid": v.aaguid,
                "device_type": str(v.credential_device_type.value), "backed_up": int(v.credential_backed_up),
                "label": label, "created_at": iso(now), "last_used_at": iso(now),
            })
            events_store.append(db, household_id=session.household_id, occurred_at=iso(now), actor="parent",
                                source="parent", kind="passkey.added", effective_date=None,
                                what={"passkey_id": pk_id, "label": label}, amounts={},
                                summary=f"Sleutel '{label}' toegevoegd.")
            if session.kind == "enrolment":
                # enrolment done: rotate to a full session bound to this passkey; the household's spare
                # codes (an older letter) and other enrolment sessions end, so they cannot enrol again
                auth_store.delete_session(db, session.token_hash)
                ended = auth_store.end_activation_codes(db, session.household_id, iso(now))
                auth_store.delete_enrolment_sessions(db, session.household_id)
                new_token = self.sessions.create(db, session.household_id, "full", pk_id)
                event("enrolment.done", household=session.household_id, passkey=pk_id, count=ended)
            else:
                event("passkey.added", household=session.household_id, passkey=pk_id)
            pk = present(auth_store.passkey(db, session.household_id, pk_id), "passkey")
        return new_token, _passkey_out(pk, pk_id if new_token else session.passkey_id)

    # -- login --------------------------------------------------------------------------------
    def login_options(self) -> s.LoginOptionsResponse:
        now = self.settings.now()
        opts = generate_authentication_options(
            rp_id=self.settings.rp_id, timeout=300_000, allow_credentials=[],
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        challenge = bytes_to_base64url(opts.challenge)
        with self.store.write() as db:
            auth_store.add_challenge(db, challenge, "authentication", None, None, iso(now),
                                     iso(now + self.settings.challenge_ttl))
        return s.LoginOptionsResponse(public_key=msgspec.json.decode(options_to_json(opts), type=s.RequestOptions))

    def login(self, req: s.LoginVerifyRequest, old_session: SessionInfo | None) -> tuple[str, s.LoginResponse]:
        credential = msgspec.to_builtins(req.credential)
        challenge = self._client_challenge(req.credential.response.client_data_json, "authentication")
        now = self.settings.now()
        with self.store.write() as db:  # used up in its own transaction: a failed attempt burns it too
            ch = auth_store.take_challenge(db, challenge, "authentication", iso(now))
        if ch is None:
            raise _passkey_failed("challenge: unknown, used or expired", "authentication")
        with self.store.write() as db:
            pk = auth_store.passkey_by_credential(db, req.credential.raw_id.rstrip("="))
            if pk is None:
                raise _passkey_failed("unknown credential", "authentication")
            if req.credential.response.user_handle is not None:
                try:
                    handle = base64url_to_bytes(req.credential.response.user_handle).decode()
                except Exception:
                    handle = None
                if handle != pk["household_id"]:
                    raise _passkey_failed("user handle does not match", "authentication", pk["household_id"])
            try:
                v = verify_authentication_response(
                    credential=credential,
                    expected_challenge=base64url_to_bytes(challenge),
                    expected_rp_id=self.settings.rp_id,
                    expected_origin=list(self.settings.origins),
                    credential_public_key=pk["public_key"],
                    credential_current_sign_count=pk["sign_count"],
                    require_user_verification=True,
                )
            except WebAuthnException as e:
                raise _passkey_failed(f"{type(e).__name__}: {e}", "authentication", pk["household_id"]) from None
            auth_store.update_sign_count(db, pk["id"], v.new_sign_count, iso(now))
            if old_session is not None:
                auth_store.delete_session(db, old_session.token_hash)
            token = self.sessions.create(db, pk["household_id"], "full", pk["id"])
            hh = present(households_store.get(db, pk["household_id"]), "household")
            pk = present(auth_store.passkey(db, pk["household_id"], pk["id"]), "passkey")
        event("login.success", household=pk["household_id"], passkey=pk["id"])
        return token, s.LoginResponse(household_label=hh["label"], passkey=_passkey_out(pk, pk["id"]))

    def logout(self, session: SessionInfo) -> None:
        with self.store.write() as db:
            auth_store.delete_session(db, session.token_hash)
        event("logout", household=session.household_id, passkey=session.passkey_id)

    # -- managing passkeys --------------------------------------------------------------------
    def list_passkeys(self, session: SessionInfo) -> s.PasskeyList:
        db = self.store.db()
        return s.PasskeyList(passkeys=[_passkey_out(p, session.passkey_id)
                                       for p in auth_store.passkeys(db, session.household_id)])

    def delete_passkey(self, session: SessionInfo, passkey_id: str) -> None:
        """Removes a passkey and ends the sessions opened with it. The last passkey of a household
        cannot be removed (the household would need a new activation letter)."""
        self.require_recent_login(session)
        now = iso(self.settings.now())
        with self.store.write() as db:
            pk = auth_store.passkey(db, session.household_id, passkey_id)
            if pk is None:
                raise not_found("Deze sleutel hebben we niet gevonden.")
            if len(auth_store.passkeys(db, session.household_id)) <= 1:
                raise conflict("last-passkey", "Dit is je laatste sleutel. Maak eerst een nieuwe sleutel aan "
                                               "voordat je deze verwijdert.")
            auth_store.delete_sessions_of_passkey(db, passkey_id)
            auth_store.delete_passkey(db, session.household_id, passkey_id)
            events_store.append(db, household_id=session.household_id, occurred_at=now, actor="parent",
                                source="parent", kind="passkey.removed", effective_date=None,
                                what={"passkey_id": passkey_id, "label": pk["label"]}, amounts={},
                                summary=f"Sleutel '{pk['label']}' verwijderd.")
        event("passkey.removed", household=session.household_id, passkey=passkey_id)


def _passkey_out(p: dict, current_id: str | None) -> s.PasskeyOut:
    return s.PasskeyOut(id=p["id"], label=p["label"], created_at=p["created_at"], last_used_at=p["last_used_at"],
                        backed_up=bool(p["backed_up"]), current=p["id"] == current_id)
