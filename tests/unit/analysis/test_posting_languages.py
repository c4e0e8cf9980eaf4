"""Postings in French, German, Spanish and Dutch read like their English twin: the same
required skills (alternatives grouped), nice-to-haves and years. Words in any alphabet are
words."""

from __future__ import annotations

from common.analysis.posting import (
    Posting,
    _kind_of_line,
    _pieces,
    _words,
    read_posting,
    skills_in,
)


def test_accented_words_are_whole_words() -> None:
    from common.analysis.lexical import TOKEN

    assert TOKEN.findall("Réaliser des analyses, Übersicht, año") == [
        "Réaliser", "des", "analyses", "Übersicht", "año",
    ]  # fmt: skip
    assert TOKEN.findall("snake_case and __init__") == ["snake", "case", "and", "init"]
    # lower-case words, joined, as the cues read them
    assert _words("Profil Recherché : Wünschenswert, AÑOS")[1] == [
        "profil", "recherché", "wünschenswert", "años",
    ]  # fmt: skip
    assert " ".join(_pieces("Über uns\nDein Profil")).lower() == "über uns \n dein profil"
    assert "r" not in skills_in("Réaliser des analyses de risque. Rôle clé.")
    assert "r" in skills_in("Statistik mit R und Python")
    # an underscore parts words without ending a sentence (no space is made of it)
    assert _pieces("fin._suite") == ["fin", "suite"]
    assert _pieces("fin. suite") == ["fin", "", "suite"]


# one posting, written five times for these tests: duties and benefits name skills too, which
# are not requirements
ENGLISH = """Meridian Ledger builds payment software for banks,
with React and Angular front ends.

Responsibilities
- Run our services on Kubernetes
- Build internal tools with Django

Requirements
- 5+ years of experience in backend development
- Experience with Java or Go
- Strong knowledge of PostgreSQL
- Python for scripting

Nice to have
- Kafka
- Rust is a plus

What we offer
- A Docker and Terraform training budget"""

FRENCH = """Meridian Ledger conçoit des logiciels de paiement pour les banques,
avec des interfaces React et Angular.

Vos missions :
- Réaliser l'exploitation de nos services sur Kubernetes
- Développer des outils internes avec Django

Profil recherché :
- 5 ans d'expérience minimum en développement backend
- Une expérience avec Java ou Go
- Très bonne maîtrise de PostgreSQL
- Python pour l'automatisation

Atouts :
- Kafka
- Rust serait un plus

Ce que nous offrons :
- Un budget formation Docker et Terraform"""

GERMAN = """Meridian Ledger entwickelt Zahlungssoftware für Banken,
mit Oberflächen in React und Angular.

Deine Aufgaben:
- Du betreibst unsere Dienste auf Kubernetes
- Du baust interne Werkzeuge mit Django

Dein Profil:
- Mindestens 5 Jahre Berufserfahrung in der Backend-Entwicklung
- Erfahrung mit Java oder Go
- Sehr gute Kenntnisse in PostgreSQL
- Python für die Automatisierung

Wünschenswert:
- Kafka
- Rust ist ein Plus

Was wir bieten:
- Ein Weiterbildungsbudget für Docker und Terraform"""

SPANISH = """Meridian Ledger desarrolla software de pagos para bancos,
con interfaces en React y Angular.

Tus funciones:
- Operar nuestros servicios en Kubernetes
- Crear herramientas internas con Django

Requisitos:
- Al menos 5 años de experiencia en desarrollo backend
- Experiencia con Java o Go
- Buen dominio de PostgreSQL
- Python para automatización

Se valorará:
- Kafka
- Rust es un plus

Ofrecemos:
- Presupuesto de formación en Docker y Terraform"""

