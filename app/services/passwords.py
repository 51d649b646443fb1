"""Password hashing with argon2id."""

from __future__ import annotations

import base64
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
_dummy: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def dummy_hash() -> str:
    """A hash that no password matches, with the parameters of a real one: checking a password
    against it costs what checking a real account costs, so an unknown user name is answered
    after the same work as a wrong password. Made without hashing anything."""
    global _dummy
    if _dummy is None:
        h = _hasher
        _dummy = (
            f"$argon2id$v=19$m={h.memory_cost},t={h.time_cost},p={h.parallelism}"
            f"${_b64(secrets.token_bytes(h.salt_len))}${_b64(secrets.token_bytes(h.hash_len))}"
        )
    return _dummy
