"""The app's view of its vault: ``mus.ports.VaultPort`` over ``storage.vault.Vault``.

One object per app process: it owns the vault's lock while open, and hands
out the repositories over the decrypted tables. Locking closes TinyDB, which
closes the vault and drops its keys.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tinydb import TinyDB

from mus.errors import (
    IMPORT_REFUSALS,
    CurrentDamaged,
    TryLater,
    VaultError,
    VaultLocked,
    WrongPassphrase,
)
from mus.merge import MergeReport
from mus.recovery import LossReport
from mus.settings import Preferences
from mus.throttle import Backoff
from storage.crypto import DEFAULT_LIMITS, KdfLimits, KdfParams
from storage.repositories import TinyAgreedVersions, TinyConversations, TinySchedules
from storage.table import IndexedDB
from storage.vault import Recovery, Vault, VaultStorage, folder_state, require_vault

if TYPE_CHECKING:
    from storage.sync import Outbox

log = logging.getLogger("musling.vault")


class VaultSession:
    """Locked or open; thread-safe enough for a UI that derives keys off-thread."""

    def __init__(
        self,
        folder: Path,
        *,
        kdf: KdfParams | None = None,
        limits: KdfLimits = DEFAULT_LIMITS,
        backoff: Backoff | None = None,
    ) -> None:
        self.folder = folder
        # One brake for the process: every tab of the web app shares this session.
        self._tries = backoff or Backoff(time.monotonic)
        self._kdf = kdf
        self._limits = limits
        self._mutex = threading.RLock()
        self._vault: Vault | None = None
        self._db: TinyDB | None = None
        self._lock_listeners: list[Callable[[], None]] = []
        self._pending: Recovery | None = None
        """Prepared when an unlock found the newest state damaged (nothing written)."""
        self.set_aside_to: Path | None = None
        """Where the last ``create`` or ``restore_backup`` moved a damaged vault's files."""

    def exists(self) -> bool:
        """A vault with its key file (it may still be damaged otherwise)."""
        return folder_state(self.folder) == "vault"

    def keys_missing(self) -> bool:
        """Vault files without a readable key file: damaged, never "no vault yet"."""
        return folder_state(self.folder) == "keys_missing"

    def require(self) -> None:
        """Before anything is asked: ``VaultMissing`` (nothing here) or ``KeysMissing``."""
        require_vault(self.folder)

    def set_aside_folder(self) -> str | None:
        """The name (inside the data folder) of the folder the last create or restore
        moved a damaged vault's files into; None when nothing was moved."""
        return None if self.set_aside_to is None else self.set_aside_to.name

    @property
    def unlocked(self) -> bool:
        return self._db is not None

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise VaultLocked()
        return self._vault

    def create(self, passphrase: str, *, set_aside: datetime | None = None) -> str:
        """A new vault; over a damaged one only with ``set_aside`` (its files are moved
        into a folder named by that time, see ``set_aside_folder``)."""
        vault, code = Vault.create(
            self.folder, passphrase, kdf=self._kdf, limits=self._limits, set_aside=set_aside
        )
        self._attach(vault)
        self.set_aside_to = vault.set_aside_to
        return code

    def unlock(self, passphrase: str, *, read_only: bool = False) -> None:
        """Open the vault; if this process already has it open (another window of
        the web app), check the passphrase against it instead of opening twice.

        Throttled (``unlock_wait``): a try during a wait raises ``TryLater`` unchecked.
        ``read_only``: write nothing at all (``vault check``). When the newest
        state is damaged (``CurrentDamaged``), a recovery is prepared before the
        error is raised: ``recovery_report`` says what it would lose."""
        with self._mutex:
            self._try(
                lambda vault: vault.verify_passphrase(passphrase),
                lambda: self._open_or_prepare(
                    lambda: Vault.open(
                        self.folder, passphrase, limits=self._limits, read_only=read_only
                    ),
                    lambda: Vault.open_for_recovery(self.folder, passphrase, limits=self._limits),
                ),
            )

    def unlock_with_recovery_code(self, code: str, *, read_only: bool = False) -> None:
        """As ``unlock``, with the recovery code. A wrong code changes nothing: an
        open vault stays open (another tab may be working in it)."""
        with self._mutex:
            self._try(
                lambda vault: vault.verify_recovery_code(code),
                lambda: self._open_or_prepare(
                    lambda: Vault.open_with_recovery_code(
                        self.folder, code, limits=self._limits, read_only=read_only
                    ),
                    lambda: Vault.open_for_recovery(
                        self.folder, recovery_code=code, limits=self._limits
                    ),
                ),
            )

    def _open_or_prepare(
        self, open_vault: Callable[[], Vault], prepare: Callable[[], Recovery]
    ) -> Vault:
        self.cancel_recovery()
        try:
            return open_vault()
        except CurrentDamaged:
            with contextlib.suppress(VaultError):  # nothing readable: no recovery to offer
                self._pending = prepare()
            raise

    def recovery_report(self) -> LossReport | None:
        """After an unlock failed with ``CurrentDamaged``: what recovering would
        lose (None when no recovery is prepared)."""
        with self._mutex:
            return None if self._pending is None else self._pending.report

    def recover(self) -> None:
        """Write the prepared recovery (the state ``recovery_report`` described)
        and open the vault with it."""
        with self._mutex:
            pending, self._pending = self._pending, None
            if pending is None:
                raise VaultLocked("no recovery prepared")
            self._attach(pending.apply())

    def cancel_recovery(self) -> None:
        """Drop a prepared recovery (its keys and the folder's lock); nothing was written."""
        with self._mutex:
            pending, self._pending = self._pending, None
            if pending is not None:
                pending.close()

    def unlock_wait(self) -> float:
        """Seconds before the next unlock try is let through (0: now). Read without
        the lock: a try in progress must not hold up a countdown."""
        return self._tries.wait_left()

    def _try(self, verify: Callable[[Vault], None], open_vault: Callable[[], Vault]) -> None:
        """One counted try (under the mutex): refused while waiting, else checked
        against the open vault or opened; only a wrong secret counts as a failure."""
        left = self._tries.wait_left()
        if left > 0:
            raise TryLater(left)
        try:
            if self._vault is not None:
                verify(self._vault)
            else:
                self._attach(open_vault())
        except WrongPassphrase:  # and WrongRecoveryCode
            self._tries.failed()
            raise
        self._tries.succeeded()

    def lock(self) -> None:
        with self._mutex:
            self.cancel_recovery()
            if self._db is not None:
                self._db.close()
            self._db = None
            self._vault = None
            listeners = list(self._lock_listeners)
        for listener in listeners:
            try:
                listener()
            except Exception:  # one tab's failure must not keep the others open
                log.exception("a lock listener failed")

    def on_lock(self, listener: Callable[[], None]) -> Callable[[], None]:
        with self._mutex:
            self._lock_listeners.append(listener)

        def unsubscribe() -> None:
            with self._mutex, contextlib.suppress(ValueError):
                self._lock_listeners.remove(listener)

        return unsubscribe

    def conversations(self) -> TinyConversations:
        if self._db is None:
            raise VaultLocked()
        return TinyConversations(self._db, lock=self._mutex)

    def versions(self) -> TinyAgreedVersions:
        if self._db is None:
            raise VaultLocked()
        return TinyAgreedVersions(self._db, lock=self._mutex)

    def schedules(self) -> TinySchedules:
        if self._db is None:
            raise VaultLocked()
        return TinySchedules(self._db, lock=self._mutex)

    def outbox(self) -> Outbox:
        """Exported PDFs waiting for their sync targets; shares this session's lock."""
        from storage.sync import Outbox  # httpx loads when sync is first used

        if self._db is None:
            raise VaultLocked()
        return Outbox(self._db, lock=self._mutex)

    def change_passphrase(self, old: str, new: str) -> str | None:
        """Check the old passphrase against the vault's own key wrap, then change it
        (a new data key; everything re-encrypted). Returns a new recovery code when
        the old one could not follow (a version 1 vault's): show it once."""
        vault = self.vault
        vault.verify_passphrase(old)
        return vault.change_passphrase(new, kdf=self._kdf)

    def new_recovery_code(self) -> str:
        return self.vault.new_recovery_code()

    def export_data(self, preferences: Preferences, now: datetime) -> bytes:
        from storage.portability import collect, dump, export_document

        return dump(export_document(collect(self, preferences), now))

    def export_backup(self, passphrase: str, backup_passphrase: str | None = None) -> bytes:
        """Written to a temporary file beside the vault (encrypted), read, removed.

        ``passphrase`` is the vault's own (checked, as for any export of
        everything); the backup is locked with ``backup_passphrase`` when given."""
        vault = self.vault
        vault.verify_passphrase(passphrase)
        temp = self.folder / f".backup-{secrets.token_hex(8)}.tmp"
        try:
            vault.export_backup(temp, backup_passphrase or passphrase, kdf=self._kdf)
            return temp.read_bytes()
        finally:
            temp.unlink(missing_ok=True)

    def restore_backup(
        self, backup: bytes, passphrase: str, *, set_aside: datetime | None = None
    ) -> str:
        """Only where no vault is yet (a new phone): new keys, new recovery code.
        Over a damaged vault without its key file only with ``set_aside``, as ``create``.

        The picked file's bytes are read in memory; nothing is written but the
        new vault itself."""
        vault, code = Vault.restore(
            backup,
            passphrase,
            self.folder,
            passphrase,
            kdf=self._kdf,
            limits=self._limits,
            set_aside=set_aside,
        )
        self._attach(vault)
        self.set_aside_to = vault.set_aside_to
        return code

    def import_data(self, raw: bytes) -> MergeReport:
        """Validate the whole file first, then merge by id without replacing anything."""
        from storage.portability import ImportRejected, merge, parse

        try:
            data = parse(raw)
        except ImportRejected as e:
            raise IMPORT_REFUSALS[e.reason](e.reason) from None
        return merge(self, data, replace=False)

    def erase(self) -> None:
        with self._mutex:
            vault = self.vault
            self._db = None
            self._vault = None
            vault.erase()

    def _attach(self, vault: Vault) -> None:
        with self._mutex:
            self.lock()
            self._vault = vault
            self._db = IndexedDB(vault, storage=VaultStorage)
