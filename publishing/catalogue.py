"""The built-in wording (English, Spanish, Portuguese, French) and each message's placeholders.

Data only; :mod:`publishing.messages` picks, overrides and fills it.
``PLACEHOLDERS[key] = (required, allowed)``: an override must use the
required ones (a reminder without ``{link}`` would point nowhere) and may
use only the allowed ones.
"""

from __future__ import annotations

from publishing.catalogue_views import VIEWS

LANGUAGES = ("en", "es", "pt", "fr")

_ITEM = {"link", "asked_by", "asked_on", "age", "excerpt", "kind", "id"}
PLACEHOLDERS: dict[str, tuple[set[str], set[str]]] = {
    "reminder-heading": (set(), {"date"}),
    "reminder-intro": ({"count"}, {"pings", "count", "days"}),
    "reminder-item": ({"link"}, _ITEM),
    "reminder-next": ({"date"}, {"date"}),
    "reminder-last": (set(), set()),
    "reminder-howto": ({"answered", "notq"}, {"answered", "notq", "optout", "example"}),
    "reminder-outro": (set(), {"bot"}),
    "reminder-summary": ({"count"}, {"count"}),
    "status-summary": ({"overdue", "reviewer", "empty"}, {"overdue", "reviewer", "empty", "grants", "open"}),
    "status-updated": (set(), {"date", "json"}),
    "status-legend": (set(), set()),
    "status-columns": (set(), set()),
    "status-summary-edit": ({"grants", "open"}, {"grants", "open"}),
    "state-overdue": (set(), set()),
    "state-open": (set(), set()),
    "state-reviewer": (set(), set()),
    "state-empty": (set(), set()),
    "state-clear": (set(), set()),
    "state-settled": (set(), set()),
    "state-unknown": (set(), set()),
    "reminder-state-next": ({"date"}, {"date", "sent", "max"}),
    "reminder-state-done": (set(), {"sent", "max"}),
    "reminder-state-blocked": ({"why"}, {"why", "sent", "max"}),
    "reminder-state-none": (set(), {"sent", "max"}),
    "reminder-state-off": (set(), {"sent", "max"}),
    "view-reviewers": (set(), set()),
    "view-programs": (set(), set()),
    "view-head": ({"back", "date"}, {"back", "date"}),
    "view-late": ({"days"}, {"days"}),
    "view-left-out": ({"count"}, {"count"}),
    "view-reviewer-counts": ({"owed", "open"}, {"owed", "open"}),
    "view-reviewer-owed": (set(), set()),
    "view-reviewer-asked": (set(), set()),
    "view-grantee-replied": ({"date"}, {"date"}),
    "view-reviewers-none": (set(), set()),
    "view-program-open": ({"count"}, {"count"}),
    "view-since": ({"date"}, {"date"}),
    "detail-intro": ({"talk"}, {"talk", "grant", "state", "back", "date"}),
    "detail-title": ({"grant"}, {"grant"}),
    "detail-columns": (set(), set()),
    "detail-none": (set(), set()),
    "detail-corrections": (set(), set()),
    "detail-empty": ({"report"}, {"report"}),
    "detail-unverified": (set(), set()),
    "nudge-heading": (set(), {"date"}),
    "nudge-intro": ({"count"}, {"count"}),
    "nudge-item": ({"link"}, {"link", "grant", "date", "days"}),
    "nudge-outro": ({"days", "stop"}, {"days", "stop", "bot"}),
    "nudge-summary": ({"count"}, {"count"}),
    "link-talk": (set(), set()),
    "kind-question": (set(), set()),
    "kind-request": (set(), set()),
    "unverified": ({"count"}, {"count"}),
    **{f"report-{state}": (set(), set()) for state in ("draft", "submitted", "under review", "incomplete",
                                                        "accepted", "closed", "unknown")},
}

# Column headers of the status table, "!!"-separated, in the table's order.
_COLUMNS = {
    "en": "State !! Grant !! Program !! Grantees !! Report status !! Open items !! Open since"
          " !! Last grantee / reviewer comment !! Reminders !! Empty report sections",
    "es": "Estado !! Subvención !! Programa !! Beneficiarios !! Estado del informe !! Puntos abiertos"
          " !! Abierto desde !! Último comentario beneficiario / revisor !! Recordatorios"
          " !! Secciones vacías del informe",
    "pt": "Situação !! Financiamento !! Programa !! Beneficiários !! Situação do relatório"
          " !! Itens em aberto !! Aberto desde !! Último comentário beneficiário / revisor"
          " !! Lembretes !! Seções vazias do relatório",
    "fr": "État !! Subvention !! Programme !! Bénéficiaires !! État du rapport !! Points ouverts"
          " !! Ouvert depuis !! Dernier commentaire bénéficiaire / relecteur !! Rappels"
          " !! Sections vides du rapport",
}

