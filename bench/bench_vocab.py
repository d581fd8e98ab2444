"""Word lists for the benchmark data generator (written for this project).

Words are drawn with Zipf-like frequencies (the first words of each list are the most
common), so a few terms match most claims and most terms match few, as in real text.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


EN = _words(
    """
Ukraine Russia the West NATO Kyiv Moscow government military soldiers war sanctions
Europe United States Zelensky Putin army weapons refugees Nazis regime elections media
propaganda attack provocation biolabs mercenaries volunteers troops economy gas prices
winter energy crisis security border Donbas Crimea Belarus Poland Germany France Britain
Moldova Georgia Baltic Lithuania Latvia Estonia Hungary Serbia coup protests president
minister parliament official report secret plan operation chemical nuclear dirty bomb
laboratory vaccine pandemic virus experiment children orphans organs trafficking
corruption oligarchs billions aid money stolen black market drones missiles tanks
artillery shells ammunition depot explosion fire sabotage genocide Russophobia Russian
speakers language churches Orthodox persecution bans terrorists extremists battalion
Azov nationalists fascists collaborators traitors instructors advisers bases occupation
puppet colony Washington Brussels Pentagon CIA Soros globalists elites LGBT values
traditional family sovereignty neutrality referendum annexation liberation
denazification demilitarisation peace talks negotiations treaty grain famine food crisis
Africa exports ports blockade ships convoy humanitarian corridor hospital school bombing
civilians victims staged fake actors crisis actors video photo Bucha Mariupol Kherson
Zaporizhzhia nuclear plant Vinnytsia Odesa Kharkiv Lviv recruited foreign fighters
legion contract salary thousands hundreds millions secretly hidden confirmed revealed
exposed leaked documents insiders sources claims allegedly
"""
)

RU = _words(
    """
Украина Россия Запад НАТО Киев Москва правительство военные солдаты война санкции Европа
США Зеленский Путин армия оружие беженцы нацисты режим выборы СМИ пропаганда нападение
провокация биолаборатории наёмники добровольцы войска экономика газ цены зима
энергетический кризис безопасность граница Донбасс Крым Белоруссия Польша Германия
Франция Британия Молдавия Грузия Прибалтика Литва Латвия Эстония переворот протесты
президент министр парламент чиновник доклад секретный план операция химическое ядерное
грязная бомба лаборатория вакцина пандемия вирус эксперимент дети сироты органы торговля
коррупция олигархи миллиарды помощь деньги украдены чёрный рынок беспилотники ракеты
танки артиллерия снаряды боеприпасы склад взрыв пожар диверсия геноцид русофобия
русскоязычные язык церкви православные преследование запреты террористы экстремисты
батальон Азов националисты фашисты коллаборационисты предатели инструкторы советники
базы оккупация марионеточный колония Вашингтон Брюссель Пентагон ЦРУ Сорос глобалисты
элиты ценности традиционная семья суверенитет нейтралитет референдум освобождение
денацификация демилитаризация мирные переговоры договор зерно голод продовольственный
кризис Африка экспорт порты блокада суда конвой гуманитарный коридор больница школа
бомбардировка мирные жители жертвы постановка фейк актёры видео фото Буча Мариуполь
Херсон Запорожье атомная станция Винница Одесса Харьков Львов завербовали иностранные
боевики легион контракт зарплата тысячи сотни миллионы тайно скрывают подтвердили
раскрыли разоблачили утечка документы источники якобы заявили
"""
)

UK = _words(
    """
Україна Росія Захід НАТО Київ Москва уряд військові солдати війна санкції Європа США
Зеленський Путін армія зброя біженці нацисти режим вибори медіа пропаганда напад
провокація біолабораторії найманці добровольці війська економіка газ ціни зима
енергетична криза безпека кордон Донбас Крим Білорусь Польща Німеччина Франція Британія
Молдова Грузія Балтія Литва Латвія Естонія переворот протести президент міністр
парламент посадовець доповідь таємний план операція хімічна ядерна брудна бомба
лабораторія вакцина пандемія вірус експеримент діти сироти органи торгівля корупція
олігархи мільярди допомога гроші вкрадені чорний ринок безпілотники ракети танки
артилерія снаряди боєприпаси склад вибух пожежа диверсія геноцид русофобія
російськомовні мова церкви православні переслідування заборони терористи екстремісти
батальйон Азов націоналісти фашисти колаборанти зрадники інструктори радники бази
окупація маріонетковий колонія Вашингтон Брюссель Пентагон ЦРУ Сорос глобалісти еліти
цінності традиційна родина суверенітет нейтралітет референдум звільнення мирні
переговори договір зерно голод продовольча криза Африка експорт порти блокада судна
конвой гуманітарний коридор лікарня школа бомбардування мирні мешканці жертви постановка
фейк актори відео фото Буча Маріуполь Херсон Запоріжжя атомна станція Вінниця Одеса
Харків Львів завербували іноземні бойовики легіон контракт зарплата тисячі сотні
мільйони таємно приховують підтвердили викрили витік документи джерела нібито заявили
"""
)

# Words that join content words into sentence-like text, per language.
GLUE = {
    "en": _words("the of and to in that is was are for on with by as from it not has have"),
    "ru": _words("и в на что не с по как это из за от для уже все его так"),
    "uk": _words("і в на що не з по як це із за від для вже всі його так"),
}

NARRATIVES = [
    ("ukraine-nazi-state", "Ukraine is a Nazi state"),
    ("western-biolabs", "Secret Western biolabs"),
    ("foreign-mercenaries", "Foreign mercenaries fight for Ukraine"),
    ("sanctions-backfire", "Sanctions hurt Europe more than Russia"),
    ("staged-atrocities", "Atrocities are staged"),
    ("nato-aggression", "NATO provoked the war"),
    ("refugees-threat", "Refugees are a threat"),
    ("weapons-black-market", "Western weapons end up on the black market"),
    ("corrupt-elites", "Corrupt Kyiv elites steal aid"),
    ("russophobia", "Russophobia and persecution of Russian speakers"),
    ("failed-state", "Ukraine is a failed state"),
    ("peace-blocked", "The West blocks peace"),
] + [(f"narrative-{i:02d}", f"Recurring storyline {i}") for i in range(1, 49)]

COUNTRIES = {
    "UA": "Ukraine", "RU": "Russia", "US": "United States", "DE": "Germany",
    "PL": "Poland", "FR": "France", "GB": "United Kingdom", "MD": "Moldova",
    "GE": "Georgia", "LT": "Lithuania", "LV": "Latvia", "EE": "Estonia", "BY": "Belarus",
    "HU": "Hungary", "RS": "Serbia", "CZ": "Czechia", "SK": "Slovakia", "RO": "Romania",
    "BG": "Bulgaria", "IT": "Italy", "ES": "Spain", "NL": "Netherlands", "SE": "Sweden",
    "FI": "Finland", "TR": "Turkey", "SY": "Syria", "IR": "Iran", "CN": "China",
}  # fmt: skip
