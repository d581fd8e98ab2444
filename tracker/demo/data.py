"""The demo data set, written by us.

Outlets are fictional (".example" domains) so that no real outlet is credited with a claim it
did not make. The seed figure is real: the UK Ministry of Defence intelligence update, citing
the Russian outlet iStories (Vazhnye Istorii), on foreign citizens recruited in Moscow.
"""

from __future__ import annotations

from datetime import date
from typing import Any

# fmt: off

# Typed loosely on purpose: the records mix strings, numbers, dates and lists, and the loader
# reads each field by name.
OUTLETS: list[dict[str, Any]] = [
    {"key": "frontline", "name": "Frontline Truth (demo)", "kind": "news_site", "country": "RU",
     "state_affiliated": False, "handles": ["frontline-truth.example"],
     "description": "Fictional pro-Kremlin news site used in the demo."},
    {"key": "zarya", "name": "Zarya TV (demo)", "kind": "tv_channel", "country": "RU",
     "state_affiliated": True, "handles": ["zarya-tv.example"],
     "description": "Fictional state-owned TV channel used in the demo."},
    {"key": "vestnik", "name": "Vestnik Segodnya (demo)", "kind": "state_media", "country": "RU",
     "state_affiliated": True, "handles": ["vestnik-segodnya.example", "t.me/vestnik_demo"],
     "description": "Fictional state news agency used in the demo."},
    {"key": "pravda_ua", "name": "Pravdyvi Novyny (demo)", "kind": "telegram_channel",
     "country": "UA", "state_affiliated": False, "handles": ["t.me/pravdyvi_novyny_demo"],
     "description": "Fictional anonymous Ukrainian-language Telegram channel used in the demo."},
    {"key": "monitor", "name": "Baltic Daily Monitor (demo)", "kind": "news_site",
     "country": "LV", "state_affiliated": False, "handles": ["baltic-monitor.example"],
     "description": "Fictional independent news site used in the demo."},
    {"key": "klartext", "name": "Klartext Aktuell (demo)", "kind": "blog", "country": "DE",
     "state_affiliated": False, "handles": ["klartext-aktuell.example"],
     "description": "Fictional German-language blog used in the demo."},
]

NARRATIVES = [
    {"slug": "foreign-volunteers-for-russia", "name": "Foreigners flock to fight for Russia",
     "description": "Claims that exaggerate foreign recruitment into Russia's army."},
    {"slug": "foreign-mercenaries-in-ukraine", "name": "Ukraine recruits foreign mercenaries",
     "description": "Claims that Ukraine's defence depends on NATO troops and mercenaries."},
    {"slug": "us-biolabs", "name": "US biolabs in Ukraine",
     "description": "Claims that laboratories in Ukraine develop biological weapons."},
    {"slug": "staged-atrocities", "name": "Atrocities are staged",
     "description": "Claims that documented war crimes were staged."},
    {"slug": "nazi-ukraine", "name": "Ukraine is run by Nazis",
     "description": "Claims that Ukraine's government is controlled by neo-Nazis."},
    {"slug": "sanctions-backfire", "name": "Sanctions hurt the West more than Russia",
     "description": "Claims that sanctions ruin Europe while Russia is unaffected."},
    {"slug": "nato-aggression", "name": "NATO provoked the war",
     "description": "Claims that NATO prepared or started an attack."},
    {"slug": "weapons-black-market", "name": "Western weapons end up on the black market",
     "description": "Claims that weapons sent to Ukraine are resold."},
    {"slug": "refugees-threat", "name": "Ukrainian refugees are a threat",
     "description": "Claims that refugees from Ukraine bring crime or ruin host countries."},
]

COUNTRIES = {
    "RU": "Russia", "UA": "Ukraine", "US": "United States", "DE": "Germany",
    "GB": "United Kingdom", "MD": "Moldova", "PL": "Poland", "LV": "Latvia", "MX": "Mexico",
}  # fmt: skip

