"""Password hashing with Argon2id (argon2-cffi's current recommended parameters)."""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()

# Verified against when the email is unknown, so a wrong email costs the same time as a
# wrong password and timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing")

MIN_LENGTH = 12
MAX_LENGTH = 128


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# zxcvbn scores 0-4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_STRENGTH = 3
# zxcvbn refuses longer input; the first 72 characters decide whether it is guessable.
_ZXCVBN_MAX = 72


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why a new password is not acceptable, or None when it is.

    Length first (12 to 128 characters), then zxcvbn, whose shipped word lists include the
    most common passwords, names and keyboard patterns; the user's own email and name count
    as easy to guess too.
    """
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[u for u in user_inputs if u])
    if result["score"] < MIN_STRENGTH:
        warning = result["feedback"].get("warning") or "It follows a common pattern."
        return f"This password is too easy to guess. {warning} Try a few unrelated words."
    return None
