"""Personal access codes: who may sign in to a served workspace, and every attempt.

A code is shown once, when it is issued (`opstui people code`), and never stored: the
workspace keeps its public first part (`lookup`, to find the row) and a salted scrypt hash
of the rest. Issuing a new code for a person revokes the one before it. Every sign-in
attempt is recorded in `sign_ins`; refused ones make the next refusal wait longer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from opstui.data.store import Store
from opstui.domain.models import Person
from opstui.domain.text import clean_line

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
"""Crockford's base 32: no i, l, o or u, so a code read aloud or copied by hand survives."""
LOOKUP_LENGTH = 6
SECRET_LENGTH = 18
"""90 bits of secret: guessing is hopeless even without the refusal delay."""
GROUP = 6

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
HASH_SCHEME = f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}"

REFUSALS_WINDOW = timedelta(minutes=15)
"""Refusals this recent slow the next attempt down, whichever browser makes it."""
FIRST_DELAY_SECONDS = 1.0
LONGEST_DELAY_SECONDS = 30.0

Outcome = Literal["signed in", "wrong", "unknown", "revoked", "retired"]

REFUSAL_MESSAGES: dict[Outcome, str] = {
    "wrong": "That code is not right. Check it and try again.",
    "unknown": "That code is not right. Check it and try again.",
    "revoked": "That code was replaced by a newer one: ask for your new code.",
    "retired": "That code belongs to someone who is retired from the workspace.",
}


class UnknownPersonError(ValueError):
    """No person (or more than one) has the name given."""


@dataclass(frozen=True, slots=True)
class SignInResult:
    """What an attempt came to: the person let in, or why not."""

    outcome: Outcome
    person: Person | None = None

    @property
    def signed_in(self) -> bool:
        return self.outcome == "signed in"


@dataclass(frozen=True, slots=True)
class SignInEvent:
    """One recorded attempt, for the console of `opstui serve`."""

    id: int
    at: str
    person: str | None
    outcome: Outcome


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NoHashingError(RuntimeError):
    """This Python has no scrypt (built without OpenSSL, as the single binary is)."""


