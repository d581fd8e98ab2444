"""A light Ukrainian stemmer: strips inflectional endings, nothing derivational.

Snowball has no Ukrainian algorithm and the dictionary lemmatisers on PyPI bring tens of
megabytes of data and are slow without a cache, so we strip endings the way light stemmers
for other Slavic languages do (Savoy's light stemmers, Snowball's Russian steps): remove a
reflexive particle, then the longest case, number, gender or tense ending found in the region
after the first vowel, keeping at least two letters of stem. The aim is recall for search:
"війна", "війни", "війні", "війною" must all meet at "війн". Vowel alternations in the
stem (Харків / Харкова, ніч / ночі) and consonant changes (економіка / економіці) are not
handled in general, with two exceptions that matter in claims:

- the fleeting vowel of "-ець" (іноземець / іноземця, біженець / біженці): a stem ending
  in "ец" loses the "е";
- the і of a last syllable that is о or е in the other cases (Київ / Києва, Харків /
  Харкові, рік / року) in a short list of words, mostly place names in the news: a light
  stemmer cannot tell "Харкові" (in Kharkiv) from "солдатові" (to the soldier).

Infinitives are not stripped (only the -увати class is): "-ати" would cut noun plurals
(солдати -> солд), and nouns matter more in claims than infinitives. Past-tense "-ав" is
stripped, so a genitive plural like "держав" loses to it. A stem keeps at least three
letters ("Київ" is not "ки"). Measured by bench/eval_ukrainian_stemmer.py on
tests/data/search/uk_forms.txt.
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
_MIN_STEM = 3

# Nominative -> the stem of the other cases, for words with і (ї) in the last syllable only
# in the nominative. Every case form of these goes to that stem.
_ALTERNATING = {
    "київ": "києв",
    "харків": "харков",
    "львів": "львов",
    "чернігів": "чернігов",
    "миколаїв": "миколаєв",
    "бориспіль": "бориспол",
    "тернопіль": "тернопол",
    "ірпінь": "ірпен",
    "захід": "заход",
    "схід": "сход",
    "рік": "рок",
    "вибір": "вибор",
    "ніч": "ноч",
}
_CASE_ENDINGS = (
    *("а", "у", "ю", "я", "і", "и"),
    *("ом", "ем", "єм", "ові", "еві", "єві"),
    *("ів", "ей", "ам", "ям", "ами", "ями", "ах", "ях"),
)
_EXCEPTIONS = {
    **{stem + ending: stem for stem in _ALTERNATING.values() for ending in ("", *_CASE_ENDINGS)},
    **_ALTERNATING,
    "році": "рок",  # к becomes ц before the і of the locative
}


def _region_start(word: str) -> int:
    """Index just after the first vowel: endings may only be removed from there on."""
    for index, letter in enumerate(word):
        if letter in VOWELS:
            return index + 1
    return len(word)


def stem(word: str) -> str:
    """Return the light stem of a lower-case Ukrainian word (apostrophes already removed)."""
    listed = _EXCEPTIONS.get(word)
    if listed is not None:
        return listed
    if len(word) <= _MIN_STEM:
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
    # The е of "-ець" drops in the other forms: іноземець, іноземця -> іноземц.
    if word.endswith("ец") and len(word) > _MIN_STEM + 1:
        word = word[:-2] + "ц"
    return word
