"""Regular expressions for the words around a number: qualifiers, scales, units, vague amounts.

Every table covers English, Russian, Ukrainian, German and French at once: the words hardly
collide, and claims often mix languages. Patterns are matched at a given position with
``re.Pattern.match``, so each one describes what may follow (or, for ``*_BEFORE``, what may
end just before) a number.
"""

from __future__ import annotations

import re

# Any space, including one line break (pasted text is often hard-wrapped), but not a blank
# line: no quantity spans two paragraphs.
SP = r"(?:[^\S\n]|\n(?![^\S\n]*\n))"
NOT_LETTER_AFTER = r"(?![^\W\d_])"
NOT_LETTER_BEFORE = r"(?<![^\W\d_])"


def _phrases(words: str) -> str:
    """Alternation of ``|``-separated phrases, longest first, spaces matching any space."""
    items = sorted((w.strip() for w in words.split("|") if w.strip()), key=len, reverse=True)
    return "|".join(re.escape(item).replace(r"\ ", SP + "+") for item in items)


_QUALIFIERS = {
    "more_than": (
        "more than|over|at least|above|in excess of|upwards of|no fewer than|no less than|"
        "not less than|a minimum of|well over|just over|"
        "более чем|более|больше чем|больше|свыше|не менее чем|не менее|не меньше|как минимум|"
        "минимум|по меньшей мере|по крайней мере|чуть более|чуть больше|"
        "понад|більше ніж|більш ніж|більше|щонайменше|не менше ніж|не менш ніж|не менше|"
        "принаймні|як мінімум|мінімум|"
        "mehr als|über|mindestens|wenigstens|weit über|"
        "plus de|au moins|pas moins de|au-delà de|"
        # Verbs of exceeding: "losses exceeded 500,000", "потери превысили 500 тыс."
        "exceeded|exceeds|exceed|exceeding|surpassed|surpasses|topped|tops|"
        "превысили|превысил|превысила|превысило|превышают|превышает|превысят|превысит|"
        "перевищили|перевищив|перевищила|перевищило|перевищують|перевищує|"
        "überstiegen|überstieg|übersteigen|übersteigt|übertrafen|übertraf|übertreffen|"
        "ont dépassé|a dépassé|dépassent|dépasse"
    ),
    "less_than": (
        "less than|fewer than|under|below|up to|no more than|not more than|at most|"
        "a maximum of|just under|"
        "менее чем|менее|меньше чем|меньше|не более чем|не более|не больше|до|вплоть до|"
        "максимум|"
        "менше ніж|менш ніж|менше|не більше ніж|не більш ніж|не більше|аж до|"
        "weniger als|unter|bis zu|höchstens|maximal|nicht mehr als|"
        "moins de|jusqu'à|jusqu’à|au plus|pas plus de"
    ),
    "about": (
        "about|around|approximately|approx.|roughly|some|nearly|almost|close to|circa|ca.|"
        "an estimated|estimated|"
        "около|примерно|приблизительно|порядка|почти|где-то|почти что|чуть менее|чуть меньше|"
        "близько|приблизно|майже|біля|порядку|орієнтовно|десь|"
        "fast|rund|etwa|ungefähr|zirka|knapp|annähernd|nahezu|beinahe|"
        "environ|près de|presque|quelque|autour de|approximativement|quasiment|à peu près"
    ),
}
#: qualifier phrase ending right before a number (match against the text before it).
QUALIFIER_BEFORE = re.compile(
    "|".join(
        rf"(?P<{name}>{NOT_LETTER_BEFORE}(?:{_phrases(words)}){SP}+$)"
        for name, words in _QUALIFIERS.items()
    )
    + r"|(?P<about_sign>[~≈]"
    + SP
    + "*$)",
    re.IGNORECASE,
)
#: a word for "year" after a year ("2023 года", "у 2022 році"); and the years we read as years.
YEAR_WORD = r"(?:года|году|год|г\.|року|році|рік|р\.)(?![^\W\d_])"
_YEARS = (1800, 2100)


def is_year(number: int) -> bool:
    return _YEARS[0] <= number <= _YEARS[1]


