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