USERS = [
    {"key": "admin", "email": "admin@example.org", "name": "Ada Admin", "role": "admin"},
    {"key": "editor", "email": "editor@example.org", "name": "Erik Editor", "role": "editor"},
    {"key": "editor2", "email": "editor2@example.org", "name": "Elena Editor", "role": "editor"},
    {"key": "analyst", "email": "analyst@example.org", "name": "Anna Analyst", "role": "analyst"},
    {"key": "analyst2", "email": "analyst2@example.org", "name": "Oleh Analyst", "role": "analyst"},
]

SEED_FIGURE: dict[str, Any] = {
    "key": "moscow_recruits",
    "subject": "foreign citizens recruited to fight for Russia in Moscow",
    "value": 1500,
    "qualifier": "more_than",
    "kind": "count",
    "unit": "people",
    "period_start": date(2023, 4, 1),
    "period_end": date(2024, 5, 31),
    "place": "Moscow",
    "publisher": "UK Ministry of Defence",
    "cited_source": "iStories (Vazhnye Istorii)",
    # The Defence Intelligence update of 27 April 2025, posted on X (reported that day by
    # UNN, Ukrinform and Euromaidan Press). We could not check the post's status id, so we
    # do not invent one: the link finds the MoD's posts of that day.
    "published_on": date(2025, 4, 27),
    "source_url": "https://x.com/search?q=from%3ADefenceHQ%20since%3A2025-04-27%20until%3A2025-04-28",
    # Our paraphrase of the update, not its exact wording.
    "quote": (
        "UK Defence Intelligence, citing recent research by the independent Russian outlet "
        "iStories (Vazhnye Istorii): more than 1,500 foreign citizens were recruited in Moscow "
        "to fight for Russia from April 2023 to the end of May 2024, most of them from South "
        "and East Asia (771), then from former Soviet republics (523) and Africa (72)."
    ),
    "article": "moscow_recruitment",
    "parts": [
        {"label": "South and East Asia", "value": 771},
        {"label": "Former Soviet republics", "value": 523},
        {"label": "Africa", "value": 72},
    ],
}