DUTCH = """Meridian Ledger bouwt betaalsoftware voor banken,
met front-ends in React en Angular.

Wat ga je doen?
- Je beheert onze diensten op Kubernetes
- Je bouwt interne tools met Django

Functie-eisen
- Minimaal 5 jaar ervaring in backend-ontwikkeling
- Ervaring met Java of Go
- Goede kennis van PostgreSQL
- Python voor scripting

Pré
- Kafka
- Rust is een pluspunt

Wat bieden wij?
- Een opleidingsbudget voor Docker en Terraform"""


def _reading(text: str) -> tuple[list[list[str]], list[str], int | None]:
    post = read_posting("Backend Engineer", text)
    return sorted(sorted(g) for g in post.required), sorted(post.nice), post.years


def test_the_english_twin_reads_as_a_person_would() -> None:
    assert _reading(ENGLISH) == ([["go", "java"], ["postgresql"], ["python"]], ["kafka", "rust"], 5)


def test_french_german_spanish_and_dutch_read_like_english() -> None:
    english = _reading(ENGLISH)
    for text in (FRENCH, GERMAN, SPANISH, DUTCH):
        assert _reading(text) == english, text.split("\n")[3]


def test_dutch_headings_as_postings_write_them() -> None:
    """Dutch postings name their sections in several ways, often as questions; each reads as
    the English twin does."""
    english = _reading(ENGLISH)
    for duties, required, nice, offer in [
        ("Jouw taken:", "Wat vragen wij?", "Een pré:", "Wat wij bieden:"),
        ("Functieomschrijving", "Wat wij vragen", "Pluspunten", "Ons aanbod"),
        ("Jouw rol", "Jouw profiel", "Is een pré", "Arbeidsvoorwaarden"),
        ("Wat ga jij doen?", "Wie ben jij?", "Mooi meegenomen", "Over ons"),
    ]:
        text = (
            DUTCH.replace("Wat ga je doen?", duties)
            .replace("Functie-eisen", required)
            .replace("Pré\n", nice + "\n")
            .replace("Wat bieden wij?", offer)
        )
        assert _reading(text) == english, (duties, required, nice, offer)


def test_years_before_or_after_the_experience() -> None:
    for text, years in [
        ("Profil recherché\n- Expérience de 3 à 5 ans minimum avec Python", 3),
        ("Profil recherché\n- Une expérience professionnelle de minimum 2 à 3 ans en Java", 2),
        ("Dein Profil\n- Berufserfahrung von mindestens 4 Jahren mit Python", 4),
        ("Dein Profil\n- 3 bis 5 Jahre Erfahrung mit Python", 3),
        ("Requisitos\n- Experiencia mínima de 3 años con Python", 3),
        ("Requisitos\n- Entre 2 y 4 años de experiencia con Python", 2),
        ("Vos missions\n- Une entreprise de plus de 100 ans, avec Python", None),
        ("Jouw profiel\n- 3 jaar ervaring met Python", 3),
        ("Wat vragen wij?\n- Je hebt minimaal 3 jaar werkervaring met Python", 3),
        ("Functie-eisen\n- Ten minste 5 jaar ervaring als ontwikkelaar in Python", 5),
        ("Functie-eisen\n- 3+ jaar ervaring met Python", 3),
        ("Functie-eisen\n- Ervaring van minimaal 4 jaar met Python", 4),
        ("Functie-eisen\n- Tussen 2 en 4 jaar ervaring met Python", 2),
        ("Over ons\n- Wij bestaan al 100 jaar en werken met Python", None),
    ]:
        assert read_posting("Ingénieur", text).years == years, text


def test_french_plus_of_more_is_no_nice_to_have() -> None:
    text = "Profil recherché\n- Vous avez plus de 5 ans d'expérience avec Java\n- Kafka est un plus"
    post = read_posting("Développeur", text)
    assert post.required == [frozenset({"java"})]
    assert post.nice == {"kafka"}
    assert post.years == 5