def _hash(secret: str, salt: bytes) -> str:
    if not hasattr(hashlib, "scrypt"):
        raise NoHashingError(
            "this build of opstui cannot check access codes (its Python has no OpenSSL); "
            "use opstui installed with pip"
        )
    digest = hashlib.scrypt(
        secret.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"{HASH_SCHEME}:{digest.hex()}"


def format_code(lookup: str, secret: str) -> str:
    """The code as it is shown: groups of six joined by dashes."""
    whole = lookup + secret
    return "-".join(whole[start : start + GROUP] for start in range(0, len(whole), GROUP))


def parse_code(typed: str) -> tuple[str, str] | None:
    """(lookup, secret) of a typed code, forgiving case, spaces, dashes and the letters
    that look like digits; None when it cannot be a code."""
    text = "".join(typed.split()).replace("-", "").casefold()
    text = text.translate(str.maketrans("ilo", "110"))
    if len(text) != LOOKUP_LENGTH + SECRET_LENGTH or any(char not in ALPHABET for char in text):
        return None
    return text[:LOOKUP_LENGTH], text[LOOKUP_LENGTH:]


def find_person(repo: Store, name: str) -> Person:
    """The one current person named `name` (letter case aside)."""
    wanted = clean_line(name).casefold()
    matches = [
        person
        for person in repo.all(Person, "name")
        if clean_line(person.name).casefold() == wanted
    ]
    if not matches:
        raise UnknownPersonError(f"nobody named {clean_line(name)!r} in the workspace")
    if len(matches) > 1:
        raise UnknownPersonError(f"{len(matches)} people are named {clean_line(name)!r}")
    person = matches[0]
    if person.retired_on is not None:
        raise UnknownPersonError(f"{person.name} is retired from the workspace")
    return person


def issue_code(repo: Store, person: Person, now: datetime) -> str:
    """A new code for `person`, shown once: the old one stops signing in."""
    if person.id is None:
        raise UnknownPersonError(f"{person.name} is not stored")
    stamp = _stamp(now)
    with repo.db.atomic():
        while True:
            lookup = "".join(secrets.choice(ALPHABET) for _ in range(LOOKUP_LENGTH))
            taken = repo.db.execute(
                "SELECT 1 FROM access_codes WHERE lookup = ?", [lookup]
            ).fetchone()
            if taken is None:
                break
        secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
        salt = secrets.token_bytes(16)
        repo.db.execute(
            "UPDATE access_codes SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
            [stamp, person.id],
        )
        repo.db.execute(
            "INSERT INTO access_codes (person_id, lookup, salt, hash, issued_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [person.id, lookup, salt.hex(), _hash(secret, salt), stamp],
        )
    return format_code(lookup, secret)


def check_code(repo: Store, typed: str, now: datetime) -> SignInResult:
    """Whether `typed` is a person's current code; the attempt is recorded either way."""
    result = _verify(repo, typed)
    person_id = result.person.id if result.person is not None else None
    with repo.db.atomic():
        repo.db.execute(
            "INSERT INTO sign_ins (at, person_id, outcome) VALUES (?, ?, ?)",
            [_stamp(now), person_id, result.outcome],
        )
    return result


def _verify(repo: Store, typed: str) -> SignInResult:
    parsed = parse_code(typed)
    if parsed is None:
        return SignInResult("unknown")
    lookup, secret = parsed
    row = repo.db.execute(
        "SELECT person_id, salt, hash, revoked_at FROM access_codes WHERE lookup = ?", [lookup]
    ).fetchone()
    if row is None:
        return SignInResult("unknown")
    person_id, salt_hex, stored, revoked_at = row
    try:
        salt = bytes.fromhex(str(salt_hex))
    except ValueError:
        return SignInResult("unknown")
    if not hmac.compare_digest(_hash(secret, salt).encode(), str(stored).encode()):
        return SignInResult("wrong")
    person = repo.get(Person, int(person_id))
    if person is None:  # the person was deleted while the code was typed
        return SignInResult("unknown")
    if revoked_at is not None:
        return SignInResult("revoked", person)
    if person.retired_on is not None:
        return SignInResult("retired", person)
    return SignInResult("signed in", person)


def refusal_delay(repo: Store, now: datetime) -> float:
    """How long from `now` until the next attempt may be checked: after the latest recent
    refusal (anywhere, so opening a new session does not skip it), one second for the
    first, doubling with each one after it, at most thirty."""
    recent, latest = repo.db.execute(
        "SELECT count(*), max(at) FROM sign_ins WHERE outcome != 'signed in' AND at > ?",
        [_stamp(now - REFUSALS_WINDOW)],
    ).fetchone()
    if not recent:
        return 0.0
    wait = min(LONGEST_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (int(recent) - 1))
    since = datetime.strptime(str(latest), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    elapsed = (now.astimezone(UTC) - since).total_seconds()
    return float(max(0.0, min(wait, wait - elapsed)))


def refusal_count(repo: Store) -> int:
    """Every refused sign-in the workspace has recorded."""
    (count,) = repo.db.execute(
        "SELECT count(*) FROM sign_ins WHERE outcome != 'signed in'"
    ).fetchone()
    return int(count)


def current_code_count(repo: Store) -> int:
    """How many people can sign in now (a current code, not retired)."""
    (count,) = repo.db.execute(
        "SELECT count(*) FROM access_codes JOIN people ON people.id = access_codes.person_id "
        "WHERE access_codes.revoked_at IS NULL AND people.retired_on IS NULL"
    ).fetchone()
    return int(count)


def sign_ins_after(repo: Store, last_id: int) -> list[SignInEvent]:
    """The attempts recorded after the one numbered `last_id`, oldest first."""
    rows = repo.db.execute(
        "SELECT sign_ins.id, sign_ins.at, people.name, sign_ins.outcome FROM sign_ins "
        "LEFT JOIN people ON people.id = sign_ins.person_id WHERE sign_ins.id > ? "
        "ORDER BY sign_ins.id",
        [last_id],
    ).fetchall()
    return [SignInEvent(int(row[0]), str(row[1]), row[2], row[3]) for row in rows]


def last_sign_in_id(repo: Store) -> int:
    (last,) = repo.db.execute("SELECT coalesce(max(id), 0) FROM sign_ins").fetchone()
    return int(last)