ARTICLES: list[dict[str, Any]] = [
    {"key": "moscow_recruitment", "is_ours": True,
     "url": "https://disinfo-tracker.example/articles/moscow-foreign-recruitment",
     "title": "Foreign recruitment in Moscow: what the published numbers say",
     "publisher": "Disinfo Tracker (demo)", "author": "Erik Editor", "language": "en",
     "published_on": date(2025, 5, 6), "rating": "false",  # after the MoD update it reports
     "claim_statement": "Russia has recruited tens of thousands of foreign volunteers in Moscow.",
     "text": (
         "Posts and broadcasts claim that tens of thousands of foreigners have signed up in "
         "Moscow to fight for Russia. The only published count we found is much lower. The UK "
         "Ministry of Defence, citing the Russian investigative outlet iStories (Vazhnye "
         "Istorii), reported that from April 2023 to the end of May 2024 more than 1,500 "
         "foreign citizens were recruited in Moscow: 771 from South and East Asia, 523 from "
         "former Soviet republics and 72 from Africa. That breakdown accounts for 1,366 people; "
         "the remaining 134 or more were not broken down by region. A claim of tens of "
         "thousands is at least 6.7 times higher than this figure."
     )},
    {"key": "biolabs", "is_ours": True,
     "url": "https://disinfo-tracker.example/articles/ukraine-biolabs",
     "title": "No evidence that laboratories in Ukraine develop biological weapons",
     "publisher": "Disinfo Tracker (demo)", "author": "Anna Analyst", "language": "en",
     "published_on": date(2022, 3, 15), "rating": "false",
     "claim_statement": "US biolabs in Ukraine are developing biological weapons.",
     "text": (
         "Public health laboratories in Ukraine have received international support to detect "
         "and contain dangerous pathogens, as such laboratories do in many countries. No "
         "evidence has been presented that they develop biological weapons; the claim has "
         "circulated in Russian state media since long before 2022."
     )},
    {"key": "bucha", "is_ours": True,
     "url": "https://disinfo-tracker.example/articles/bucha-not-staged",
     "title": "The killings in Bucha were not staged",
     "publisher": "Disinfo Tracker (demo)", "author": "Erik Editor", "language": "en",
     "published_on": date(2022, 4, 8), "rating": "false",
     "claim_statement": "The bodies in Bucha were placed there after Russian troops left.",
     "text": (
         "Satellite images taken while Russian forces occupied Bucha show bodies lying in the "
         "street at the same places where they were later filmed. Journalists, investigators "
         "and residents documented the killings independently."
     )},
    {"key": "vinnytsia", "is_ours": False,
     "url": "https://factcheck-partner.example/vinnytsia-depot-fire",
     "title": "Vinnytsia ammunition depot fire: no sign of a cover-up by soldiers",
     "publisher": "Partner Fact-Check Network (demo)", "author": "Staff", "language": "en",
     "published_on": date(2017, 10, 5), "rating": "unproven", "rating_text": "Unsupported",
     "claim_statement": "Explosions in Vinnytsia were organised by Ukrainian soldiers.",
     "text": (
         "Investigators considered several causes of the fire at the depot, including "
         "sabotage. No evidence supports the claim that soldiers caused it to cover up thefts."
     )},
    {"key": "nazis", "is_ours": True,
     "url": "https://disinfo-tracker.example/articles/ukraine-government-nazis",
     "title": "Is Ukraine's government controlled by neo-Nazis? No",
     "publisher": "Disinfo Tracker (demo)", "author": "Anna Analyst", "language": "en",
     "published_on": date(2022, 3, 2), "rating": "false",
     "claim_statement": "Ukraine is run by neo-Nazis who control the government.",
     "text": (
         "Far-right parties won about two percent of the vote in Ukraine's 2019 parliamentary "
         "election and hold no ministries. The president was elected with 73 percent of the vote."
     )},
    {"key": "sanctions", "is_ours": False,
     "url": "https://factcheck-partner.example/sanctions-gas-prices",
     "title": "Gas prices and sanctions: what the claim leaves out",
     "publisher": "Partner Fact-Check Network (demo)", "author": "Staff", "language": "en",
     "published_on": date(2023, 1, 12), "rating": "missing_context",
     "rating_text": "Missing context",
     "claim_statement": "Sanctions hurt Europe more than Russia.",
     "text": (
         "European gas prices peaked in August 2022 and fell back sharply within months. The "
         "peak followed Russia's own cuts to pipeline deliveries, not only sanctions."
     )},
]

