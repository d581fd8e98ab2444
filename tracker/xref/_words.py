"""Spelled-out numbers ("five hundred", "пятьсот", "двісті", "zweihundert", "vingt-cinq").

A small lexicon of our own covers the cardinal numbers of English, Russian, Ukrainian, German
and French, including the Russian and Ukrainian genitive forms that follow qualifiers
("более пятисот", "близько двохсот"). ``read_words`` reads the longest number at the start of
a list of normalised words; the extractor decides whether that number stands for a quantity.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.xref._german import german_compound

# Classes keep word order honest: "сто пятьдесят" is 150, "пять пять" is two numbers.
_UNIT, _TEEN, _TEN, _HUNDRED = 1, 1.5, 2, 3


def _add(table: dict[str, tuple[float, float]], cls: float, rows: str) -> None:
    for row in rows.strip().splitlines():
        value, *forms = row.split()
        for form in forms:
            table[form] = (float(value), cls)


#: normalised word -> (value, class) for words that add up.
ADDITIVE: dict[str, tuple[float, float]] = {}
_add(
    ADDITIVE,
    _UNIT,
    """
1 one один одна одно одного одной одному одним одну одне однієї одній
2 two два две двух двум двумя дві двох двом двома deux zwei
3 three три трех трем тремя трьох трьом трьома trois drei
4 four четыре четырех четырем четырьмя чотири чотирьох чотирьом чотирма quatre vier
5 five пять пяти пятью п'ять п'яти п'ятьох п'ятьма cinq fünf
6 six шесть шести шестью шість шести шістьох шістьма sechs
7 seven семь семи семью сім семи сімох сьома sept sieben
8 eight восемь восьми восемью вісім восьми вісьмох вісьма huit acht
9 nine девять девяти девятью дев'ять дев'яти дев'ятьох neun
""",
)
_add(
    ADDITIVE,
    _TEEN,
    """
10 ten десять десяти десятью десятьох dix zehn
11 eleven одиннадцать одиннадцати одинадцять одинадцяти onze elf
12 twelve двенадцать двенадцати дванадцять дванадцяти douze zwölf
13 thirteen тринадцать тринадцати тринадцять тринадцяти treize dreizehn
14 fourteen четырнадцать четырнадцати чотирнадцять чотирнадцяти quatorze vierzehn
15 fifteen пятнадцать пятнадцати п'ятнадцять п'ятнадцяти quinze fünfzehn
16 sixteen шестнадцать шестнадцати шістнадцять шістнадцяти seize sechzehn
17 seventeen семнадцать семнадцати сімнадцять сімнадцяти dix-sept siebzehn
18 eighteen восемнадцать восемнадцати вісімнадцять вісімнадцяти dix-huit achtzehn
19 nineteen девятнадцать девятнадцати дев'ятнадцять дев'ятнадцяти dix-neuf neunzehn
""",
)
_add(
    ADDITIVE,
    _TEN,
    """
20 twenty двадцать двадцати двадцатью двадцять двадцяти vingt zwanzig
30 thirty тридцать тридцати тридцатью тридцять тридцяти trente dreißig dreissig
40 forty сорок сорока quarante vierzig
50 fifty пятьдесят пятидесяти п'ятдесят п'ятдесяти cinquante fünfzig
60 sixty шестьдесят шестидесяти шістдесят шістдесяти soixante sechzig
70 seventy семьдесят семидесяти сімдесят сімдесяти siebzig
80 eighty восемьдесят восьмидесяти вісімдесят вісімдесяти achtzig
90 ninety девяносто девяноста дев'яносто дев'яноста neunzig
""",
)
_add(
    ADDITIVE,
    _HUNDRED,
    """
