"""Words for people (pages, the command line, reports, match reasons): counts ("1 claim",
"2,048 claims") and language names."""

from __future__ import annotations


def noun(number: int, word: str, plural: str | None = None) -> str:
    """WORD, in the plural unless NUMBER is one (PLURAL when adding an "s" is not how the
    word makes it: "country", "countries"). A template filter: ``{{ n | noun("claim") }}``."""
    return word if number == 1 else plural or word + "s"


def counted(number: int, word: str, plural: str | None = None) -> str:
    """NUMBER with thousands separators and its NOUN: "1 claim", "2,048 claims"."""
    return f"{number:,} {noun(number, word, plural)}"


LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German", "fr": "French",
    "pl": "Polish", "es": "Spanish", "it": "Italian", "cs": "Czech", "sk": "Slovak",
    "hu": "Hungarian", "ro": "Romanian", "bg": "Bulgarian", "sr": "Serbian", "be": "Belarusian",
    "ka": "Georgian", "hy": "Armenian", "az": "Azerbaijani", "lt": "Lithuanian",
    "lv": "Latvian", "et": "Estonian", "fi": "Finnish", "sv": "Swedish", "ar": "Arabic",
    "pt": "Portuguese", "nl": "Dutch", "el": "Greek", "tr": "Turkish", "zh": "Chinese",
    "hi": "Hindi", "bn": "Bengali", "und": "Undetermined",
}  # fmt: skip


def language_name(code: str | None) -> str:
    if not code:
        return ""
    return LANGUAGE_NAMES.get(code, code)


# What the audit trail's action codes say, in the desk's History and audit log.
AUDIT_ACTIONS = {
    "create": "created",
    "update": "edited",
    "delete": "deleted",
    "restore": "restored",
    "submit": "submitted for review",
    "return": "returned to the analyst",
    "publish": "published",
    "retract": "retracted",
    "update_verdict": "verdict updated",
    "assign": "assigned",
    "add_appearance": "link added",
    "recapture": "link archived again",
    "merge": "merged",
    "import": "imported",
    "import_status": "status set by an import",
    "login": "signed in",
    "login_failed": "sign-in failed",
    "logout": "signed out",
    "set_password": "password changed",
    "change_email": "email changed",
    "set_role": "role changed",
    "deactivate": "deactivated",
    "reactivate": "reactivated",
    "revoke": "revoked",
    "withdraw": "withdrawn from the public site",
    "denied": "refused",
    "xref_confirmed": "suggestion confirmed",
    "xref_rejected": "suggestion rejected",
    "xref_suggested": "suggestion reopened",
}


def audit_action(code: str | None) -> str:
    """'update_verdict' -> 'verdict updated'; a code without words, with spaces."""
    return AUDIT_ACTIONS.get(code or "", (code or "").replace("_", " "))
