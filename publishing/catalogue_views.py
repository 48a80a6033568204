"""Built-in wording of the per-reviewer and per-program views, the detail pages and reviewer nudges.

Data only, merged into :data:`publishing.catalogue.BUILTIN` (their
placeholders are declared there, with the other messages').
"""

from __future__ import annotations

VIEWS: dict[str, dict[str, str]] = {
    "view-head": {
        "en": "Back to {back}. Last updated: {date}.",
        "es": "Volver a {back}. Última actualización: {date}.",
        "pt": "Voltar para {back}. Última atualização: {date}.",
        "fr": "Retour à {back}. Dernière mise à jour : {date}.",
    },
    "view-late": {
        "en": "⚠: waiting longer than {days} {{PLURAL:{days}|day|days}}.",
        "es": "⚠: esperando más de {days} {{PLURAL:{days}|día|días}}.",
        "pt": "⚠: aguardando há mais de {days} {{PLURAL:{days}|dia|dias}}.",
        "fr": "⚠ : en attente depuis plus de {days} {{PLURAL:{days}|jour|jours}}.",
    },
    "view-left-out": {
        "en": "{count} more left out to keep this page small; the JSON copy lists everything.",
        "es": "{count} más omitidos para que esta página no crezca; la copia JSON lo tiene todo.",
        "pt": "{count} a mais omitidos para manter esta página pequena; a cópia JSON tem tudo.",
        "fr": "{count} de plus omis pour garder cette page courte ; la copie JSON contient tout.",
    },
    "view-reviewer-counts": {
        "en": "{owed} {{PLURAL:{owed}|reply|replies}} owed, {open} open "
              "{{PLURAL:{open}|question|questions}} asked.",
        "es": "{owed} {{PLURAL:{owed}|respuesta pendiente|respuestas pendientes}}, {open} "
              "{{PLURAL:{open}|pregunta abierta|preguntas abiertas}}.",
        "pt": "{owed} {{PLURAL:{owed}|resposta devida|respostas devidas}}, {open} "
              "{{PLURAL:{open}|pergunta em aberto|perguntas em aberto}}.",
        "fr": "{owed} {{PLURAL:{owed}|réponse attendue|réponses attendues}}, {open} "
              "{{PLURAL:{open}|question ouverte|questions ouvertes}}.",
    },
    "view-reviewer-owed": {
        "en": "Grantees replied, your answer is awaited",
        "es": "Los beneficiarios respondieron, se espera su respuesta",
        "pt": "Os beneficiários responderam, sua resposta é aguardada",
        "fr": "Les bénéficiaires ont répondu, votre réponse est attendue",
    },
    "view-reviewer-asked": {
        "en": "Your questions still open",
        "es": "Sus preguntas aún abiertas",
        "pt": "Suas perguntas ainda em aberto",
        "fr": "Vos questions encore ouvertes",
    },
    "view-grantee-replied": {
        "en": "the grantee replied on {date}",
        "es": "el beneficiario respondió el {date}",
        "pt": "o beneficiário respondeu em {date}",
        "fr": "le bénéficiaire a répondu le {date}",
    },
    "view-reviewers-none": {
        "en": "No reviewer owes a reply and no question is open.",
        "es": "Ningún revisor debe una respuesta y no hay preguntas abiertas.",
        "pt": "Nenhum revisor deve resposta e não há perguntas em aberto.",
        "fr": "Aucun relecteur ne doit de réponse et aucune question n'est ouverte.",
    },
    "view-program-open": {
        "en": "{count} open", "es": "{count} {{PLURAL:{count}|abierto|abiertos}}",
        "pt": "{count} em aberto", "fr": "{count} {{PLURAL:{count}|ouvert|ouverts}}",
    },
    "view-since": {"en": "since {date}", "es": "desde el {date}", "pt": "desde {date}", "fr": "depuis le {date}"},
    "detail-intro": {
        "en": "Open reviewer items on {talk} (grant {grant}, report {state}). Back to {back}. "
              "Last updated: {date}.",
        "es": "Puntos abiertos de los revisores en {talk} (subvención {grant}, informe {state}). "
              "Volver a {back}. Última actualización: {date}.",
        "pt": "Itens em aberto dos revisores em {talk} (financiamento {grant}, relatório {state}). "
              "Voltar para {back}. Última atualização: {date}.",
        "fr": "Points ouverts des relecteurs sur {talk} (subvention {grant}, rapport {state}). "
              "Retour à {back}. Dernière mise à jour : {date}.",
    },
    "detail-title": {
        "en": "Open items: {grant}", "es": "Puntos abiertos: {grant}",
        "pt": "Itens em aberto: {grant}", "fr": "Points ouverts : {grant}",
    },
    "detail-columns": {
        "en": "# !! Item !! Kind !! Asked by !! Asked on !! Where !! Excerpt !! Why the bot thinks it is open",
        "es": "# !! Punto !! Tipo !! Planteado por !! Fecha !! Dónde !! Extracto !! Por qué el bot lo cree abierto",
        "pt": "# !! Item !! Tipo !! Feito por !! Data !! Onde !! Trecho !! Por que o bot o considera em aberto",
        "fr": "# !! Point !! Type !! Posé par !! Date !! Où !! Extrait !! Pourquoi le bot le croit ouvert",
    },
    "detail-none": {"en": "No open items.", "es": "No hay puntos abiertos.",
                    "pt": "Nenhum item em aberto.", "fr": "Aucun point ouvert."},
    "detail-corrections": {
        "en": "Corrections on the talk page:", "es": "Correcciones en la página de discusión:",
        "pt": "Correções na página de discussão:", "fr": "Corrections sur la page de discussion :",
    },
    "detail-empty": {
        "en": "Empty sections of {report}:", "es": "Secciones vacías de {report}:",
        "pt": "Seções vazias de {report}:", "fr": "Sections vides de {report} :",
    },
    "detail-unverified": {
        "en": "(unverified signature)", "es": "(firma no verificada)",
        "pt": "(assinatura não verificada)", "fr": "(signature non vérifiée)",
    },
    "nudge-heading": {
        "en": "Grant replies waiting for you ({date})", "es": "Respuestas de subvenciones que le esperan ({date})",
        "pt": "Respostas de financiamentos à sua espera ({date})",
        "fr": "Réponses de subventions qui vous attendent ({date})",
    },
    "nudge-intro": {
        "en": "Hello, {count} {{PLURAL:{count}|grant talk thread is|grant talk threads are}} waiting "
              "for your answer after the grantee replied:",
        "es": "Hola, {count} {{PLURAL:{count}|hilo de discusión de subvención espera|hilos de discusión "
              "de subvenciones esperan}} su respuesta después de que respondiera el beneficiario:",
        "pt": "Olá, {count} {{PLURAL:{count}|conversa de financiamento aguarda|conversas de "
              "financiamentos aguardam}} sua resposta depois que o beneficiário respondeu:",
        "fr": "Bonjour, {count} {{PLURAL:{count}|fil de discussion de subvention attend|fils de discussion "
              "de subventions attendent}} votre réponse après celle du bénéficiaire :",
    },
    "nudge-item": {
        "en": "* {link} ({grant}): the grantee replied on {date}",
        "es": "* {link} ({grant}): el beneficiario respondió el {date}",
        "pt": "* {link} ({grant}): o beneficiário respondeu em {date}",
        "fr": "* {link} ({grant}) : le bénéficiaire a répondu le {date}",
    },
    "nudge-outro": {
        "en": "You get this note because you asked for it, at most one every {days} "
              "{{PLURAL:{days}|day|days}}; {stop} on this page stops it.",
        "es": "Recibe esta nota porque la pidió, como mucho una cada {days} {{PLURAL:{days}|día|días}}; "
              "{stop} en esta página la detiene.",
        "pt": "Você recebe esta nota porque a pediu, no máximo uma a cada {days} {{PLURAL:{days}|dia|dias}}; "
              "{stop} nesta página a interrompe.",
        "fr": "Vous recevez ce message parce que vous l'avez demandé, au plus un tous les {days} "
              "{{PLURAL:{days}|jour|jours}} ; {stop} sur cette page "
              "l'arrête.",
    },
    "nudge-summary": {
        "en": "{count} grant {{PLURAL:{count}|reply|replies}} waiting for you",
        "es": "{count} {{PLURAL:{count}|respuesta|respuestas}} de subvenciones le {{PLURAL:{count}|espera|esperan}}",
        "pt": "{count} {{PLURAL:{count}|resposta|respostas}} de financiamentos à sua espera",
        "fr": "{count} {{PLURAL:{count}|réponse|réponses}} de subventions vous {{PLURAL:{count}|attend|attendent}}",
    },
    # The status table's own words: links and report states (Meta's states, whatever the
    # report's language; the report's own words stay beside them).
    "link-talk": {"en": "talk", "es": "discusión", "pt": "discussão", "fr": "discussion"},
    "unverified": {"en": "{count} unverified", "es": "{count} sin verificar", "pt": "{count} não verificados",
                   "fr": "{count} non vérifiés"},
    "kind-question": {"en": "question", "es": "pregunta", "pt": "pergunta", "fr": "question"},
    "kind-request": {"en": "request", "es": "solicitud", "pt": "pedido", "fr": "demande"},
    "report-draft": {"en": "draft", "es": "borrador", "pt": "rascunho", "fr": "brouillon"},
    "report-submitted": {"en": "submitted", "es": "enviado", "pt": "enviado", "fr": "soumis"},
    "report-under review": {"en": "under review", "es": "en revisión", "pt": "em revisão", "fr": "en relecture"},
    "report-incomplete": {"en": "incomplete", "es": "incompleto", "pt": "incompleto", "fr": "incomplet"},
    "report-accepted": {"en": "accepted", "es": "aceptado", "pt": "aceito", "fr": "accepté"},
    "report-closed": {"en": "closed", "es": "cerrado", "pt": "encerrado", "fr": "clos"},
    "report-unknown": {"en": "unknown", "es": "desconocido", "pt": "desconhecido", "fr": "inconnu"},
}