100 сто ста
200 двести двухсот двумстам двухстах двісті двохсот двомстам
300 триста трехсот тремстам трьохсот
400 четыреста четырехсот чотириста чотирьохсот
500 пятьсот пятисот п'ятсот п'ятисот
600 шестьсот шестисот шістсот шестисот
700 семьсот семисот сімсот семисот
800 восемьсот восьмисот вісімсот восьмисот
900 девятьсот девятисот дев'ятсот дев'ятисот
""",
)
# French 70-99 are compounds of their own: soixante-dix, quatre-vingt-douze.
for _i, _name in enumerate(
    [
        "dix",
        "onze",
        "douze",
        "treize",
        "quatorze",
        "quinze",
        "seize",
        "dix-sept",
        "dix-huit",
        "dix-neuf",
    ]
):
    ADDITIVE[f"soixante-{_name}"] = (70.0 + _i, _TEN)
    ADDITIVE[f"quatre-vingt-{_name}"] = (90.0 + _i, _TEN)
for _i, _name in enumerate(
    ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"], start=1
):
    ADDITIVE[f"quatre-vingt-{_name}"] = (80.0 + _i, _TEN)
ADDITIVE["quatre-vingt"] = ADDITIVE["quatre-vingts"] = (80.0, _TEN)

#: words that multiply what comes before them inside a group of three digits.
MULTIPLIERS: dict[str, float] = {"hundred": 100, "dozen": 12, "cent": 100, "cents": 100}

#: scale words in every form that may follow a number ("пять тысяч", "два мільйони").
SCALES: dict[str, float] = {}
for _value, _forms in (
    (
        1e3,
        "thousand тысяча тысячи тысяч тысячу тысячей тысяче тысячам тысячами тысячах "
        "тисяча тисячі тисяч тисячу тисячею тисячам тисячами тисячах tausend mille",
    ),
    (
        1e6,
        "million миллион миллиона миллионов миллиону миллионом миллионе миллионы "
        "миллионам миллионами миллионах мільйон мільйона мільйонів мільйону мільйоном "
        "мільйоні мільйони мільйонам мільйонами мільйонах millionen millions",
    ),
    (
        1e9,
        "billion миллиард миллиарда миллиардов миллиарду миллиардом миллиарде миллиарды "
        "миллиардам миллиардами мільярд мільярда мільярдів мільярду мільярдом мільярди "
        "мільярдам мільярдами milliarde milliarden milliard milliards",
    ),
    (1e12, "trillion триллион триллиона триллионов трильйон трильйона трильйонів billionen"),
):
    for _form in _forms.split():
        SCALES[_form] = _value

#: scale forms that can stand for the number on their own ("тысяча человек", "более миллиона").
STANDALONE_SCALES = frozenset(
    [
        "тысяча",
        "тысячу",
        "тысячей",
        "тысяче",
        "миллион",
        "миллиона",
        "миллиону",
        "миллионом",
        "миллиард",
        "миллиарда",
        "тисяча",
        "тисячу",
        "тисячею",
        "мільйон",
        "мільйона",
        "мільйону",
        "мільярд",
        "мільярда",
        "tausend",
        "mille",
    ]
)
#: genitive singular forms that equal plural "thousands" unless a qualifier comes first.
QUALIFIED_ONLY = frozenset({"тысячи", "тисячі"})
#: articles that count as "one" before a scale ("a million", "eine Million", "un million").
ARTICLES = frozenset(["a", "an", "ein", "eine", "einer", "einem", "un", "une"])
#: one-and-a-half and friends: they need a scale word after them.
FRACTIONS: dict[str, float] = {
    "полтора": 1.5,
    "полторы": 1.5,
    "полутора": 1.5,
    "півтора": 1.5,
    "півтори": 1.5,
    "anderthalb": 1.5,
    "eineinhalb": 1.5,
    "zweieinhalb": 2.5,
    "dreieinhalb": 3.5,
}
#: "half" words that multiply the scale after them.
HALVES = frozenset({"пол", "пів", "halbe", "halben"})
#: one-word halves: "полмиллиона", "півмільйона".
HALF_WORDS: dict[str, float] = {
    prefix + scale: value / 2
    # "полумиллиона" is the genitive of "полмиллиона" ("свыше полумиллиона").
    for prefix in ("пол", "полу", "пів")
    for scale, value in SCALES.items()
    if scale in STANDALONE_SCALES
}
#: words after which a bare scale word is vague ("several thousand"), not 1,000.
VAGUE_PREFIXES = frozenset(
    [
        "several",
        "few",
        "couple",
        "несколько",
        "нескольких",
        "кілька",
        "декілька",
        "кількох",
        "mehrere",
        "einige",
        "paar",
        "plusieurs",
        "quelques",
    ]
)


def _value_of(word: str) -> tuple[float, float] | None:
    if word in ADDITIVE:
        return ADDITIVE[word]
    if word in SCALES or word in MULTIPLIERS:
        return None
    compound = german_compound(word) if word.isalpha() else None
    if compound is None:
        return None
    # A compound of a thousand or more closes its group like a scale would.
    return float(compound), _HUNDRED + (1 if compound >= 1000 else 0)


def _split(words: Sequence[str]) -> list[str]:
    """English and French hyphenated numbers ("twenty-five") become separate words."""
    out: list[str] = []
    for word in words:
        if word in ADDITIVE or "-" not in word:
            out.append(word)
        else:
            out.extend(word.split("-"))
    return out


def is_number_start(word: str) -> bool:
    """Whether a normalised word can begin a spelled-out number (a cheap pre-filter)."""
    head = word.split("-", 1)[0]
    return (
        word in ADDITIVE
        or head in ADDITIVE
        or word in SCALES
        or word in MULTIPLIERS
        or word in ARTICLES
        or word in FRACTIONS
        or word in HALVES
        or word in HALF_WORDS
        or word == "half"
        or _value_of(word) is not None
    )


def read_words(words: Sequence[str], lang: str) -> tuple[float, int] | None:
    """Read the longest spelled-out number at the start of ``words``.

    ``words`` are normalised (lower case, "ё" as "е", apostrophes as "'"). Returns the value
    and how many of the given words it used, or None. ``lang`` is accepted for readers that
    need it; this lexicon covers all supported languages at once.
    """
    del lang
    if not words:
        return None
    first = words[0]
    if first in HALF_WORDS:
        return HALF_WORDS[first], 1
    if first in FRACTIONS:
        if len(words) > 1 and words[1] in SCALES:
            return FRACTIONS[first] * SCALES[words[1]], 2
        return None
    if first in HALVES and len(words) > 1 and words[1] in SCALES:
        return SCALES[words[1]] / 2, 2
    if first == "half" and len(words) > 2 and words[1] in ARTICLES and words[2] in SCALES:
        return SCALES[words[2]] / 2, 3
    quarter = _quarter_of(words)
    if quarter is not None:
        return quarter
    return _read_cardinal(words)


def _quarter_of(words: Sequence[str]) -> tuple[float, int] | None:
    """ "a quarter of a million" (also "three quarters of a million"): a part of a scale."""
    index, parts = 0, 1.0
    if words[0] in ARTICLES:
        index = 1
    elif words[0] in ADDITIVE and len(words) > 1 and words[1] == "quarters":
        parts, index = ADDITIVE[words[0]][0], 1
    rest = list(words[index : index + 4])
    if (
        len(rest) == 4
        and rest[0] in ("quarter", "quarters")
        and rest[1] == "of"
        and rest[2] in ARTICLES
        and rest[3] in SCALES
    ):
        return parts * SCALES[rest[3]] / 4, index + 4
    return None


def _read_cardinal(words: Sequence[str]) -> tuple[float, int] | None:
    total = group = 0.0
    last_cls = float("inf")
    last_scale = float("inf")
    used = 0
    seen = False
    index = 0
    if words[0] in ARTICLES:
        if len(words) < 2 or (words[1] not in SCALES and words[1] not in MULTIPLIERS):
            return None
        group, index = 1.0, 1
    while index < len(words):
        word = words[index]
        parts = _split([word])
        value = _value_of(word) if len(parts) == 1 else None
        if len(parts) > 1:
            values = [_value_of(p) for p in parts]
            if any(v is None for v in values):
                break
            value = (sum(v[0] for v in values if v), max(v[1] for v in values if v))
        if value is not None:
            number, cls = value
            if cls >= last_cls or (cls == _TEEN and last_cls not in (_HUNDRED, float("inf"))):
                break
            group += number
            last_cls = cls
        elif word in MULTIPLIERS:
            if last_cls <= _HUNDRED and group >= 100:
                break
            group = (group or 1) * MULTIPLIERS[word]
            last_cls = _HUNDRED
        elif word in SCALES:
            scale = SCALES[word]
            if scale >= last_scale:
                break
            if group == 0 and not seen and index > 0:
                break
            total += (group or 1) * scale
            group, last_cls, last_scale = 0.0, float("inf"), scale
        elif word in ("and", "et", "und") and seen and index + 1 < len(words):
            nxt = _value_of(words[index + 1])
            if nxt is None and words[index + 1] not in ("a",):
                break
            if words[index + 1] == "a" and index + 2 < len(words) and words[index + 2] == "half":
                group += 0.5
                index += 3
                used = index
                continue
            index += 1
            continue
        else:
            break
        seen = True
        index += 1
        used = index
    if not seen:
        return None
    return total + group, used