def test_english_readings_do_not_change_with_other_languages_cues() -> None:
    """A text with a common word of another language ("de", "y") is read with every
    language's cues: its English sentences read as they do with English's alone."""
    from common.analysis.posting import _ENGLISH, _cues_for, _cues_of

    assert _cues_for({"we", "build", "and", "run"}) is _ENGLISH
    assert _cues_for({"nous", "avons", "de", "python"}) is _cues_of(("fr", "es"))
    assert _cues_for({"wij", "hebben", "de", "python"}) is _cues_of(("fr", "es", "nl"))
    english = (
        "Requirements\n- Python and C++ for I/O bound services\n- Big O of Java and Go code"
        "\n- Strong SQL plus Kafka\n- 3 to 5 years of experience in backend development"
        "\n- Knowledge of Python and Docker"
    )
    alone = read_posting("Engineer", english)
    mixed = read_posting("Engineer", english + "\n\nAbout us\nFounded by Ana de la Cruz y Juan")
    assert _reading_of(mixed) == _reading_of(alone)
    assert {frozenset({"python"}), frozenset({"c++"})} <= set(alone.required)  # not "I/O"
    assert frozenset({"docker"}) in alone.required  # "of" is "or" in Dutch texts only


def test_dutch_of_is_or_only_in_dutch_texts() -> None:
    """Dutch "of" is "or": "Java of Go" is one requirement in a Dutch text, while "of" in
    an English text, even one with a French or Spanish word ("de"), joins nothing."""

    def groups(text: str) -> list[list[str]]:
        return sorted(sorted(g) for g in read_posting("Dev", text).required)

    dutch = "Wat vragen wij?\n- Je hebt ervaring met Java of Kotlin\n- Kennis van Docker"
    assert groups(dutch) == [["docker"], ["java", "kotlin"]]
    assert groups("Functie-eisen\n- Een van de talen Java, Kotlin of Scala") == [
        ["java", "kotlin", "scala"],
    ]  # fmt: skip
    english = "Requirements\n- Knowledge of Java and Kotlin\n\nAbout us\nBy Ana de la Cruz"
    assert groups(english) == [["java"], ["kotlin"]]


def _reading_of(post: Posting) -> tuple[list[frozenset[str]], set[str], int | None]:
    return post.required, post.nice, post.years


def test_headings_asked_as_questions() -> None:
    """Spanish and German headings are often questions: still headings (a line ending in "?"
    is a sentence in English texts, as before)."""
    asked = (
        SPANISH.replace("Tus funciones:", "¿Qué harás?")
        .replace("Requisitos:", "¿Qué buscamos?")
        .replace("Ofrecemos:", "¿Qué te ofrecemos?")
    )
    assert _reading(asked) == _reading(ENGLISH)
    german = GERMAN.replace("Dein Profil:", "Was bringst du mit?").replace(
        "Was wir bieten:", "Was bieten wir?"
    )
    assert _reading(german) == _reading(ENGLISH)


def test_like_but_not_how_or_as() -> None:
    """German "wie" and Spanish "como" list alternatives ("such as"), not how or as."""

    def groups(text: str) -> list[list[str]]:
        return sorted(sorted(g) for g in read_posting("Dev", text).required)

    assert groups("Dein Profil\n- Sprachen wie Java und Kotlin") == [["java", "kotlin"]]
    assert groups("Dein Profil\n- Du weißt, wie man Python und Docker einsetzt") == [
        ["docker"], ["python"],
    ]  # fmt: skip
    assert groups("Requisitos\n- Lenguajes como Java, Kotlin o Scala") == [
        ["java", "kotlin", "scala"],
    ]  # fmt: skip
    assert groups("Requisitos\n- Experiencia como desarrollador con Python y Docker") == [
        ["docker"], ["python"],
    ]  # fmt: skip


