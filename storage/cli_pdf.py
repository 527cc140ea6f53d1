"""``pdf export`` and ``pdf verify``: the app's PDFs from the command line, and their check.

Export builds exactly what the app's share button builds (``mus.report`` +
``mus.pdf``): the latest agreed version when the conversation has not changed
since it was agreed, else a draft from the record. Verify answers "is this the
plan we agreed?": the printed fingerprint must belong to an agreed version in
this vault, and the PDF's text must be that version's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mus.agreement import AgreedVersion, changed_since, group_fingerprint
from mus.errors import EXIT_DAMAGED, EXIT_OK, EXIT_WRONG_SECRET
from mus.i18n import LANGUAGES, Translator
from mus.model import ConversationRecord
from mus.report import (
    EDITION,
    EDITIONS,
    Report,
    ReportKind,
    comparable,
    extract_fingerprint,
    missing_text,
    plan_report,
    summary_report,
)
from storage.cli_context import (
    CliError,
    Context,
    TooLarge,
    check_output,
    read_input,
    write_output,
)
from storage.session import VaultSession

LATEST = "latest"
MAX_VERIFY_MIB = 50
"""``pdf verify`` reads no more: the app's PDFs are well under 1 MiB, and a device
(``/dev/zero``) or a huge file must not fill the memory."""


@dataclass(frozen=True, slots=True)
class ExportMeta:
    """What was exported, for whoever handles a PDF after it is written (sync, later)."""

    conversation_id: str
    kind: ReportKind
    fingerprint: str
    version: int | None
    draft: bool
    language: str


def after_export(session: VaultSession, pdf_bytes: bytes, file_name: str, meta: ExportMeta) -> None:
    """Queue the exported PDF for every "send every export here" target, as the app does.

    Only queued: ``sync run`` (or the open app) delivers it when there is a network.
    """
    from mus.sync import ExportMeta as SyncMeta

    session.outbox().enqueue(
        pdf_bytes, file_name, SyncMeta(meta.conversation_id, meta.kind, meta.version)
    )


def choose_record(session: VaultSession, wanted: str) -> ConversationRecord:
    repo = session.conversations()
    if wanted == LATEST:
        heads = repo.list()  # newest meeting first
        if not heads:
            raise CliError("cli.pdf.no_conversations")
        wanted = heads[0].id
    record = repo.get(wanted)
    if record is None:
        raise CliError("cli.pdf.no_such_conversation")
    return record


def build_report(
    session: VaultSession, record: ConversationRecord, kind: ReportKind, t: Translator
) -> Report:
    """The agreed version if the record is unchanged since, else a draft from the record."""
    latest = session.versions().latest(record.id)
    source: ConversationRecord | AgreedVersion = record
    if latest is not None and not changed_since(record, latest):
        source = latest
    return _report(source, kind, t)


def _report(
    source: ConversationRecord | AgreedVersion,
    kind: ReportKind,
    t: Translator,
    edition: int = EDITION,
) -> Report:
    """Private preparation notes are never part of an exported report."""
    if kind is ReportKind.SUMMARY:
        return summary_report(source, t, edition=edition)
    return plan_report(source, t, edition=edition)


def export(ctx: Context) -> int:
    out = Path(ctx.args.out)
    check_output(out)
    password = ctx.env_secret(ctx.args.password_env) if ctx.args.password_env else None
    language: str = ctx.args.language or ctx.t.language
    kind = ReportKind.SUMMARY if ctx.args.summary else ReportKind.PLAN
    from mus.pdf import render  # fpdf2 loads only for this command

    with ctx.opened() as session:
        record = choose_record(session, ctx.args.conversation)
        report = build_report(session, record, kind, Translator(language))
        data = render(report, created=ctx.clock(), password=password)
        write_output(out, data)
        meta = ExportMeta(
            record.id, kind, report.fingerprint, report.version, report.draft, language
        )
        after_export(session, data, out.name, meta)
    shown = group_fingerprint(report.fingerprint)
    if report.draft:
        ctx.console.say(ctx.t("cli.pdf.exported_draft", fingerprint=shown))
    else:
        ctx.console.say(
            ctx.t("cli.pdf.exported_version", fingerprint=shown, version=report.version)
        )
    return EXIT_OK


# ---------------------------------------------------------------- verify


def page_texts(raw: bytes, password: str | None) -> tuple[list[str], str]:
    """Each page's extracted text and the document's keywords (pypdf)."""
    from io import BytesIO

    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(raw))
        if reader.is_encrypted and password is None:
            raise CliError("cli.verify.encrypted", EXIT_WRONG_SECRET)
        if reader.is_encrypted and password is not None and not reader.decrypt(password):
            raise CliError("cli.verify.wrong_password", EXIT_WRONG_SECRET)
        texts = [page.extract_text() or "" for page in reader.pages]
        info: Any = reader.metadata
    except CliError:
        raise
    except Exception:  # pypdf fails in many ways on a file that is no (whole) PDF
        raise CliError("cli.verify.not_pdf", EXIT_DAMAGED) from None
    keywords = str(info.get("/Keywords", "")) if info else ""
    return texts, keywords


def _kinds(keywords: str) -> tuple[ReportKind, ...]:
    for kind in (ReportKind.PLAN, ReportKind.SUMMARY):
        if f"kind:{kind.value}" in keywords.split():
            return (kind,)
    return (ReportKind.PLAN, ReportKind.SUMMARY)


def is_draft(texts: list[str], keywords: str, fingerprint: str) -> bool:
    """Marked a draft in its keywords, or its footer says so in either language."""
    if "status:draft" in keywords.split():
        return True
    body = comparable("".join(texts))
    grouped = group_fingerprint(fingerprint)
    return any(
        comparable(Translator(lang)("pdf.footer.draft", fingerprint=grouped)) in body
        for lang in LANGUAGES
    )


def matching_version(
    texts: list[str], versions: tuple[AgreedVersion, ...], kinds: tuple[ReportKind, ...]
) -> AgreedVersion | None:
    """The version whose whole text (in either language, either report, as this or
    an older Musling laid it out) the PDF holds."""
    for version in versions:
        for kind in kinds:
            for lang in LANGUAGES:
                for edition in EDITIONS:
                    report = _report(version, kind, Translator(lang), edition)
                    if not missing_text(report, texts):
                        return version
    return None


def verify(ctx: Context) -> int:
    try:
        raw = read_input(Path(ctx.args.file), limit=MAX_VERIFY_MIB * 1024 * 1024)
    except TooLarge:
        raise CliError("cli.verify.too_large", EXIT_DAMAGED, mib=MAX_VERIFY_MIB) from None
    password = ctx.env_secret(ctx.args.password_env) if ctx.args.password_env else None
    texts, keywords = page_texts(raw, password)
    printed = extract_fingerprint("\n".join(texts))
    if printed is None:
        raise CliError("cli.verify.no_fingerprint", EXIT_DAMAGED)
    shown = group_fingerprint(printed)
    if is_draft(texts, keywords, printed):
        raise CliError("cli.verify.draft", EXIT_DAMAGED, fingerprint=shown)
    with ctx.opened() as session:
        versions = session.versions().with_fingerprint(printed)
    if not versions:
        raise CliError("cli.verify.unknown", EXIT_DAMAGED, fingerprint=shown)
    found = matching_version(texts, versions, _kinds(keywords))
    if found is None:
        raise CliError("cli.verify.text_differs", EXIT_DAMAGED, fingerprint=shown)
    ctx.console.say(ctx.t("cli.verify.ok", fingerprint=shown, version=found.version))
    return EXIT_OK