BUILTIN: dict[str, dict[str, str]] = {
    "reminder-heading": {
        "en": "Open questions from reviewers ({date})",
        "es": "Preguntas abiertas de los revisores ({date})",
        "pt": "Perguntas em aberto dos revisores ({date})",
        "fr": "Questions ouvertes des relecteurs ({date})",
    },
    "reminder-intro": {
        "en": "Hello {pings}, {count} {{PLURAL:{count}|question or request|questions or requests}} "
              "from reviewers on this page {{PLURAL:{count}|is|are}} still waiting for an answer:",
        "es": "Hola {pings}, {count} {{PLURAL:{count}|pregunta o solicitud|preguntas o solicitudes}} "
              "de los revisores en esta página {{PLURAL:{count}|sigue|siguen}} esperando respuesta:",
        "pt": "Olá {pings}, {count} {{PLURAL:{count}|pergunta ou pedido|perguntas ou pedidos}} "
              "dos revisores nesta página {{PLURAL:{count}|ainda aguarda|ainda aguardam}} resposta:",
        "fr": "Bonjour {pings}, {count} {{PLURAL:{count}|question ou demande|questions ou demandes}} "
              "des relecteurs sur cette page {{PLURAL:{count}|attend|attendent}} encore une réponse :",
    },
    "reminder-item": {
        "en": "* {link}: asked by {asked_by} on {asked_on} "
              "({age} {{PLURAL:{age}|day|days}} ago): {excerpt} <small>(item {id})</small>",
        "es": "* {link}: planteada por {asked_by} el {asked_on} "
              "(hace {age} {{PLURAL:{age}|día|días}}): {excerpt} <small>(punto {id})</small>",
        "pt": "* {link}: feita por {asked_by} em {asked_on} "
              "(há {age} {{PLURAL:{age}|dia|dias}}): {excerpt} <small>(item {id})</small>",
        "fr": "* {link} : posée par {asked_by} le {asked_on} "
              "(il y a {age} {{PLURAL:{age}|jour|jours}}) : {excerpt} <small>(point {id})</small>",
    },
    "reminder-next": {
        "en": "What happens next: if something is still open, the next reminder comes on {date} at the earliest.",
        "es": "Qué pasará: si algo sigue abierto, el próximo recordatorio llegará el {date} como pronto.",
        "pt": "O que acontece a seguir: se algo continuar em aberto, o próximo lembrete vem em {date}, no mínimo.",
        "fr": "La suite : si quelque chose reste ouvert, le prochain rappel viendra le {date} au plus tôt.",
    },
    "reminder-last": {
        "en": "What happens next: this is the last reminder about these items; the program officer "
              "sees them on the status page.",
        "es": "Qué pasará: este es el último recordatorio sobre estos puntos; el responsable del "
              "programa los ve en la página de estado.",
        "pt": "O que acontece a seguir: este é o último lembrete sobre estes itens; o responsável "
              "pelo programa os vê na página de situação.",
        "fr": "La suite : c'est le dernier rappel pour ces points ; le chargé de programme les voit "
              "sur la page d'état.",
    },
    "reminder-howto": {
        "en": "If an item was handled by email or elsewhere, write {answered} on a line of this page "
              "and sign it; if it is not a question, write {notq}. To stop these reminders here, add {optout}.",
        "es": "Si un punto se resolvió por correo u otra vía, escriba {answered} en una línea de esta "
              "página y fírmela; si no es una pregunta, escriba {notq}. Para no recibir más "
              "recordatorios aquí, añada {optout}.",
        "pt": "Se um item foi resolvido por e-mail ou de outra forma, escreva {answered} numa linha "
              "desta página e assine; se não é uma pergunta, escreva {notq}. Para parar estes "
              "lembretes aqui, adicione {optout}.",
        "fr": "Si un point a été réglé par courriel ou ailleurs, écrivez {answered} sur une ligne de "
              "cette page et signez-la ; si ce n'est pas une question, écrivez {notq}. Pour ne plus "
              "recevoir ces rappels ici, ajoutez {optout}.",
    },
    "reminder-outro": {
        "en": "This is an automated reminder from {bot}.",
        "es": "Recordatorio automático de {bot}.",
        "pt": "Lembrete automático de {bot}.",
        "fr": "Rappel automatique de {bot}.",
    },
    "reminder-summary": {
        "en": "Reminder: {count} open {{PLURAL:{count}|question|questions}} from reviewers",
        "es": "Recordatorio: {count} {{PLURAL:{count}|pregunta abierta|preguntas abiertas}} de los revisores",
        "pt": "Lembrete: {count} {{PLURAL:{count}|pergunta em aberto|perguntas em aberto}} dos revisores",
        "fr": "Rappel : {count} {{PLURAL:{count}|question ouverte|questions ouvertes}} des relecteurs",
    },
    "status-summary": {
        "en": "'''{overdue}''' {{PLURAL:{overdue}|grant is|grants are}} overdue on the grantee side · "
              "'''{reviewer}''' waiting on reviewers · '''{empty}''' with empty report sections "
              "({grants} grants, {open} open items).",
        "es": "'''{overdue}''' {{PLURAL:{overdue}|subvención retrasada|subvenciones retrasadas}} del lado "
              "beneficiario · '''{reviewer}''' esperando a los revisores · '''{empty}''' con secciones "
              "vacías en el informe ({grants} subvenciones, {open} puntos abiertos).",
        "pt": "'''{overdue}''' {{PLURAL:{overdue}|financiamento atrasado|financiamentos atrasados}} do lado "
              "beneficiário · '''{reviewer}''' aguardando revisores · '''{empty}''' com seções vazias "
              "no relatório ({grants} financiamentos, {open} itens em aberto).",
        "fr": "'''{overdue}''' {{PLURAL:{overdue}|subvention en retard|subventions en retard}} côté "
              "bénéficiaire · '''{reviewer}''' en attente des relecteurs · '''{empty}''' avec des "
              "sections vides ({grants} subventions, {open} points ouverts).",
    },
    "status-updated": {
        "en": "Most urgent first. Last updated: {date}. JSON copy: {json}.",
        "es": "Lo más urgente primero. Última actualización: {date}. Copia JSON: {json}.",
        "pt": "O mais urgente primeiro. Última atualização: {date}. Cópia JSON: {json}.",
        "fr": "Le plus urgent d'abord. Dernière mise à jour : {date}. Copie JSON : {json}.",
    },
    "status-legend": {"en": "Legend", "es": "Leyenda", "pt": "Legenda", "fr": "Légende"},
    "status-columns": _COLUMNS,
    "status-summary-edit": {
        "en": "Status: {grants} grants, {open} open {{PLURAL:{open}|item|items}}",
        "es": "Estado: {grants} subvenciones, {open} {{PLURAL:{open}|punto abierto|puntos abiertos}}",
        "pt": "Situação: {grants} financiamentos, {open} {{PLURAL:{open}|item em aberto|itens em aberto}}",
        "fr": "État : {grants} subventions, {open} {{PLURAL:{open}|point ouvert|points ouverts}}",
    },
    "state-overdue": {"en": "overdue (grantee)", "es": "retrasado (beneficiario)",
                      "pt": "atrasado (beneficiário)", "fr": "en retard (bénéficiaire)"},
    "state-open": {"en": "open (grantee)", "es": "abierto (beneficiario)",
                   "pt": "em aberto (beneficiário)", "fr": "ouvert (bénéficiaire)"},
    "state-reviewer": {"en": "waiting on reviewer", "es": "esperando al revisor",
                       "pt": "aguardando revisor", "fr": "attend le relecteur"},
    "state-empty": {"en": "empty report sections", "es": "secciones vacías",
                    "pt": "seções vazias", "fr": "sections vides"},
    "state-clear": {"en": "nothing open", "es": "nada abierto", "pt": "nada em aberto", "fr": "rien d'ouvert"},
    "state-settled": {"en": "accepted or closed", "es": "aceptado o cerrado",
                      "pt": "aceito ou fechado", "fr": "accepté ou clos"},
    "state-unknown": {"en": "no talk page", "es": "sin página de discusión",
                      "pt": "sem página de discussão", "fr": "pas de page de discussion"},
    "reminder-state-next": {"en": "{sent} of {max} sent; next {date}", "es": "{sent} de {max} enviados; próximo {date}",
                            "pt": "{sent} de {max} enviados; próximo {date}", "fr": "{sent} sur {max} envoyés ; prochain {date}"},
    "reminder-state-done": {"en": "{sent} of {max} sent; no more", "es": "{sent} de {max} enviados; no habrá más",
                            "pt": "{sent} de {max} enviados; não haverá mais", "fr": "{sent} sur {max} envoyés ; plus aucun"},
    "reminder-state-blocked": {"en": "cannot remind: {why}", "es": "no puede recordar: {why}",
                               "pt": "não pode lembrar: {why}", "fr": "ne peut pas rappeler : {why}"},
    "reminder-state-none": {"en": "{sent} sent", "es": "{sent} enviados", "pt": "{sent} enviados",
                            "fr": "{sent} envoyés"},
    # Reminders switched off for the whole run: one word, not a reason on every row.
    "reminder-state-off": {"en": "off", "es": "desactivados", "pt": "desativados", "fr": "désactivés"},
    "view-reviewers": {"en": "Open questions by reviewer", "es": "Preguntas abiertas por revisor",
                       "pt": "Perguntas em aberto por revisor", "fr": "Questions ouvertes par relecteur"},
    "view-programs": {"en": "Grants by program", "es": "Subvenciones por programa",
                      "pt": "Financiamentos por programa", "fr": "Subventions par programme"},
    **VIEWS,
}