def test_a_capital_at_a_sentences_start_is_no_products_name() -> None:
    """Every sentence's first word has a capital: "Tableau de bord" at a line's or sentence's
    start is a dashboard; "Tableau et SQL" there, or "Tableau" within a sentence, is the
    product (as "Tableaux", another word, never is)."""

    def bi(text: str) -> bool:
        return "bi tools" in read_posting("Contrôleur de gestion", text).mentions

    assert not bi("Profil recherché :\n- Tableau de bord mensuel à produire\n- Maîtrise d'Excel")
    assert not bi("Vos missions :\n- Suivi des coûts. Tableau de bord mensuel avec Excel")
    assert not bi("Vos missions :\n- Tableaux de bord mensuels, avec Excel")
    assert not bi("Vos missions :\n* « Tableau d'amortissement » des prêts, avec Excel")
    assert bi("Profil recherché :\n- Tableau, SQL et Excel pour nos rapports")
    assert bi("Profil recherché :\n- Vous maîtrisez Tableau de préférence et Excel")
    assert bi("Profil recherché :\n- Outils : Tableau\n- Un tableau de bord mensuel")


def test_dutch_rust_is_calm_unless_written_as_the_language() -> None:
    """Dutch "rust" is calm: a skill only written as the language's name."""
    calm = read_posting("Ontwikkelaar", "Profiel\n- Je brengt rust in het team, met Python")
    assert calm.required == [frozenset({"python"})]
    named = read_posting("Ontwikkelaar", "Profiel\n- Je hebt ervaring met Rust of Go")
    assert named.required == [frozenset({"go", "rust"})]


def test_common_french_words_are_no_skills_unless_written_as_the_products_name() -> None:
    """French finance postings ask for "tableaux de bord" (dashboards) and act "en vue de":
    neither is Tableau or Vue, which they name with a capital."""
    text = (
        "Profil recherché :\n- Vous construisez un tableau de bord mensuel et des tableaux"
        " de suivi\n- En vue de la clôture, maîtrise d'Excel et de SQL"
    )
    post = read_posting("Contrôleur de gestion", text)
    assert set(post.required) == {frozenset({"excel"}), frozenset({"sql"})}
    assert "bi tools" not in post.mentions and "vue" not in post.mentions
    named = read_posting("Analyste", "Profil recherché :\n- Tableau et SQL pour nos rapports")
    assert frozenset({"bi tools"}) in named.required
    other = read_posting("Analyste", text + "\n- Power BI pour les équipes")
    assert frozenset({"bi tools"}) in other.required  # named by its other alias
    # in English the words are the products' names, written as they may be
    english = read_posting("Analyst", "Requirements:\n- Dashboards in tableau and vue")
    assert {frozenset({"bi tools"}), frozenset({"vue"})} <= set(english.required)


def test_the_cue_data_keeps_the_readers_assumptions() -> None:
    """cues.json: no capturing group (a years match's number is its last group), no "|" in
    a nice-to-have or requirement heading pattern (its cue words are checked per
    alternative), English's cue set without the others'."""
    from common.analysis.lexicon import CUES
    from common.analysis.posting import _ENGLISH, _every

    for kind, items in CUES.items():
        for item in items:
            assert "(" not in item.replace("(?", ""), (kind, item)
            assert "|" not in item or kind not in ("nice", "required_heading"), (kind, item)
    assert _ENGLISH.years.groups == 1 and _every().years.groups == 2
    assert _ENGLISH.year_words == ()


def test_each_languages_words_are_its_own() -> None:
    """A language's cues read a text with one of its language_words: none is an English stop
    word (an English text would take them: Dutch "of" would join its skills); abbreviations
    are written as the reader's words are, lower case without their last dot."""
    from importlib import resources

    from common.analysis.lexicon import LANGUAGE_CUES

    path = resources.files("common.resources") / "ranking" / "stopwords.txt"
    lines = path.read_text("utf-8").splitlines()
    english = {w for line in lines if not line.startswith("#") for w in line.split()}
    assert {"of", "and", "the"} <= english
    for language, cues in LANGUAGE_CUES.items():
        assert cues["language_words"] and english.isdisjoint(cues["language_words"]), language
        for word in cues.get("abbreviations", ()):
            assert word == word.lower() and _words(word + ".")[1] == [word], (language, word)


