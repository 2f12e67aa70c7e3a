"""Request/response shapes of the identity routes. WebAuthn JSON follows the W3C `toJSON()` shapes."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

B64url = Annotated[str, Meta(min_length=1, max_length=20000, pattern=r"^[A-Za-z0-9_-]*={0,2}$")]


class ActivationRequest(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=4, max_length=40)]


class ActivationResponse(msgspec.Struct, kw_only=True):
    household_label: str
    next: str  # "register_passkey"


# -- credentials from the browser. Unknown keys ARE allowed inside them on purpose: browsers add
#    fields to PublicKeyCredential.toJSON() over time (e.g. publicKey, authenticatorData). ---------

class AttestationResponseJSON(msgspec.Struct, rename="camel"):
    client_data_json: B64url = msgspec.field(name="clientDataJSON")
    attestation_object: B64url
    transports: list[str] | None = None


class _CredentialJSON(msgspec.Struct, rename="camel", kw_only=True):
    """What both PublicKeyCredential JSON forms (WebAuthn L3 toJSON) have; each adds its `response`."""
    id: B64url
    raw_id: B64url
    type: str = "public-key"
    authenticator_attachment: str | None = None
    client_extension_results: dict[str, Any] | None = None


class RegistrationCredentialJSON(_CredentialJSON, kw_only=True):
    response: AttestationResponseJSON


class AssertionResponseJSON(msgspec.Struct, rename="camel"):
    client_data_json: B64url = msgspec.field(name="clientDataJSON")
    authenticator_data: B64url
    signature: B64url
    user_handle: B64url | None = None


class AuthenticationCredentialJSON(_CredentialJSON, kw_only=True):
    response: AssertionResponseJSON


class RegisterVerifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    credential: RegistrationCredentialJSON
    label: Annotated[str, Meta(min_length=1, max_length=60)] | None = None


class LoginVerifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    credential: AuthenticationCredentialJSON


# -- options (PublicKeyCredentialCreationOptionsJSON / RequestOptionsJSON) -------------------------

class RpEntity(msgspec.Struct):
    id: str
    name: str


class UserEntity(msgspec.Struct, rename="camel"):
    id: str
    name: str
    display_name: str


class PubKeyCredParam(msgspec.Struct):
    type: str
    alg: int


class CredentialDescriptor(msgspec.Struct, omit_defaults=True):
    id: str
    type: str = "public-key"
    transports: list[str] | None = None


class AuthenticatorSelection(msgspec.Struct, rename="camel", omit_defaults=True):
    resident_key: str | None = None
    require_resident_key: bool | None = None
    user_verification: str | None = None
    authenticator_attachment: str | None = None


class CreationOptions(msgspec.Struct, rename="camel", omit_defaults=True):
    rp: RpEntity
    user: UserEntity
    challenge: str
    pub_key_cred_params: list[PubKeyCredParam]
    timeout: int | None = None
    exclude_credentials: list[CredentialDescriptor] = []
    authenticator_selection: AuthenticatorSelection | None = None
    attestation: str | None = None
    hints: list[str] = []


class RequestOptions(msgspec.Struct, rename="camel", omit_defaults=True):
    challenge: str
    timeout: int | None = None
    rp_id: str | None = None
    allow_credentials: list[CredentialDescriptor] = []
    user_verification: str | None = None
    hints: list[str] = []


class RegistrationOptionsResponse(msgspec.Struct):
    public_key: CreationOptions = msgspec.field(name="publicKey")


class LoginOptionsResponse(msgspec.Struct):
    public_key: RequestOptions = msgspec.field(name="publicKey")


class PasskeyOut(msgspec.Struct, kw_only=True):
    id: str
    label: str
    created_at: str
    last_used_at: str | None
    backed_up: bool
    current: bool  # the passkey this session logged in with


class PasskeyList(msgspec.Struct):
    passkeys: list[PasskeyOut]


class LoginResponse(msgspec.Struct, kw_only=True):
    household_label: str
    passkey: PasskeyOut
