"""What can go wrong with the user's vault, as the UI and the CLI name it.

Pure Python on purpose: the storage layer renames library exceptions
(``InvalidTag``, ``OSError`` ...) into these at its edge, so views and the CLI
never see cryptography or file-system internals. Each error has a stable
``code`` (the i18n key is ``error.<code>``) and the CLI's ``exit_code``.
Messages carry no personal data: no file names, no contents.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK = 0
EXIT_USAGE = 1
EXIT_WRONG_SECRET = 2
EXIT_DAMAGED = 3
EXIT_OPEN_ELSEWHERE = 4
EXIT_NEWER_FORMAT = 5
EXIT_DISK = 6


class VaultError(Exception):
    """Base of every error the vault reports to a person."""

    code: ClassVar[str] = "vault"
    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class WrongPassphrase(VaultError):
    """The passphrase does not unlock this vault (or its key wrap was altered)."""

    code = "wrong_passphrase"
    exit_code = EXIT_WRONG_SECRET


class WrongRecoveryCode(WrongPassphrase):
    """The recovery code is mistyped, malformed or belongs to another vault."""

    code = "wrong_recovery_code"


class TryLater(VaultError):
    """Too many wrong tries in a row: this one was refused unchecked (no key derivation).

    ``seconds_left`` is how long the user must wait; the lock screen counts it down."""

    code = "try_later"
    exit_code = EXIT_WRONG_SECRET

    def __init__(self, seconds_left: float) -> None:
        super().__init__(f"wait {seconds_left:.1f} s")
        self.seconds_left = seconds_left


class VaultDamaged(VaultError):
    """Truncated, bit-flipped, tampered or foreign data: never shown as content."""

    code = "damaged"
    exit_code = EXIT_DAMAGED


class CurrentDamaged(VaultDamaged):
    """The newest saved state cannot be read whole.

    Nothing older is opened in its place: the user chooses to recover, and is
    told first what that would lose (``mus.recovery.LossReport``). Each subclass
    names what is damaged, in one line (``error.<code>``)."""

    code = "current_damaged"


class SnapshotDamaged(CurrentDamaged):
    """The main file (the full copy) does not authenticate."""

    code = "snapshot_damaged"


class SnapshotMissing(CurrentDamaged):
    """The main file is gone."""

    code = "snapshot_missing"


class SnapshotOld(CurrentDamaged):
    """The main file is older than its journal (an older copy put back?)."""

    code = "snapshot_old"


class JournalDamaged(CurrentDamaged):
    """A saved change in the journal does not authenticate."""

    code = "journal_damaged"


class JournalCut(CurrentDamaged):
    """The journal is shorter than it was written (cut, not a save cut off by a crash)."""

    code = "journal_cut"


class JournalMissing(CurrentDamaged):
    """The journal that goes with the main file is gone."""

    code = "journal_missing"


class JournalMismatch(CurrentDamaged):
    """The journal is not the one the main file commits to (another, or an older copy)."""

    code = "journal_mismatch"


class KeysMismatch(VaultDamaged):
    """The key file is of another key than the data (an old copy of it?): nothing opens."""

    code = "keys_mismatch"


class KeysMissing(VaultDamaged):
    """Vault files are here but the key file is missing or cannot be read.

    Never "no vault yet": a copy of the key file put back opens everything, so
    nothing may create over these files. Restoring a backup or starting anew
    moves them aside into a dated folder first (``storage.vault.set_aside``)."""

    code = "keys_missing"


class VaultOpenElsewhere(VaultError):
    """Another process (or another window) holds the vault's lock."""

    code = "open_elsewhere"
    exit_code = EXIT_OPEN_ELSEWHERE


class NewerFormat(VaultError):
    """Written by a newer Musling: update the app rather than guess."""

    code = "newer_format"
    exit_code = EXIT_NEWER_FORMAT


class UnsupportedKdf(NewerFormat):
    """The vault's key derivation is missing from this build (e.g. no Argon2id)."""

    code = "kdf_unavailable"


class DiskError(VaultError):
    """The save did not happen; the last saved content is still intact."""

    code = "disk"
    exit_code = EXIT_DISK

    def __init__(self, detail: str = "", errno: int | None = None) -> None:
        super().__init__(detail)
        self.errno = errno


class DiskFull(DiskError):
    """No space left (ENOSPC, EDQUOT)."""

    code = "disk_full"


class DiskReadOnly(DiskError):
    """The folder is read-only or not permitted (EROFS, EACCES, EPERM)."""

    code = "disk_read_only"


class VaultMissing(VaultError):
    """There is no vault where one was expected."""

    code = "missing"


class VaultExists(VaultError):
    """Refusing to create a vault over an existing one."""

    code = "exists"


class VaultLocked(VaultError):
    """The vault was closed (locked); unlock it again before use."""

    code = "locked"


class ImportNotAccepted(VaultError):
    """An "all my data" file refused whole, before anything was written."""

    code = "import_rejected"
    exit_code = EXIT_DAMAGED


class NotAnExport(ImportNotAccepted):
    """Not JSON, or JSON that is not a Musling export."""

    code = "import_not_export"
    exit_code = EXIT_USAGE


class NewerExport(ImportNotAccepted):
    """Written by a newer Musling: importing it could drop what this one does not know."""

    code = "import_newer"
    exit_code = EXIT_NEWER_FORMAT


class BadRecord(ImportNotAccepted):
    """A record does not decode, or an agreed version's content is not what was agreed."""

    code = "import_bad_record"


class DuplicateRecord(ImportNotAccepted):
    """The same id twice in one file: which one is meant cannot be told."""

    code = "import_duplicate"


class ImportTooLarge(ImportNotAccepted):
    """Larger than any export Musling reads (``storage.portability.MAX_IMPORT_BYTES``)."""

    code = "import_too_large"
    exit_code = EXIT_USAGE


class ImportTooDeep(NotAnExport):
    """Lists and objects nested deeper than the format ever does (a JSON bomb)."""

    code = "import_too_deep"


class BadYear(BadRecord):
    """A year, date or date-time outside the years Musling accepts (1900-2200)."""

    code = "import_bad_year"


class BadNumber(BadRecord):
    """Another whole number outside 0-10000 (no real schedule or version comes near)."""

    code = "import_bad_number"


IMPORT_REFUSALS: dict[str, type[ImportNotAccepted]] = {
    "not_export": NotAnExport,
    "newer": NewerExport,
    "bad_record": BadRecord,
    "duplicate": DuplicateRecord,
    "too_large": ImportTooLarge,
    "too_deep": ImportTooDeep,
    "bad_year": BadYear,
    "bad_number": BadNumber,
}