def test_typographic_punctuation_stand_ins_play_the_same_role() -> None:
    """Each stand-in is, for every test the reader and the injection scan run on a text, the
    character it replaces:
    a word character neither, whitespace both or neither (and never " ", which " ans" holds),
    a sentence end, line break, "-" (joins words) or "." neither, a list marker both or
    neither; and a text with them reads as the same text with the stand-ins."""
    import re

    from common.analysis.lexical import STAND_INS, TOKEN
    from common.analysis.lexical import plain as _plain

    word = re.compile(TOKEN.pattern.removeprefix("\\.?").split("++")[0] + "]")
    for char, stand_in in STAND_INS:
        assert ord(char) > 0xFF and stand_in.isascii(), char
        assert not word.fullmatch(char) and not word.fullmatch(stand_in), char
        assert char.isspace() == stand_in.isspace() and stand_in != " ", char
        assert not re.fullmatch(r"\w", char) and not re.fullmatch(r"\w", stand_in), char
        for special in (".", ";", "!", "?", "\n", "-", "+", "#", ",", ":"):
            assert special not in (char, stand_in), char
        assert (char in "•*-") == (stand_in in "•*-"), char
        assert (char in "’‘") == (stand_in == "'"), char  # apostrophes stay apostrophes
    text = (
        "Requirements\n• 5 years’ experience with Python – Kafka — “Go” is a plus…\n"
        "• back–end: 3\u202fyears of Rust.\u2009Nice to have\n* Kotlin"
    )
    assert _plain(text).isascii() and len(_plain(text)) == len(text)
    assert _pieces(text) == _pieces(_plain(text))
    for line, plain in zip(text.split("\n"), _plain(text).split("\n"), strict=True):
        low = " ".join(_words(line)[1])
        assert _kind_of_line(line.strip(), low, "x") == _kind_of_line(plain.strip(), low, "x")
    assert read_posting("Engineer", text).years == 5
    assert "back-end" not in _pieces(text)


def test_the_dot_of_an_abbreviation_ends_no_sentence() -> None:
    """The dot of "(mind. 3 Jahre)", "ca.", "z.B.", "min.", "mín." ends no sentence, in
    the texts of the abbreviation's languages; English texts are split as before."""
    from common.analysis.posting import _ENGLISH, _PIECES, _every

    for text, years in [
        ("Dein Profil\n- Berufserfahrung mit Python (mind. 3 Jahre)", 3),
        ("Dein Profil\n- Erfahrung mit Python, ca. 4 Jahre", 4),
        ("Profil recherché\n- Expérience de min. 3 ans avec Python", 3),
        ("Requisitos\n- Experiencia mín. 2 años con Python", 2),
        ("Functie-eisen\n- Werkervaring met Python: min. 2 jaar", 2),
    ]:
        assert read_posting("Entwickler", text).years == years, text

    def groups(text: str) -> list[list[str]]:
        return sorted(sorted(g) for g in read_posting("Dev", text).required)

    assert groups("Dein Profil\n- Kenntnisse für die JVM, z.B. Java, Kotlin") == [
        ["java", "kotlin"],
    ]  # fmt: skip
    assert groups("Dein Profil\n- Erfahrung mit Java bzw. Kotlin") == [["java", "kotlin"]]
    # a word ending as an abbreviation does ("Sysadmin.") still ends its sentence
    assert _every().pieces.findall("Als Sysadmin. Mind. 3 Jahre") == [
        "Als", "Sysadmin", "", "Mind", "3", "Jahre",
    ]  # fmt: skip
    assert _ENGLISH.pieces is _PIECES and not _ENGLISH.abbreviations