#: qualifiers that also mean "until" before a year ("до 2025 года").
TEMPORAL_QUALIFIERS = frozenset({"до", "bis zu", "up to", "jusqu'à", "jusqu’à"})
#: what claims count, right after a number: "до 2000 человек" is at most 2,000 people, not
#: until the year 2000 (a year is followed by a verb, a month or nothing of the kind).
COUNT_NOUN_AFTER = re.compile(
    SP + r"+(?:человек|людей|солдат|военных|военнослужащих|бойцов|иностранцев|наемников|"
    r"наёмников|беженцев|детей|погибших|раненых|пленных|граждан|жителей|мирных|единиц|"
    r"танков|дронов|беспилотников|ракет|снарядов|"
    r"осіб|людей|солдатів|військових|військовослужбовців|бійців|іноземців|найманців|"
    r"біженців|дітей|загиблих|поранених|полонених|громадян|жителів|мирних|одиниць|танків|"
    r"дронів|безпілотників|ракет|снарядів|"
    r"people|persons|soldiers|troops|servicemen|fighters|foreigners|mercenaries|refugees|"
    r"children|civilians|prisoners|casualties|tanks|drones|missiles|shells|"
    r"menschen|soldaten|söldner|flüchtlinge|kinder|zivilisten|panzer|drohnen|raketen)"
    + NOT_LETTER_AFTER,
    re.IGNORECASE,
)

#: qualifier written after the number: "1,500+", "тысяча с лишним", "5,000 or more".
QUALIFIER_AFTER = re.compile(
    r"(?P<more_than>\+(?!\d)|"
    + SP
    + r"+(?:"
    + _phrases(
        "or more|and more|and above|or above|и более|и больше|и свыше|с лишним|с небольшим|"
        "с гаком|і більше|і понад|з гаком|з лишком|und mehr|oder mehr|et plus|ou plus"
    )
    + r")"
    + NOT_LETTER_AFTER
    + r")|(?P<about>"
    + SP
    + r"+or"
    + SP
    + r"+so"
    + NOT_LETTER_AFTER
    + r"|-odd"
    + NOT_LETTER_AFTER
    + r")",
    re.IGNORECASE,
)

#: scale words after a number. Groups: thousand, million, billion, trillion; ``*_m`` only
#: count where the amount is money ("USD 3m" but not "3m" of cable).
SCALE_AFTER = re.compile(
    SP
    + r"*(?:"
    + r"(?P<thousand>thousands?|тысяч(?:ами|ам|ах|ей|а|и|у|е)?|тыс\.?|тисяч(?:ами|ам|ах|ею|а|і|у)?"
    + r"|тис\.?|tausend|tsd\.?|mille|k)"
    + r"|(?P<million>millions?|mln|mn|млн|миллион(?:ами|ам|ах|ов|ом|а|у|е|ы)?"
    + r"|мільйон(?:ами|ам|ах|ів|ом|а|у|і|и)?|mio\.?|millionen)"
    + r"|(?P<billion>billions?|bn|bln|млрд|миллиард(?:ами|ам|ах|ов|ом|а|у|е|ы)?"
    + r"|мільярд(?:ами|ам|ах|ів|ом|а|у|і|и)?|mrd\.?|milliarden?|milliards?)"
    + r"|(?P<trillion>trillions?|tn|trn|трлн|триллион(?:ами|ам|ах|ов|ом|а|у|е|ы)?"
    + r"|трильйон(?:ами|ам|ах|ів|ом|а|у|і|и)?|billionen)"
    + r"|(?P<million_m>m)|(?P<billion_m>b)"
    + r")"
    + NOT_LETTER_AFTER,
    re.IGNORECASE,
)
SCALE_VALUES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "million_m": 1e6,
    "billion_m": 1e9,
}

