"""A light Ukrainian stemmer: strips inflectional endings, nothing derivational.

Snowball has no Ukrainian algorithm and the dictionary lemmatisers on PyPI bring tens of
megabytes of data and are slow without a cache, so we strip endings the way light stemmers
for other Slavic languages do (Savoy's light stemmers, Snowball's Russian steps): remove a
reflexive particle, then the longest case, number, gender or tense ending found in the region
after the first vowel, keeping at least two letters of stem. The aim is recall for search:
"війна", "війни", "війні", "війною" must all meet at "війн". Vowel alternations in the
stem (Харків / Харкова, ніч / ночі) and consonant changes (економіка / економіці) are not
handled. Infinitives are not stripped (only the -увати class is): "-ати" would cut noun
plurals (солдати -> солд), and nouns matter more in claims than infinitives. Past-tense "-ав"
is stripped, so a genitive plural like "держав" loses to it. Measured by
bench/eval_ukrainian_stemmer.py on tests/data/search/uk_forms.txt.
"""

from __future__ import annotations

VOWELS = frozenset("аеєиіїоуюя")

# Reflexive particles of verbs and participles ("відбувається", "бився").
_REFLEXIVE = ("ся", "сь")

# Inflectional endings of nouns, adjectives, pronouns, participles and verbs, longest first
# within the search below. Derivational suffixes (-ськ-, -ння) are kept: they carry meaning.
_ENDINGS = (
    # adjectives and participles
    "ього",
    "ьому",
    "ими",
    "іми",
    "ого",
    "ому",
    "ої",
    "ою",
    "ею",
    "єю",
    "ий",
    "ій",
    "ім",
    "им",
    "их",
    "іх",
    "ая",
    "яя",
    "еє",
    "єє",
    # nouns
    "ами",
    "ями",
    "ові",
    "еві",
    "єві",
    "ах",
    "ях",
    "ам",
    "ям",
    "ом",
    "ем",
    "єм",
    "ів",
    "їв",
    "ей",
    # verbs: infinitive, present, past, imperative, gerunds
    "ючи",
    "учи",
    "ячи",
    "ачи",
    "вши",
    # the -увати/-ювати class, whose present tense drops -ва- (вербувати, вербує)
    "увати",
    "ювати",
    "ував",
    "ював",
    "увала",
    "ювала",
    "увало",
    "ювало",
    "ували",
    "ювали",
    "ують",
    "юють",
    "уємо",
    "юємо",
    "уєте",
    "юєте",
    "уючи",
    "юючи",
    "ує",
    "ює",
    "ать",
    "ять",
    "ить",
    "ють",
    "уть",
    "ємо",
    "емо",
    "имо",
    "імо",
    "ете",
    "єте",
    "ите",
    "іть",
    "ала",
    "ало",
    "али",
    "ила",
    "ило",
    "или",
    "ула",
    "уло",
    "ули",
    "яла",
    "яло",
    "яли",
    "ла",
    "ло",
    "ли",
    "ав",
    "ив",
    "ув",
    "яв",
    "ме",
    # single letters last
    "а",
    "е",
    "є",
    "и",
    "і",
    "ї",
    "о",
    "у",
    "ю",
    "я",
    "ь",
    "й",
)
_LENGTHS = sorted({len(ending) for ending in _ENDINGS}, reverse=True)
_BY_LENGTH = {length: frozenset(e for e in _ENDINGS if len(e) == length) for length in _LENGTHS}
_MIN_STEM = 2


def _region_start(word: str) -> int:
    """Index just after the first vowel: endings may only be removed from there on."""
    for index, letter in enumerate(word):
        if letter in VOWELS:
            return index + 1
    return len(word)


def stem(word: str) -> str:
    """Return the light stem of a lower-case Ukrainian word (apostrophes already removed)."""
    if len(word) <= _MIN_STEM + 1:
        return word
    start = max(_region_start(word), _MIN_STEM)
    for particle in _REFLEXIVE:
        if word.endswith(particle) and len(word) - len(particle) >= start + 1:
            word = word[: -len(particle)]
            break
    for length in _LENGTHS:
        if len(word) - length >= start and word[-length:] in _BY_LENGTH[length]:
            word = word[:-length]
            break
    # A soft sign, й or і left at the end after removing an ending: "санкці-ї" and
    # "санкц-ій", "Росі-я" and "Рос-ії" must meet.
    if len(word) > start and word[-1] in "ьйі":
        word = word[:-1]
    return word