# Each claim: text, language, summary, status, rating, rationale, outlet, appearances,
# narratives, countries, author (user key), optional articles and figure links. Claims that
# report or are checked against the seed figure appear after its publication (27 April 2025).
CLAIMS: list[dict[str, Any]] = [
    {"key": "tens_of_thousands_en", "language": "en", "status": "published", "rating": "false",
     "text": "Russia has recruited tens of thousands of foreign volunteers in Moscow alone, and "
             "more are queuing up every day to join the fight.",
     "summary": "Russia has recruited tens of thousands of foreign volunteers in Moscow.",
     "rationale": "The only published count, by the UK Ministry of Defence citing iStories, is "
                  "**more than 1,500** foreign citizens recruited in Moscow from April 2023 to "
                  "May 2024 — at least 6.7 times fewer than claimed.",
     "outlet": "frontline", "author": "analyst",
     "appearances": [("https://frontline-truth.example/2025/05/foreign-volunteers-moscow",
                      date(2025, 5, 12)),
                     ("https://t.me/vestnik_demo/4411", date(2025, 5, 14))],
     "narratives": ["foreign-volunteers-for-russia"], "countries": ["RU"],
     "articles": [("moscow_recruitment", "confirmed")],
     "figures": [("moscow_recruits", "tens of thousands", 10000, "overstates", "confirmed")]},
    {"key": "tens_of_thousands_ru", "language": "ru", "status": "published", "rating": "false",
     "text": "Только в Москве за год десятки тысяч иностранцев подписали контракт и "
             "отправились на фронт.",
     "summary": "Tens of thousands of foreigners signed contracts in Moscow alone in one year.",
     "rationale": "Published figures show more than 1,500 foreign recruits in Moscow over "
                  "fourteen months, not tens of thousands.",
     "outlet": "vestnik", "author": "analyst2",
     "appearances": [("https://vestnik-segodnya.example/news/2025/06/02/inostrantsy",
                      date(2025, 6, 2))],
     "narratives": ["foreign-volunteers-for-russia"], "countries": ["RU"],
     "articles": [("moscow_recruitment", "confirmed")],
     "figures": [("moscow_recruits", "десятки тысяч", 10000, "overstates", "suggested")]},
    {"key": "mod_figure_en", "language": "en", "status": "published", "rating": "accurate",
     "text": "The UK Ministry of Defence said Russia recruited more than 1,500 foreign citizens "
             "in Moscow between April 2023 and the end of May 2024.",
     "summary": "UK MoD: more than 1,500 foreign citizens recruited in Moscow, "
                "Apr 2023 – May 2024.",
     "rationale": "This matches the UK Ministry of Defence update, which cites iStories.",
     "outlet": "monitor", "author": "analyst",
     "appearances": [("https://baltic-monitor.example/world/uk-mod-moscow-recruits",
                      date(2025, 4, 28))],
     "narratives": ["foreign-volunteers-for-russia"], "countries": ["RU", "GB"],
     "articles": [("moscow_recruitment", "confirmed")],
     "figures": [("moscow_recruits", "more than 1,500", 1500, "consistent", "confirmed")]},
    {"key": "mod_figure_ru", "language": "ru", "status": "published", "rating": "accurate",
     "text": "Минобороны Великобритании сообщило, что с апреля 2023 по май 2024 года в Москве "
             "завербовали более 1500 иностранцев.",
     "summary": "UK MoD reported more than 1,500 foreigners recruited in Moscow, "
                "April 2023 – May 2024.",
     "rationale": "Accurately reports the UK Ministry of Defence figure.",
     "outlet": "monitor", "author": "analyst2",
     "appearances": [("https://baltic-monitor.example/ru/minoborony-velikobritanii-1500",
                      date(2025, 4, 29))],
     "narratives": ["foreign-volunteers-for-russia"], "countries": ["RU", "GB"],
     "figures": [("moscow_recruits", "более 1500", 1500, "consistent", "confirmed")]},
    {"key": "mod_figure_uk", "language": "uk", "status": "published",
     "rating": "missing_context",
     "text": "Понад 1 500 іноземців завербували в Москві — і це лише за один рік.",
     "summary": "More than 1,500 foreigners were recruited in Moscow in just one year.",
     "rationale": "The number is right, but the period was fourteen months (April 2023 – May "
                  "2024), not one year.",
     "outlet": "pravda_ua", "author": "analyst2",
     "appearances": [("https://t.me/pravdyvi_novyny_demo/1207", date(2025, 5, 1))],
     "narratives": ["foreign-volunteers-for-russia"], "countries": ["RU"],
     "figures": [("moscow_recruits", "Понад 1 500", 1500, "consistent", "confirmed")]},
    {"key": "vinnytsia", "language": "en", "status": "published", "rating": "false",
     "text": "Explosions in Vinnytsia were organised by Ukrainian soldiers themselves to cover "
             "up the theft of weapons before an audit.",
     "summary": "Explosions at the Vinnytsia depot were organised by Ukrainian soldiers.",
     "rationale": "Investigators examined several causes, including sabotage; there is no "
                  "evidence that soldiers caused the fire to hide thefts.",
     "outlet": "zarya", "author": "analyst",
     "appearances": [("https://zarya-tv.example/news/2017/10/03/vinnytsia",
                      date(2017, 10, 3))],
     "narratives": [], "countries": ["UA"],
     "articles": [("vinnytsia", "confirmed")]},
    {"key": "biolabs_ru", "language": "ru", "status": "published", "rating": "false",
     "text": "В Украине работают более 30 американских биолабораторий, где создают "
             "биологическое оружие против России.",
     "summary": "More than 30 US biolabs in Ukraine are developing biological weapons.",
     "rationale": "No evidence supports the claim; the laboratories are public health "
                  "facilities.",
     "outlet": "vestnik", "author": "analyst2",
     "appearances": [("https://vestnik-segodnya.example/news/2022/03/07/biolaboratorii",
                      date(2022, 3, 7)),
                     ("https://zarya-tv.example/news/2022/03/08/biolabs", date(2022, 3, 8))],
     "narratives": ["us-biolabs"], "countries": ["UA", "US"],
     "articles": [("biolabs", "confirmed")]},
    {"key": "bucha_ru", "language": "ru", "status": "published", "rating": "false",
     "text": "Трагедия в Буче — постановка: тела подбросили уже после ухода российских войск.",
     "summary": "The killings in Bucha were staged after Russian troops left.",
     "rationale": "Satellite images show the bodies while the town was still occupied.",
     "outlet": "zarya", "author": "analyst",
     "appearances": [("https://zarya-tv.example/news/2022/04/04/bucha", date(2022, 4, 4))],
     "narratives": ["staged-atrocities"], "countries": ["UA"],
     "articles": [("bucha", "confirmed")]},
    {"key": "nazis_en", "language": "en", "status": "published", "rating": "false",
     "text": "Ukraine is run by neo-Nazis who control the government and the army.",
     "summary": "Ukraine's government is controlled by neo-Nazis.",
     "rationale": "Far-right parties won about 2% in the 2019 election and hold no ministries.",
     "outlet": "frontline", "author": "analyst",
     "appearances": [("https://frontline-truth.example/2022/02/ukraine-regime",
                      date(2022, 2, 25))],
     "narratives": ["nazi-ukraine"], "countries": ["UA"],
     "articles": [("nazis", "confirmed")]},
    {"key": "gas_uk", "language": "uk", "status": "published", "rating": "missing_context",
     "text": "Західні санкції вдарили по Європі сильніше, ніж по Росії: ціни на газ у ЄС "
             "зросли вдесятеро.",
     "summary": "Sanctions hit Europe harder than Russia; EU gas prices rose tenfold.",
     "rationale": "Prices peaked briefly in 2022 and fell back; the peak followed Russia's own "
                  "supply cuts.",
     "outlet": "pravda_ua", "author": "analyst2",
     "appearances": [("https://t.me/pravdyvi_novyny_demo/388", date(2022, 9, 1))],
     "narratives": ["sanctions-backfire"], "countries": ["RU", "DE"],
     "articles": [("sanctions", "confirmed")]},
    {"key": "heating_de", "language": "de", "status": "published", "rating": "misleading",
     "text": "Deutschland friert wegen der Sanktionen: Millionen Haushalte sitzen ohne Heizung.",
     "summary": "Because of sanctions, millions of German households have no heating.",
     "rationale": "Heating costs rose, but there was no loss of heating for millions of homes.",
     "outlet": "klartext", "author": "analyst",
     "appearances": [("https://klartext-aktuell.example/2022/11/deutschland-friert",
                      date(2022, 11, 20))],
     "narratives": ["sanctions-backfire"], "countries": ["DE"],
     "articles": [("sanctions", "suggested")]},
    {"key": "instructors_en", "language": "en", "status": "published", "rating": "unproven",
     "text": "Hundreds of Western military instructors are secretly stationed in Kharkiv.",
     "summary": "Hundreds of Western instructors are secretly based in Kharkiv.",
     "rationale": "No evidence was offered, and none could be found for the claim or against it.",
     "outlet": "vestnik", "author": "analyst",
     "appearances": [("https://vestnik-segodnya.example/en/2023/05/kharkiv-instructors",
                      date(2023, 5, 10))],
     "narratives": ["foreign-mercenaries-in-ukraine"], "countries": ["UA"]},
    {"key": "borscht_ru", "language": "ru", "status": "published", "rating": "satire",
     "text": "Евросоюз запретит борщ как «продукт российской пропаганды».",
     "summary": "The EU will ban borscht as a 'product of Russian propaganda'.",
     "rationale": "This began as a joke on a satirical site and was later shared as news.",
     "outlet": "frontline", "author": "analyst2",
     "appearances": [("https://frontline-truth.example/ru/2023/04/borsch", date(2023, 4, 1))],
     "narratives": [], "countries": ["RU"]},
    {"key": "refugees_uk", "language": "uk", "status": "published", "rating": "false",
     "text": "Біженці з України в Німеччині скоїли тисячі злочинів лише за місяць, а влада це "
             "приховує.",
     "summary": "Ukrainian refugees in Germany committed thousands of crimes in a month.",
     "rationale": "No statistics support this number; the claim cites no source.",
     "outlet": "pravda_ua", "author": "analyst2",
     "appearances": [("https://t.me/pravdyvi_novyny_demo/902", date(2023, 2, 14))],
     "narratives": ["refugees-threat"], "countries": ["DE", "UA"]},
    {"key": "aid_en", "language": "en", "status": "published", "rating": "misleading",
     "text": "Ukraine received more than $100 billion in Western aid, and the money simply "
             "disappeared.",
     "summary": "Over $100 billion of Western aid to Ukraine disappeared.",
     "rationale": "Aid is tracked and audited by donors; the claim offers no evidence that it "
                  "disappeared.",
     "outlet": "frontline", "author": "analyst",
     "appearances": [("https://frontline-truth.example/2023/09/aid-vanished",
                      date(2023, 9, 5))],
     "narratives": ["weapons-black-market"], "countries": ["UA", "US"]},
    {"key": "church_flag_en", "language": "en", "status": "retracted", "rating": "false",
     "text": "A video shows Ukrainian soldiers burning a Russian flag inside an Orthodox church.",
     "summary": "Video shows Ukrainian soldiers burning a flag in a church.",
     "rationale": "The video was filmed elsewhere.",
     "correction_note": "We retracted this fact-check: the video we examined was not the one the "
                        "outlet published, so our verdict did not apply to the claim.",
     "outlet": "zarya", "author": "analyst",
     "appearances": [("https://zarya-tv.example/news/2023/01/church-video", date(2023, 1, 9))],
     "narratives": [], "countries": ["UA"]},
    {"key": "nato_attack_ru", "language": "ru", "status": "in_review", "rating": "false",
     "text": "НАТО готовило нападение на Донбасс в марте 2022 года, Россия лишь опередила удар.",
     "summary": "NATO was preparing an attack on Donbas in March 2022.",
     "rationale": "No documents or evidence of such a plan have been presented.",
     "outlet": "vestnik", "author": "analyst2",
     "appearances": [("https://vestnik-segodnya.example/news/2022/03/01/nato", date(2022, 3, 1))],
     "narratives": ["nato-aggression"], "countries": ["UA", "RU"]},
    {"key": "weapons_uk", "language": "uk", "status": "in_review", "rating": "misleading",
     "text": "Зброю, яку Захід передає Україні, масово перепродають на чорному ринку.",
     "summary": "Weapons given to Ukraine are resold on the black market on a mass scale.",
     "rationale": "Isolated investigations exist, but no evidence of mass resale.",
     "outlet": "pravda_ua", "author": "analyst",
     "appearances": [("https://t.me/pravdyvi_novyny_demo/655", date(2023, 6, 3))],
     "narratives": ["weapons-black-market"], "countries": ["UA"]},
    {"key": "cartels_en", "language": "en", "status": "draft", "rating": None,
     "text": "Western weapons sent to Ukraine are ending up with drug cartels in Mexico.",
     "summary": "Weapons sent to Ukraine end up with Mexican cartels.",
     "rationale": None, "outlet": "frontline", "author": "analyst",
     "appearances": [("https://frontline-truth.example/2023/08/cartels", date(2023, 8, 2))],
     "narratives": ["weapons-black-market"], "countries": ["UA", "MX"]},
    {"key": "dirty_bomb_ru", "language": "ru", "status": "draft", "rating": None,
     "text": "Киев готовит провокацию с «грязной бомбой», чтобы обвинить Россию.",
     "summary": "Kyiv is preparing a 'dirty bomb' provocation to blame Russia.",
     "rationale": None, "outlet": "zarya", "author": "analyst2",
     "appearances": [("https://zarya-tv.example/news/2022/10/23/dirty-bomb",
                      date(2022, 10, 23))],
     "narratives": ["nato-aggression"], "countries": ["UA"]},
    {"key": "air_defence_uk", "language": "uk", "status": "returned", "rating": "false",
     "text": "Росія не б'є по цивільній інфраструктурі, руйнування в містах — це наслідок "
             "роботи української ППО.",
     "summary": "Russia does not strike civilian infrastructure; damage comes from Ukrainian "
                "air defence.",
     "rationale": "Draft rationale pending sources.",
     "comment": "Please add the first appearance and link the strike reports before this goes "
                "out.",
     "outlet": "pravda_ua", "author": "analyst2",
     "appearances": [("https://t.me/pravdyvi_novyny_demo/1010", date(2023, 10, 11))],
     "narratives": ["staged-atrocities"], "countries": ["UA"]},
    {"key": "gdp_en", "language": "en", "status": "returned", "rating": "missing_context",
     "text": "Sanctions have not affected the Russian economy at all: it grew faster than any "
             "economy in Europe.",
     "summary": "Sanctions have had no effect on Russia's economy.",
     "rationale": "Growth was driven by military spending.",
     "comment": "The rationale needs a source for the growth numbers. Returning for now.",
     "outlet": "vestnik", "author": "analyst",
     "appearances": [("https://vestnik-segodnya.example/en/2024/02/economy", date(2024, 2, 9))],
     "narratives": ["sanctions-backfire"], "countries": ["RU"]},
    {"key": "moldova_uk", "language": "uk", "status": "published", "rating": "false",
     "text": "У Молдові за вказівкою Заходу готують військовий переворот.",
     "summary": "A Western-ordered military coup is being prepared in Moldova.",
     "rationale": "No evidence was offered for the claim.",
     "outlet": "pravda_ua", "author": "analyst2",
     "appearances": [("https://t.me/pravdyvi_novyny_demo/1502", date(2024, 10, 15))],
     "narratives": ["nato-aggression"], "countries": ["MD"]},
    {"key": "mercenaries_ru", "language": "ru", "status": "published", "rating": "false",
     "text": "На стороне Киева воюют десятки тысяч наёмников из стран НАТО.",
     "summary": "Tens of thousands of NATO mercenaries are fighting for Kyiv.",
     "rationale": "No evidence supports the number; foreign volunteers in Ukraine's army are "
                  "counted in the low thousands in public reports.",
     "outlet": "zarya", "author": "analyst",
     "appearances": [("https://zarya-tv.example/news/2023/03/12/naemniki", date(2023, 3, 12))],
     "narratives": ["foreign-mercenaries-in-ukraine"], "countries": ["UA"]},
]

DEMO_NOW = date(2024, 11, 1)
# fmt: on
