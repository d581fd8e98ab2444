"""The analyser: the same tokens for every script, spelling and language."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tracker.search.analysis import (
    analyse,
    fold,
    guess_cyrillic_language,
    index_terms,
    is_stopword,
    matched_spans,
    query_keys,
    query_variants,
)
from tracker.search.snippet import snippet
from tracker.search.translit import name_key
from tracker.search.ukrainian import stem as uk_stem


def terms(text: str, lang: str | None = None) -> list[str]:
    return index_terms(text, lang)[0]


def test_nfkc_makes_full_width_letters_plain():
    assert terms("Ｐｕｔｉｎ") == terms("Putin")


@pytest.mark.parametrize(
    ("one", "other", "lang"),
    [
        ("MÜNCHEN", "münchen", "de"),
        ("Munchen", "München", "de"),
        ("École", "ecole", "fr"),
        ("FRANÇAISE", "francaise", "fr"),
        ("Straße", "strasse", "de"),
    ],
)
def test_case_and_accents_do_not_matter(one, other, lang):
    assert terms(one, lang) == terms(other, lang)


def test_yo_folds_to_ye():
    assert fold("Ёлка") == fold("елка")


def test_short_i_stays_distinct_from_i():
    assert fold("край") != fold("краи")


def test_ukrainian_yi_keeps_its_diaeresis():
    assert fold("Їжак") == "їжак"


def test_stress_marks_are_removed():
    assert fold("приве́т") == "привет"


@pytest.mark.parametrize("spelling", ["м'ясо", "мʼясо", "м’ясо", "мясо"])
def test_ukrainian_apostrophes_are_one_word(spelling):
    assert terms(spelling, "uk") == terms("мʼясо", "uk")


def test_french_elision_is_cut_off():
    assert terms("l'Ukraine", "fr") == terms("Ukraine", "fr")


def test_english_possessive_is_removed():
    assert terms("Zelensky's", "en") == terms("Zelensky", "en")


@pytest.mark.parametrize("number", ["1,500", "1.500", "1\u00a0500", "1500"])
def test_thousands_separators_make_one_number(number):
    assert terms(number) == ["1500"]


def test_decimal_number_keeps_its_parts_in_order():
    assert terms("3.5") == ["3", "5"]


def test_hyphenated_word_splits():
    assert terms("covid-19") == ["covid", "19"]


def test_hashtag_gives_parts_and_whole():
    assert terms("#AustralianFires", "en") == ["australian", "fire", "australianfir"]


def test_url_gives_host_and_slug_words_not_ids():
    assert terms("https://rt.com/news/war-5521/ pic.twitter.com/0eJtwJyS1J", "en") == [
        "rt",
        "com",
        "news",
        "war",
        "pic",
        "twitter",
        "com",
    ]


def test_handle_is_a_word():
    assert terms("@IlhanMN") == ["ilhanmn"]


def test_emoji_and_punctuation_give_no_terms():
    assert terms("🙂 --- !!! ***") == []


def test_unknown_cyrillic_with_ukrainian_letters_is_stemmed_as_ukrainian():
    assert guess_cyrillic_language("Україна вербує іноземних найманців") == "uk"


def test_unknown_cyrillic_without_ukrainian_letters_is_stemmed_as_russian():
    assert guess_cyrillic_language("Россия вербует иностранных наёмников") == "ru"


def test_russian_case_endings_meet():
    assert terms("войны", "ru") == terms("война", "ru")


def test_ukrainian_case_endings_meet():
    assert terms("війною", "uk") == terms("війна", "uk")


def _meets(query: str, text: str, lang: str) -> bool:
    """Whether a query word (language unknown, as on the search page) finds the text."""
    return bool(set(query_variants(query)) & set(terms(text, lang)))


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("іноземець", "іноземців"),
        ("іноземця", "Іноземець"),
        ("біженець", "біженці"),
        ("найманець", "найманцями"),
        ("українець", "українців"),
        ("Київ", "Києва"),
        ("Київ", "Києві"),
        ("Києва", "Київ"),
        ("Харків", "Харкові"),
        ("Миколаєва", "Миколаїв"),
        ("захід", "Заходу"),
        ("рік", "році"),
    ],
)
def test_ukrainian_dictionary_forms_meet_the_other_cases(query, text):
    assert _meets(query, text, "uk")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("иностранец", "иностранцев"),
        ("иностранцы", "иностранец"),
        ("беженец", "беженцами"),
        ("немец", "немцы"),
        ("отец", "отца"),
        ("Киев", "Киева"),
        ("Киеве", "Киев"),
    ],
)
def test_russian_dictionary_forms_meet_the_other_cases(query, text):
    assert _meets(query, text, "ru")


@pytest.mark.parametrize("word", ["київ", "вона", "світу", "сили", "дні"])
def test_ukrainian_stems_keep_at_least_three_letters(word):
    assert len(uk_stem(word)) >= 3


# Texts that exercise every step of the analyser. Their terms are fingerprinted: when the
# fingerprint changes, analysis changed, and the indexes hold terms queries no longer make.
ANALYSER_SAMPLES = [
    ("Russia has recruited tens of thousands of foreign volunteers in Moscow's suburbs.", "en"),
    ("Россия завербовала иностранцев в Киеве; иностранец из Киев получил 1 500 рублей.", "ru"),
    ("Ёлка, приве́т! Это его бой.", "ru"),
    ("Україна вербує іноземних найманців у Києві, Харкові та Миколаєві; мʼясо, рік, році.", "uk"),
    ("Die Straße in MÜNCHEN; l'École française à Kyiv.", None),
    ("#AustralianFires https://rt.com/news/war-5521/ @IlhanMN covid-19 2½ 1,500 3.5", None),
    ("Навальный Zelenskyy Зеленського Їжак край краи", None),
]
ANALYSER_FINGERPRINTS = {2: "61ceba45214f082d", 3: "29d90dabea9846ff"}


def test_analysis_changes_come_with_a_new_analyser_version():
    import hashlib
    import json

    from tracker.search import ANALYSER_VERSION

    analysed = [index_terms(text, lang) for text, lang in ANALYSER_SAMPLES]
    digest = hashlib.sha256(json.dumps(analysed, ensure_ascii=False).encode()).hexdigest()[:16]
    # If this fails after a change to analysis: bump ANALYSER_VERSION, add its fingerprint
    # here, and add a migration that rebuilds the indexes (see migrations 0012 and 0015).
    assert ANALYSER_FINGERPRINTS.get(ANALYSER_VERSION) == digest


def test_query_word_expands_to_the_stems_of_both_cyrillic_languages():
    assert set(query_variants("війною")) >= {uk_stem("війною")}


def test_query_word_with_known_language_has_one_stem():
    assert query_variants("soldiers", "en") == ("soldier",)


def test_offsets_point_at_the_original_text():
    text = "Die Straße, bitte"
    token = analyse(text, "de")[1]
    assert text[token.start : token.end] == "Straße"


@pytest.mark.parametrize(
    "spelling", ["Зеленский", "Зеленського", "Зеленському", "Zelensky", "Zelenskyy", "Zelenskiy"]
)
def test_name_spellings_share_a_key(spelling):
    assert name_key(fold(spelling)).removeprefix("_c").removeprefix("_l") == "zelonsk"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Kyiv", "Kiev", "Київ", "Києва", "Киев", "Киеве"],
        ["Kharkiv", "Kharkov", "Харків", "Харкові", "Харьков", "Харькове"],
        ["Lviv", "Львів", "Львова", "Львов"],
        ["Zaporizhzhia", "Запоріжжя", "Запорожье"],
        ["Chernihiv", "Чернігів", "Чернигов"],
        ["Mykolaiv", "Миколаїв", "Миколаєва", "Николаев", "Николаеве"],
    ],
)
def test_ukrainian_and_russian_spellings_of_a_place_share_a_key(spellings):
    keys = {
        name_key(fold(spelling)).removeprefix("_c").removeprefix("_l") for spelling in spellings
    }
    assert len(keys) == 1, keys


def test_a_query_name_meets_its_own_script_spellings_only_when_asked():
    assert query_keys("Харьков") == (name_key(fold("Kharkiv")),)
    assert query_keys("Харьков", same_script=True) == (
        name_key(fold("Kharkiv")),
        name_key(fold("Харків")),
    )


@pytest.mark.parametrize(("english", "cyrillic"), [("Moscow", "Москве"), ("Crimea", "Крыму")])
def test_english_place_names_meet_their_cyrillic_names(english, cyrillic):
    assert name_key(fold(english), for_query=True) == name_key(fold(cyrillic))
    assert name_key(fold(cyrillic), for_query=True) == name_key(fold(english))


def test_cyrillic_name_key_is_what_a_latin_query_looks_for():
    assert name_key(fold("Навального")) == name_key(fold("Navalny"), for_query=True)


def test_latin_name_key_is_what_a_cyrillic_query_looks_for():
    assert name_key(fold("Navalny")) == name_key(fold("Навальный"), for_query=True)


def test_only_capitalised_words_carry_index_keys():
    assert index_terms("навальный и Навальный", "ru")[1] == ["_cnavaln"]


def test_stop_words_depend_on_the_language():
    assert is_stopword("war", "de") and not is_stopword("war", "en")


def test_stop_words_of_unknown_language_are_english_for_latin_words():
    assert is_stopword("The") and not is_stopword("die")


def _bench(name):
    path = Path(__file__).resolve().parents[1] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ukrainian_stemmer_conflates_the_written_paradigms():
    good, total, _stems = _bench("eval_ukrainian_stemmer").measure()
    assert good / total >= 0.95


def test_ukrainian_stemmer_keeps_lemmas_apart():
    _good, _total, stems = _bench("eval_ukrainian_stemmer").measure()
    main_stems = [counts.most_common(1)[0][0] for counts in stems.values()]
    assert len(set(main_stems)) == len(main_stems)


def test_snippet_marks_matched_words_in_any_form():
    assert (
        snippet("Війна в Україні триває", "війною", "uk") == "<mark>Війна</mark> в Україні триває"
    )


def test_snippet_escapes_html():
    assert snippet("<b>war</b> & peace", "war") == "&lt;b&gt;<mark>war</mark>&lt;/b&gt; &amp; peace"


def test_snippet_marks_transliterated_names():
    assert "<mark>Навального</mark>" in snippet("Суд над Навального", "Navalny", "ru")


def test_snippet_of_long_text_centres_on_the_match():
    text = "filler " * 100 + "the decisive word appears here " + "filler " * 100
    shown = snippet(text, "decisive", width=80)
    assert "<mark>decisive</mark>" in shown and shown.startswith("…") and shown.endswith("…")


def test_snippet_without_match_shows_the_beginning():
    assert snippet("Plain text here", "absent") == "Plain text here"


def test_latin_spellings_find_most_cyrillic_name_forms():
    found, total, _cyr_found, _cyr_total, _shared = _bench("eval_name_keys").measure()
    assert found / total >= 0.85


def test_different_names_do_not_share_a_key():
    assert _bench("eval_name_keys").measure()[4] == []


def test_nfkc_punctuation_does_not_split_a_term():
    assert terms("2½") == ["212"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("NATO's troops in Kyiv: 1,500 mercenaries, not 15 000.", "en"),
        ("Зеленский бежал из Киева, сообщает RT; «НАТО» молчит.", "ru"),
        ("Україна та НАТО: п'ять тисяч іноземців у Києві", "uk"),
        ("See https://rt.com/news/nato-kyiv and #StopNATO in Kyiv", None),
    ],
)
def test_matched_spans_are_the_analysed_words_in_the_query(text, lang):
    # matched_spans has its own fast path for plain text; it must find what analyse() does.
    tokens = analyse(text, lang)
    wanted = frozenset({tokens[1].term, tokens[-1].term, tokens[-1].key} - {""})
    expected = [(t.start, t.end) for t in tokens if t.term in wanted or t.key in wanted]
    assert matched_spans(text, lang, wanted) == expected
    assert expected
