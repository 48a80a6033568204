"""Sample grants discussed in Spanish, Portuguese and French (invented, our own words).

Reviewers on Meta often write in the grantee's language; grantbot must see
``¿…?`` questions, polite requests such as "Quisiéramos saber…", and replies
in the same language.  Signature timestamps stay in the wiki's English format,
as they do on Meta-Wiki.
"""

from __future__ import annotations

from localwiki.seed.model import PageSpec, Step

LUCIA = "Lucía (WMF)"
MARA = "Mara (WMF)"

SPANISH = "Conference/Camila Rojas/Encuentro Wiki Andino 2026/Report"
PORTUGUESE = "Project/Rapid/Pedro Almeida/Oficinas de Edição no Recife/Report"
FRENCH = "APG/Wikimédiens du Littoral/Plan annuel 2025/Report"

_INFORME = (
    "== Resumen ==\nReunimos a 60 editoras y editores de cinco países durante dos días.\n"
    "== Resultados ==\n* 85 artículos nuevos\n* 14 talleres\n"
    "== Presupuesto ==\nUsamos casi todo el presupuesto; el detalle está en la tabla.\n"
)
_RELATORIO = (
    "== Resumo ==\nFizemos seis oficinas em bibliotecas públicas.\n"
    "== Resultados ==\n* 48 participantes\n* 70 artigos melhorados\n"
    "== Lições aprendidas ==\n\n"
)
_RAPPORT = (
    "== Résumé ==\nNous avons animé des ateliers mensuels dans trois villes.\n"
    "== Budget ==\nLe budget a été respecté à 5 % près.\n"
    "== Enseignements ==\n''(à compléter)''\n"
)


def _report(base: str, author: str, days_ago: float, status: str, body: str) -> PageSpec:
    return PageSpec(
        f"Grants:{base}",
        (Step(author, days_ago, "informe"),),
        ((0, f"{{{{Grant report status|status={status}}}}}\n" + body),),
        notes=f"report page, status={status}",
    )


SAMPLES_INTL: tuple[PageSpec, ...] = (
    # 11. Spanish: ¿…? questions and "Quisiéramos saber…"; one answered, one open.
    _report(SPANISH, "Camila Rojas", 47, "en revisión", _INFORME),
    PageSpec(
        f"Grants talk:{SPANISH}",
        (Step(LUCIA, 40), Step("Camila Rojas", 20), Step(LUCIA, 5)),
        (
            (0, "== Preguntas sobre el informe ==\nHola Camila, gracias por el informe tan "
                "completo.\n"
                "* ¿Podrían compartir la lista de talleres con el número de asistentes? ~SIG~\n"),
            (1, "*: Claro, la agregamos al final del informe, en la sección Resultados. ~SIG~\n"),
            (0, "* Quisiéramos saber cómo eligieron las ciudades de los talleres. ~SIG~\n"),
            (2, "\n== Fotografías ==\n¿Subieron las fotos del encuentro a Commons? Por favor, "
                "enlacen la categoría aquí. ~SIG~\n"),
        ),
        notes="Spanish: ¿…?, 'Quisiéramos saber…' left open, a newer question 5 days ago",
    ),
    # 12. Portuguese: questions answered in a later reply, with a promise.
    _report(PORTUGUESE, "Pedro Almeida", 46, "em análise", _RELATORIO),
    PageSpec(
        f"Grants talk:{PORTUGUESE}",
        (Step(MARA, 39), Step("Pedro Almeida", 23), Step(MARA, 15)),
        (
            (0, "== Perguntas ==\nOlá Pedro! Obrigada pelo relatório.\n"
                "* Vocês poderiam enviar as listas de presença das oficinas? ~SIG~\n"
                "* Gostaríamos de saber quantas pessoas continuam editando depois de um mês. "
                "~SIG~\n"),
            (1, ":Olá Mara, vamos enviar as listas de presença na próxima semana. Sobre a "
                "retenção: 19 pessoas ainda editam. ~SIG~\n"),
            (2, "::Obrigada! Fico no aguardo das listas. ~SIG~\n"),
        ),
        notes="Portuguese: one reply answers both, one of them by a promise; empty report section",
    ),
    # 13. French: a bold-labelled responses section answering in French.
    _report(FRENCH, "Claire Dubois", 52, "soumis", _RAPPORT),
    PageSpec(
        f"Grants talk:{FRENCH}",
        (Step(LUCIA, 36), Step("Claire Dubois", 17)),
        (
            (0, "== Questions du comité ==\nBonjour Claire,\n\n'''Ateliers'''\n"
                "Pourriez-vous préciser combien de personnes ont participé à chaque atelier ?\n\n"
                "'''Budget'''\nMerci de joindre le tableau des dépenses détaillé. ~SIG~\n"),
            (1, "\n== Réponses ==\n'''Ateliers :''' entre huit et quinze personnes selon la "
                "ville.\n\n'''Budget :''' le tableau sera ajouté au rapport d'ici la fin du mois."
                "\n\n~SIG~\n"),
        ),
        notes="French: responses section with bold labels; budget answered by a promise",
    ),
)
