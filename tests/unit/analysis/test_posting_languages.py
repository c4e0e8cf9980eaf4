"""Postings in French, German and Spanish read like their English twin: the same required
skills (alternatives grouped), nice-to-haves and years. Words in any alphabet are words."""

from __future__ import annotations

from common.analysis.posting import _pieces, read_posting, skills_in


def test_accented_words_are_whole_words() -> None:
    from common.analysis.lexical import tokens

    assert tokens("Réaliser des analyses, Übersicht, año") == [
        "Réaliser", "des", "analyses", "Übersicht", "año",
    ]  # fmt: skip
    assert tokens("snake_case and __init__") == ["snake", "case", "and", "init"]
    assert "r" not in skills_in("Réaliser des analyses de risque. Rôle clé.")
    assert "r" in skills_in("Statistik mit R und Python")
    # an underscore parts words without ending a sentence (no space is made of it)
    assert _pieces("fin._suite") == ["fin", "suite"]
    assert _pieces("fin. suite") == ["fin", "", "suite"]


# one posting, written four times for these tests: duties and benefits name skills too, which
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


def _reading(text: str) -> tuple[list[list[str]], list[str], int | None]:
    post = read_posting("Backend Engineer", text)
    return sorted(sorted(g) for g in post.required), sorted(post.nice), post.years


def test_the_english_twin_reads_as_a_person_would() -> None:
    assert _reading(ENGLISH) == ([["go", "java"], ["postgresql"], ["python"]], ["kafka", "rust"], 5)


def test_french_german_and_spanish_read_like_english() -> None:
    english = _reading(ENGLISH)
    for text in (FRENCH, GERMAN, SPANISH):
        assert _reading(text) == english, text.split("\n")[3]
