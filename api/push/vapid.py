"""The application server's VAPID key pair (RFC 8292): a P-256 key made on first use and kept in the
database (table push_vapid), and the `sub` claim check."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from ..settings import validate_subject  # noqa: F401  (the `sub` claim check lives with the setting it checks)
from ..store import Store
from ..store import push as push_store
from ..store.found import present

b64url = bytes_to_base64url  # unpadded, as the Push API and RFC 8292 send it


def b64url_decode(text: str) -> bytes:
    """Accepts base64url with or without padding; raises ValueError on anything else (the decoder of
    webauthn.helpers, like the standard library's, would skip a stray character without a word)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", text):
        raise ValueError("not base64url")
    bare = text.rstrip("=")
    if len(bare) % 4 == 1:
        raise ValueError("not base64url")
    return base64url_to_bytes(bare)


@dataclass(frozen=True)
class VapidKeys:
    vapid: Vapid02          # signs the JWT; pywebpush takes it as is
    public_key: str         # base64url of the uncompressed P-256 point: the applicationServerKey


def _from_pem(pem: str, public_key: str) -> VapidKeys:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("push_vapid holds no P-256 key")
    v = Vapid02(key)
    return VapidKeys(vapid=v, public_key=public_key)


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(key.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint))


def load_or_create(store: Store, now: str) -> VapidKeys:
    """The key pair from the database; made (once, race-safe) when there is none yet."""
    found = push_store.vapid(store.db())
    if found is None:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
        with store.write() as db:
            push_store.add_vapid(db, pem, public_key_b64(key), now)
            found = present(push_store.vapid(db), "VAPID key")
    return _from_pem(found["private_key"], found["public_key"])
