"""Ask phrases in languages beyond English, Spanish, Portuguese and French.

Why apart and gated: Meta's grant pages are also written in German, Italian,
Indonesian, Catalan, Polish, Russian, Ukrainian and Arabic, but a search per
language would slow every sentence of every page.  Each table is searched only
in sentences that hold one of its key words (:class:`Gated`); patterns run on
folded text (lower case, no accents, no breves: "пожалуйста" is written
"пожалуиста").  :mod:`parsers.asks` decides in what order tables apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class Gated:
    """A phrase table searched only in sentences that hold one of its key words."""

    keys: frozenset[str]
    rx: re.Pattern[str]

    def search(self, text: str, words: frozenset[str]) -> bool:
        return not self.keys.isdisjoint(words) and self.rx.search(text) is not None


WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COURTESY = Gated(words("""
    await awaiting wait waiting look looking aguardo aguardamos aguardando espero esperamos esperando attends
    attendons warte warten attendo attendiamo menunggu жду ждем bei melde qualsiasi jangan стесняитесь razie"""), rx(
    # Any language: waiting for the answers themselves asks for nothing the questions did not
    # ("Aguardo as respostas.", "I await your replies.", "J'attends vos réponses.")
    r"\b(?:await(?:ing)?|wait(?:ing)? for|look(?:ing)? forward to|aguard(?:o|amos|ando)|esper(?:o|amos|ando)|"
    r"attend(?:s|ons)|warte(?:n)?(?: gespannt)? auf|attendo|attendiamo|menunggu|жду|ждем)"
    r" (?:(?:your|the|any|as|suas|tuas|vossas|os|sus|tus|las|vos|les|eure|ihre|deine|le|vostre|tue) )?"
    r"(?:answers|responses|replies|reply|response|feedback|respostas|resposta|respuestas|respuesta|reponses|"
    r"reponse|antworten|antwort|risposte|risposta|jawaban|ответов|ответа)\b[^.?!]{0,30}[.!]?$",
    # German, Italian, Indonesian, Russian, Polish
    r"\bbei (?:fragen|ruckfragen)\b|\bmelde dich\b|\bper qualsiasi (?:domanda|dubbio)\b|"
    r"\bjangan ragu\b|\bне стесняитесь\b|\bw razie pytan\b",
))

WITHDRAWAL = Gated(words("vergesst vergiss vergessen ignoriert ignoriere erledigt ignorate lasciate rispondere "
                         "dijawab"), rx(
    r"\b(?:vergesst|vergiss|vergessen sie|ignoriert|ignoriere) (?:meine|die|diese) (?:frage|bitte|anmerkung)\b|"
    r"\bhat sich erledigt\b|\b(?:ignorate|lasciate perdere) (?:la mia|questa) (?:domanda|richiesta)\b|"
    r"\bnon (?:serve|c'e bisogno di) rispondere\b|\btidak (?:usah|perlu) dijawab\b",
))

ADVICE = Gated(words("""
    empfehlen empfehle schlagen schlage raten rate freuen ware suggeriamo suggerisco consigliamo consiglio
    raccomandiamo sarebbe menyarankan sarankan merekomendasikan anjurkan mendorong sebaiknya sugerujemy polecamy
    zalecamy proponujemy рекомендуем советуем предлагаем рекомендуємо радимо نقترح ننصح"""), rx(
    r"\b(?:wir|ich) (?:empfehlen|empfehle|schlagen vor|schlage vor|raten|rate)\b|\b(?:wir|ich) (?:wurden|wurde) "
    r"(?:uns|mich) freuen,? wenn\b|\bes ware (?:schon|gut|toll|hilfreich),? wenn\b",
    r"\b(?:suggeriamo|suggerisco|consigliamo|consiglio|raccomandiamo)\b|\bsarebbe (?:bello|utile|opportuno)\b",
    r"\b(?:kami|saya) (?:menyarankan|sarankan|merekomendasikan|anjurkan|mendorong)\b|\bsebaiknya\b",
    r"\b(?:sugerujemy|polecamy|zalecamy|proponujemy)\b",
    r"\b(?:рекомендуем|советуем|предлагаем|рекомендуємо|радимо)\b|نقترح|ننصح",
))

REQUEST = Gated(words("""
    bitte konnt konntet konnten kannst konnen brauchen benotigen brauche benotige warten warte favore cortesia
    potreste potresti potete puoi potrebbe potrebbero chiediamo chiedo preghiamo prego bisogno vorremmo vorrei
    mohon tolong harap dimohon bisakah dapatkah perlu butuh membutuhkan memerlukan plau demanem demano prosze
    prosimy moglibyscie mozecie mozesz potrzebujemy пожалуиста просим прошу могли ласка просимо нужно нужна нужен
    нужны потрібно потрібна يرجى الرجاء فضلك نرجو يمكنك"""), rx(
    # German
    r"\bbitte\b(?! (?:schon|sehr)\b)|\b(?:konnt|konntet|konnten|kannst|konnen) (?:ihr|sie|du)\b[^.?!]{0,40}"
    r"\b(?:erklaren|erlautern|schicken|senden|hochladen|erganzen|angeben|bestatigen|nennen|beschreiben|mitteilen|"
    r"hinzufugen|aktualisieren)\b|\b(?:wir|ich) (?:brauchen|benotigen|brauche|benotige)\b|\b(?:wir|ich) (?:warten|warte) "
    r"(?:noch )?auf (?:den|die|das|eure|ihre|deine)\b",
    # Italian
    r"\bper (?:favore|cortesia)\b|\b(?:potreste|potresti|potete|puoi|potrebbe|potrebbero)\b[^.?!]{0,30}\b(?:spiegare|"
    r"inviare|mandare|caricare|aggiungere|aggiornare|chiarire|confermare|indicare|descrivere|condividere|fornire)\b|"
    r"\b(?:vi|ti|le) (?:chiediamo|chiedo|preghiamo|prego) di\b|\babbiamo bisogno (?:di|che)\b|"
    r"\b(?:vorremmo|vorrei) (?:sapere|capire|vedere|ricevere)\b",
    # Indonesian
    r"\b(?:mohon|tolong|harap|dimohon)\b|\b(?:bisakah|dapatkah)\b[^.?!]{0,30}\b(?:menjelaskan|mengirim|mengirimkan|"
    r"menambahkan|memperbarui|mengunggah|melengkapi|mengonfirmasi)\b|\bkami (?:perlu|butuh|membutuhkan|memerlukan)\b",
    # Catalan, Polish, Russian, Ukrainian, Arabic (written folded: no accents, no breves)
    r"\bsi us plau\b|\bus (?:demanem|demano)\b|\bprosz[e]\b|\bprosimy\b|\bczy (?:moglibyscie|mozecie|mozesz)\b|"
    r"\bpotrzebujemy\b",
    r"\bпожалуиста\b|\bпросим\b|\bпрошу\b|\bне могли бы\b|\bбудь ласка\b|\bпросимо\b|"
    r"\bнам (?:нужно|нужна|нужен|нужны|потрібно|потрібна)\b|يرجى|الرجاء|من فضلك|نرجو|هل يمكنك",
))

POLITE = Gated(words("vielen dank danke viele beste liebe grazie cordiali saluti terima salam dziekuje dziekujemy "
                             "pozdrawiam спасибо дякую شكرا"), rx(
    r"^(?:vielen )?dank\b|^danke\b|\b(?:viele|beste|liebe) grusse\b|^grazie\b|\bsaluti\b|"
    r"^terima kasih\b|^salam\b|^dziekuj|\bpozdrawiam\b|^спасибо\b|^дякую\b|^شكرا",
))