_CURRENCY_WORDS = {
    "USD": r"(?:us[- ]?)?dollars?|доллар(?:ов|ами|ам|ах|а|ы|у)?|долл\.?"
    r"|долар(?:ів|ами|ам|ах|а|и|у)?|дол\.|(?:us-)?dollar|usd|us\$|\$",
    "EUR": r"euros?|евро|євро|eur|€",
    "RUB": r"roubles?|rubles?|рубл(?:ей|ями|ям|ях|ь|я|ю|е)|рублів|руб\.?|rubel|rub|₽",
    "UAH": r"hryvni?as?|hryvnya|hryvnas?|грив(?:ен|ны|на|ну|не|нах|нями|ням|ень|ні|ня|ню|нею)|грн"
    r"|hrywnj?a|uah|₴",
    "GBP": rf"pounds?{SP}+sterling|фунт(?:ов|а)?{SP}+стерлингов|gbp|£",
    "CHF": rf"chf|swiss{SP}+francs?|franken",
}
#: a currency after a number (and its scale): "2 млрд рублей", "50 milliards d'euros".
CURRENCY_AFTER = re.compile(
    SP
    + r"*(?:(?:of|de)"
    + SP
    + r"+|d['’])?(?:"
    + "|".join(f"(?P<{code}>{pattern})" for code, pattern in _CURRENCY_WORDS.items())
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
#: a currency symbol or code right before a number: "$2 billion", "USD 3m", "€500".
CURRENCY_BEFORE = re.compile(
    r"(?:(?P<USD>(?<![^\W\d_])(?:US|A|C)?\$|(?<![^\W\d_])USD)|(?P<EUR>€|(?<![^\W\d_])EUR)"
    r"|(?P<GBP>£|(?<![^\W\d_])GBP)|(?P<RUB>₽|(?<![^\W\d_])RUB)|(?P<UAH>₴|(?<![^\W\d_])UAH)"
    r"|(?P<CHF>(?<![^\W\d_])CHF))" + SP + r"?$"
)

#: percent after a number: "15%", "15 percent", "15 процентов", "15 відсотків", "15 Prozent".
PERCENT_AFTER = re.compile(
    SP
    + r"*(?:%|％|"
    + _phrases(
        "percentage points|percentage point|percent|per cent|pct|процентных пункта|"
        "процентных пунктов|процентного пункта|п.п.|відсоткових пунктів|відсоткового пункта|"
        "prozentpunkte|prozent|pour cent|pourcent|points de pourcentage"
    )
    + r"|процент(?:ов|ами|ам|ах|а|у|ы)?|відсот(?:ок|ка|ки|ків|ками|кам|ках)"
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)

#: words after a number that make it a time, a duration, an age or a measurement, not a count.
NOT_A_COUNT_AFTER = re.compile(
    SP
    + r"*-?"
    + SP
    + r"*(?:years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|decades?"
    + r"|centuries|century|a\.?m\.?|p\.?m\.?|o'clock|лет|год(?:а|у|ом|е|ы|ов|ах|ам)?|гг?\.|"
    + r"месяц(?:а|ев|ы|ам|ах)?|недел(?:я|и|ь|ю|ям|ях)|дн(?:я|ей|и|ям|ях)|день|час(?:а|ов|ы)?|"
    + r"минут(?:а|ы|у)?|секунд(?:а|ы|у)?|утра|вечера|ночи|"
    + r"рок(?:у|и|ів|ах|ам)?|рік|році|р\.|рр\.|місяц(?:ь|я|і|ів)|тиж(?:день|ні|нів|ня)|"
    + r"дн(?:ів|і)|годин(?:а|и|у)?|хвилин(?:а|и|у)?|ранку|вечора|ночі|"
    + r"jahr(?:e|en|es)?|monat(?:e|en)?|wochen?|tag(?:e|en)?|stunden?|minuten?|sekunden?|uhr|h|"
    + r"ans|années?|mois|semaines?|jours?|heures?|"
    + r"km|kms|kilometres?|kilometers?|miles?|m²|km²|kg|kilograms?|tons?|tonnes?|"
    + r"км|кг|тонн(?:а|ы|у)?|метр(?:а|ов|ів)?|кілометр(?:а|ів)?|километр(?:а|ов)?|litres?|liters?"
    + r"|°"
    # multipliers and fractions: "10 times", "в 10 раз", "zehnmal", "two thirds"
    + r"|times|раза?|рази|разів|mal|fois|thirds?|quarters?|fifths?|трет(?:ь|и|ей)"
    + r"|четверт(?:ь|и|ей)|третин(?:а|и)|чверт(?:ь|і|ей)|drittel|viertel|tiers|quarts?"
    # a unit's number: "93 ОМБр", "47 ОМБр", "3 ОШБр" (brigade abbreviations)
    + r"|о[а-яєії]{0,4}бр"
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)

#: words before a number that make it an identifier: "Article 5", "No. 2758", "пункт 3",
#: also the second number of "§§ 79-80" and "articles 5–6".
IDENTIFIER_BEFORE = re.compile(
    r"(?:№|#|§|"
    + NOT_LETTER_BEFORE
    + r"(?:no\.|nr\.|number|номер|пункт[ыи]?|п\.|статья|статьи|статье|статтю|стаття|статті|"
    + r"artikel|art\.|articles?|resolution|резолюци[яиюе]|резолюці[яїюі]|chapter|page|part|"
    + r"часть|частина|глава|розділ|paragraph|абзац|section|раздел|flight|рейса?|issue|review|"
    + r"выпуск|випуск|ausgabe|episode|эпизод|серия|серія|channel|канал|kanal|version|версия|"
    # weapons named with a number: "Leopard 2", "Challenger 2", "Mirage 2000"
    + r"leopard|леопард|challenger|челленджер|mirage|мираж|міраж|marder|gepard))"
    + SP
    + r"*(?:\d+"
    + SP
    + r"*[-–]"
    + SP
    + r"*)?$",
    re.IGNORECASE,
)

#: "and a half" between a number and its scale: "two and a half million".
AND_A_HALF = re.compile(
    SP + r"+(?:and" + SP + r"+a" + SP + r"+half|с" + SP + r"+половиной|з" + SP + r"+половиною)",
    re.IGNORECASE,
)
