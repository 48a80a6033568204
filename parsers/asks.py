"""Is a sentence an ask?  Questions, requests, courtesies, advice and promises.

Why phrase lists and not a model: the bot must explain every decision to the
people it reminds, and a phrase that made a sentence a request ("we are
waiting for …") is an explanation anyone can check.  The lists cover the
phrasings reviewers and grantees actually use on Meta in English, Spanish,
Portuguese and French (other languages: :mod:`parsers.morelangs`); every
pattern is applied whatever the page language, because reviewers often
switch languages within one page.

Order matters: courtesies ("Please let us know if you have any questions")
and advice ("I would suggest …") look like requests or questions but ask for
nothing, so they are recognised first.
"""

from __future__ import annotations

import re
from enum import Enum

from parsers import morelangs as more
from parsers.text import fold, is_question


class Ask(str, Enum):
    QUESTION = "question"
    REQUEST = "request"
    COURTESY = "courtesy"  # closing formulas, thanks, offers of help
    ADVICE = "advice"  # suggestions with no explicit ask
    NOTICE = "notice"  # process notices, announcements, "please note" information
    NONE = "none"


_rx = more.rx


# Patterns run on fold()ed text: lower case, no accents.
_COURTESY = _rx(
    # English
    r"\b(?:let|letting) (?:us|me) know if (?:you )?(?:have|need|require|want|would like|there (?:is|are)|anything|any)",
    r"\bif you have any (?:other |further |more )?(?:questions?|doubts?|concerns?)",
    r"\b(?:feel free|do not hesitate|don't hesitate|dont hesitate)\b",
    r"\b(?:hope|hoping|looking forward) to (?:hear|hearing|read|reading|see|seeing)\b",
    r"\blook(?:ing)? forward to\b",
    r"\b(?:happy|glad) to (?:help|answer|clarify|discuss|support)\b",
    r"\bplease accept\b",
    r"\bwhy not\b.*\?$",
    r"\b(?:any|other) (?:questions|thoughts|comments)\?$",
    r"^(?:questions|preguntas|perguntas|des questions|fragen|domande|pertanyaan)\s*\?",  # "Questions? Contact us at ..."
    # Spanish
    r"\bquedo (?:atent[oa]|a (?:tu|su) disposicion)|\bquedamos (?:atent[oa]s|a (?:tu|su) disposicion)",
    r"\bcualquier (?:duda|consulta|pregunta)\b",
    r"\bno (?:dudes|dudeis|duden|dude) en\b",
    r"\besper(?:o|amos|ando) (?:tu|su|vuestra|sus) (?:respuesta|noticias|comentarios)",
    # Portuguese
    r"\b(?:fico|ficamos|estou|estamos) a (?:sua |tua )?disposicao\b|\b(?:fico|ficamos) no aguardo\b",
    r"\bqualquer (?:duvida|pergunta)\b",
    r"\baguard(?:o|amos) (?:o )?(?:seu|teu|vosso) (?:retorno|contato|contacto)",
    # French
    r"\bn'?hesite[zr]? pas\b|\bau plaisir de\b|\bdans l'attente de (?:vous|votre)\b",
    r"\bsi vous avez (?:des|d'autres) questions\b",
)

# Sentences about the conversation itself, not about the grant: they ask for no content.
_NOTICE = _rx(
    # "We would like to understand a few points.": a lead-in, the asks follow it.
    r"\b(?:a few|some|several|two|three|alguns|algumas|algunos|algunas|unos|umas|quelques|deux|trois|dos|tres|dois|"
    r"duas) (?:more |other |outros |outras |otros |otras |autres )?(?:points|questions|pontos|perguntas|preguntas|"
    r"puntos|duvidas|dudas|clarifications|esclarecimentos|aclaraciones|precisions|things|cosas|coisas|"
    r"questoes|cuestiones)(?: (?:first|before|primeiro|antes|d'abord|avant))?\s*[.:!]?$",
    r"\blet (?:us|me) know (?:when|once|as soon as|so (?:that )?(?:we|i)|after)\b",
    r"\b(?:keep an eye on|check|watch|follow) (?:this|the) (?:talk ?page|page|discussion|thread)\b",
    r"\b(?:address|answer|respond to|reply to) (?:them|these|those|all|each|the (?:questions|comments|points))"
    r"(?: all)? (?:in|on|here|below)\b.*:$",
    r"^please (?:find|see) (?:my|our|the) (?:responses|answers|replies|comments)\b",
    r"\brefer to (?:that|this|the|our) (?:page|report|section|link) for\b",
    r"\b(?:check|look at|watch) (?:your|the) (?:e-?mail|inbox|mailbox)\b",
    r"\b(?:submit|file|send|post|publish|upload)(?: us| in)? (?:your|the|a) (?:final |midpoint |interim |financial )?"
    r"report (?:\w+ )?(?:within|by|no later|after|once|at the end|\d+ (?:days|weeks|months))\b",
    r"\b(?:enviar|entregar|submeter|publicar|presentar|subir|envoyer|soumettre|remettre|rendre|deposer) "
    r"(?:(?:o|a|el|la|le|su|seu|votre|vuestro|tu) )?(?:relatorio|informe|rapport)\b.*"
    r"\b(?:\d+ (?:dias|jours|semanas|semaines|meses|mois)|ate o|hasta el|avant le|dentro de|dans les)\b",
    r"\b(?:reply|respond|answer) (?:to this|here|on this)\b.*\b(?:once|when|after|as soon as)\b",
    r"^(?:hello,? |hi,? )?please note\b(?!.*\byou (?:need|must|have|will need) to\b)",
    r"^(?:please )?(?:keep|bear) in mind\b(?!.*\byou (?:need|must|have|will need) to\b)",
    # "Please respond to these questions on this talk page": where and how to answer, not what
    r"^(?:\w+,? )?(?:please |kindly )?(?:respond|reply|answer)(?: to)? (?:these|the|my|our|all|those|each of "
    r"(?:these|the|my)) (?:\w+ )?(?:questions|points|comments|concerns)\b",
    r"^(?:\w+,? )?(?:please |kindly )?(?:respond|reply|answer) (?:here|below|inline|on this (?:talk ?)?page|"
    r"in this (?:section|thread))\b",
    r"\b(?:responde|responda|respondan|respondam|responder|contesta|conteste|contesten|repondre|repondez|respon|"
    r"responeu|respondre|antworte|antwortet|rispondi|rispondete|rispondere) (?:aqui|en esta|nesta|ici|sur cette|"
    r"en aquesta|hier|auf dieser|qui|su questa|a (?:estas|las|mis|essas|estas|minhas)|as (?:perguntas|minhas)|"
    r"a ces|a aquestes|auf diese|a queste|debajo|abaixo|ci-dessous)\b",
    r"^\(?please note\b(?!.*\byou (?:need|must|have|will need) to\b)",
    r"^(?:tenga|tengan|ten) en cuenta\b|^(?:observe|observem|note) que\b|^veuillez noter\b",
    r"\b(?:avisanos|avisenos|avise-nos|avisem-nos|faites-nous savoir|tenez-nous au courant) (?:cuando|quando|quand|lorsque)\b",
    # "Let us know on this page when you have made the changes": report back once done, in any language
    r"\b(?:let (?:us|me) know|inform (?:us|me)|notify (?:us|me)|tell (?:us|me)|nous (?:informer|prevenir|tenir au courant|"
    r"faire savoir)|(?:avisar|informar|comunicar)(?:nos|-nos| nos)|(?:gebt|gib|geben sie) (?:uns |mir )?(?:bitte )?bescheid|"
    r"fateci sapere|avvisateci|informateci|kabari kami)\b[^.?!]{0,50}\b(?:when|once|as soon as|after|lorsque|quand|"
    r"des que|une fois|cuando|una vez|quando|assim que|logo que|wenn|sobald|quando|appena|setelah|jika)\b[^.?!]{0,60}"
    # (changes to the page; "notify me once the refund is done" asks for something else, and stays a request)
    r"\b(?:changes|modifications|modificaciones|alteracoes|mudancas|cambios|anderungen|modifiche|perubahan|"
    r"adjustments|ajustes|corrections|edits|updated (?:the|your) (?:proposal|page|request))\b",
)

# "Please disregard my earlier question": takes an ask back (see :func:`is_withdrawal`).
_WITHDRAWAL = _rx(
    r"\b(?:disregard|ignore|forget|scratch) (?:my|the|that|this) (?:earlier |previous |last |above |first |second )?"
    r"(?:question|comment|request|point|ask)s?\b",
    r"\bnever ?mind\b|\b(?:i|we) withdraw (?:my|the|that|this)\b|\bno (?:longer a |)need to (?:answer|reply|respond)\b",
    r"\b(?:ignoren|ignora|ignore|olviden|olvida|olvide) (?:mi|la|esa|esta) (?:pregunta|solicitud|comentario)\b",
    r"\bdesconsider(?:em|e|ar) (?:a |o |minha |meu )?(?:pergunta|pedido|comentario)\b",
    r"\b(?:ignorez|oubliez) (?:ma|la|cette) (?:question|demande|remarque)\b|\bne tenez pas compte\b",
    # A bare "please disregard this, I found it": the object is the comment replied to.
    r"\b(?:disregard|ignore) (?:this|that|it|the above|my (?:earlier |previous |last )?(?:message|note|post))"
    r"(?:\s*[,.;:!)]|\s*$| (?:one|part|bit)\b)",
    r"\b(?:por favor )?(?:ignoren|ignora|olviden|olvida) (?:esto|eso|lo anterior|mi (?:mensaje|nota))\b",
    r"\bpor favor,? (?:ignoren|ignore|olviden|olvide)\b|\bdesconsider(?:em|e)\b|\b(?:por favor,? )?ignorem\b",
    r"\b(?:veuillez|merci d'|merci de) ?(?:ignorer|ne pas tenir compte)\b|\b(?:ignorez|oubliez) (?:ceci|cela|ca)\b",
)
# A question in quotation marks is someone else's words ("You asked: ..."), or rhetoric.
_QUOTED_OR_RHETORICAL = _rx(
    r"^[\"“„«'‘].*[?？][\"”»'’]$",
    r"^(?:you asked|regarding your question|as to your question|about your question)\b",
    r"^(?:isn't (?:it|that)|aren't (?:they|these)|who (?:doesn't|does not|wouldn't)|what's not to like)\b",
    # "Why has nobody done this before?": praise phrased as a question
    r"^(?:but )?why (?:has|have|had|did|didn't|hasn't|haven't) (?:nobody|no one|no-one|noone|anyone|anybody)\b",
    r"^(?:y )?(?:por que|porque) (?:nadie|ninguem) (?:ha|habia|hizo|tinha|fez)\b|^pourquoi personne n'a\b",
)

# "Maybe working with partners?": a suggestion phrased as a question, not a question.
_SUGGESTION_QUESTION = _rx(r"^(?:maybe|perhaps|quizas|quiza|talvez|peut-etre)\b[^?]*\?$")

_POLITE = _rx(
    r"^(?:many )?thanks?\b|^thank you\b",
    r"\b(?:all the best|best regards|kind regards|cheers)\b",
    r"^(?:muchas )?gracias\b|\bsaludos\b|\bun abrazo\b",
    r"^(?:muito )?obrigad[oa]s?\b|\babracos\b|\batenciosamente\b",
    r"^merci (?:beaucoup|pour|de votre|de ton|a vous|encore)\b|^merci\s*[.!]?$",
    r"^merci d['\u2019]avance\b|^merci de (?:nous |m'|l')?avoir\b",
    r"\bcordialement\b|\bbien a vous\b",

)

_ADVICE = _rx(
    r"\bit (?:will|would) be (?:great|good|nice|helpful|useful|ideal) to\b",
    r"\b(?:the|my|one|our) (?:suggestion|recommendation) (?:would be|is)\b",
    r"\b(?:in the future|next year|next time|for future (?:projects|grants|events))\b",
    r"\b(?:we|i) (?:will )?advise you\b",
    r"\b(?:i|we) (?:would |'d |do |also |strongly )?(?:suggest|recommend|advise|encourage)\b",
    r"\b(?:i|we)'d (?:suggest|recommend|advise|encourage)\b",
    r"\byou (?:might|may|could) (?:want to|wish to|consider|also consider)\b",
    r"\bit (?:might|may|would) be (?:a good idea|worth|useful|helpful) to\b",
    r"\bin the future,? (?:it|you)\b",
    r"\b(?:te|le|les|os) (?:sugiero|sugerimos|recomiendo|recomendamos|aconsejo)\b",
    r"\b(?:sugiero|sugerimos|recomiendo|recomendamos)\b",
    r"\bseria (?:bueno|interesante|util) (?:que|considerar)\b",
    r"\b(?:sugiro|sugerimos|recomendo|recomendamos|aconselho)\b",
    r"\b(?:je|nous) (?:vous )?(?:suggere|suggerons|recommande|recommandons|conseille|conseillons)\b",

)

_REQUEST = _rx(
    # English
    r"\bplease\b|\bkindly\b",
    r"\b(?:could|can|would) you (?:please |kindly )?(?:\w+ )?(?:send|share|provide|upload|add|update|"
    r"explain|clarify|describe|confirm|tell|let|include|fill|complete|submit|return|check|fix|"
    r"give|post|make|report|detail|elaborate|expand|list)\b",
    r"\b(?:we|i) (?:are|am) (?:still |currently )?(?:waiting|awaiting|expecting)\b",
    r"\b(?:we|i) (?:still |also |really |will |would )?(?:await|need (?:you|your|the|a|an|more|further|additional|"
    r"to (?:see|receive|get|know|have|understand)))\b",
    r"\b(?:is|are) (?:definitely |really |also |still |absolutely )?(?:needed|required|necessary)\b",
    r"\bi wonder (?:if|whether)\b|^(?:\w+,? )?(?:we|i) (?:would |'d )?(?:also )?like to see\b",
    r"\bit is (?:best|necessary|essential|required) (?:to|that you)\b",
    r"(?:^|, )(?:do |also )?(?:submit|send|share|provide|upload|add|update|revise|reduce|remove|include|"
    r"explain|clarify|confirm|describe|fill|complete|return|post|indicate|attach|link) (?:the|your|a|an|us|me|this|these|all)\b",
    r"\b(?:we|i) (?:would|'d) (?:like|love|appreciate|want) (?:to (?:know|hear|ask|receive|get|have|learn|understand)|"
    r"(?:it )?if you|you to|your)\b",
    r"\b(?:we|i)'d (?:like|love|appreciate) (?:to (?:know|hear|receive|get|learn|understand)|(?:it )?if you|you to)\b",
    r"\b(?:i am|i'm|we are|we're|(?:the )?(?:committee|team|reviewers?) (?:is|are)) (?:\w+ )?(?:interested|curious) "
    r"(?:to (?:know|hear|learn)|in (?:knowing|hearing|learning))\b",
    r"\b(?:the )?(?:committee|team|reviewers?|panel) (?:would|'d) (?:like|love|appreciate) (?:to (?:know|see|hear|"
    r"receive|learn|understand)|(?:it )?if you|you to)\b",
    r"\byou (?:will )?(?:need|have|are required|are expected) to\b",
    r"\b(?:remember|don't forget|do not forget|make sure|be sure) to\b",
    r"\bit would be (?:great|good|helpful|useful|nice) if you (?:could|can|would)\b",
    r"\bit would (?:also |really )?help (?:us |me )?(?:to (?:know|see|have|understand|get)|if you)\b",
    # Spanish
    r"\bpor favor\b|\bfavor de\b|\bte (?:pido|pedimos)\b|\ble[s]? (?:pido|pedimos|solicito|solicitamos|ruego|rogamos)\b",
    r"\b(?:podrias|podrian|podria|podriais|puedes|pueden|puede) (?:\w+ )?(?:enviar|compartir|mandar|subir|"
    r"explicar|aclarar|describir|confirmar|indicar|completar|agregar|anadir|actualizar|informar|contar|decir|"
    r"incluir|detallar|proporcionar|devolver|reintegrar)\b",
    r"\b(?:quisieramos|quisiera|queremos|quiero|nos gustaria|me gustaria) (?:saber|conocer|recibir|ver|pedir|"
    r"solicitar|entender|que)\b",
    r"\b(?:estamos|estoy|seguimos|sigo) (?:aun |todavia )?(?:esperando|a la espera)\b",
    r"\b(?:necesitamos|necesito) (?:que|recibir|ver|el|la|los|las)\b",
    r"\b(?:agradeceriamos|agradeceria|agradecere|agradeceremos) (?:que|si|mucho|recibir)\b",
    r"\b(?:recuerden|recuerda|recuerde|no olviden|no olvides) (?:que|de|enviar)\b",
    r"\b(?:solicitamos|solicito)\b",
    # Portuguese
    r"\b(?:poderiam|poderia|podem|pode|podes) (?:\w+ )?(?:enviar|compartilhar|partilhar|mandar|explicar|"
    r"esclarecer|descrever|confirmar|indicar|completar|adicionar|atualizar|informar|contar|dizer|incluir|"
    r"detalhar|fornecer|devolver)\b",
    r"\b(?:gostariamos|gostaria|queremos|queriamos) (?:tambem |ainda |muito )?(?:de )?(?:saber|conhecer|receber|ver|"
    r"pedir|entender)\b",
    r"\b(?:agradecemos|agradeco|agradeceriamos|agradeceria) (?:muito )?se (?:\w+ )?(?:puderem|pudessem|poderem|puder|"
    r"pudesse|voces|você|voce)\b",
    r"\b(?:estamos|estou|continuamos) (?:ainda )?(?:aguardando|a aguardar|esperando|a espera)\b",
    r"\b(?:aguardamos|aguardo) (?:o envio|a |os |as |o )",
    r"\b(?:precisamos|preciso) (?:que|receber|ver|do|da|dos|das)\b",
    r"\b(?:pedimos|peco|solicitamos) (?:que|o|a|os|as)\b",
    r"\b(?:lembrem|lembre|nao se esquecam) (?:de|que)\b",
    # French
    r"\bs'il (?:vous|te) plait\b|\bveuillez\b|\bmerci de (?!votre|ton|vos|tes|(?:nous |m'|l'|les |vous )?avoir)\w+",
    r"\bmerci d['\u2019](?!avance|avoir|etre)[a-z]+(?:er|ir|re)\b",
    r"\b(?:pourriez|pouvez|pourrais|peux)-(?:vous|tu)\b",
    r"\b(?:nous aimerions|j'aimerais|nous voudrions|je voudrais) (?:savoir|connaitre|recevoir|voir|comprendre|que)\b",
    r"\b(?:nous attendons|j'attends|nous sommes en attente|je suis en attente) (?:toujours |encore )?(?:le|la|les|vos|votre|de)\b",
    r"\b(?:nous avons|j'ai) besoin (?:de|que)\b",
    r"\bn'oubliez pas de\b|\bpensez a\b",
)

# Promises: an answer that commits to doing something later.
_COMMITMENT = _rx(
    r"\b(?:we|i)(?: will|'ll| shall| are going to| am going to| plan to| intend to| expect to)\b",
    r"\bwill (?:send|share|upload|provide|update|add|return|inform|let you know|do|be sent|be uploaded)\b",
    r"\b(?:as soon as|next week|next month|in the coming|in a few days|shortly|soon)\b",
    r"\b(?:vamos|voy) a\b",
    r"\b\w{3,}(?:aremos|eremos|iremos)\b|\b(?:vamos|irei|iremos) (?:\w+ar|\w+er|\w+ir)\b",
    r"\b(?:nous allons|je vais|nous \w+rons|je \w+rai)\b",
    r"\b(?:wir|ich) (?:werden|werde)\b|\b\w{3,}(?:eremo|iremo|aremo)\b|\b(?:kami|saya) akan\b|\bмы (?:будем|сделаем)\b",
)
# The Spanish/Portuguese future singular ("enviaré", "enviarei") needs its accent back.
_FUTURE_ACCENTED = re.compile(r"\b\w{3,}(?:aré|eré|iré|arei|erei|irei)\b", re.IGNORECASE)
_DONE = _rx(r"\balready\b|\bya (?:lo |la |los |las )?(?:enviamos|hemos|fue|esta)\b|\bja (?:enviamos|foi)\b|\bdeja\b")


def classify(plain: str) -> Ask:
    """What kind of ask a plain-text sentence is (a signature's leading dashes are not part of it)."""
    plain = plain.strip().rstrip("-–—~ ")
    text = fold(plain)
    if not text:
        return Ask.NONE
    words = frozenset(more.WORD.findall(text))
    if _COURTESY.search(text) or more.COURTESY.search(text, words):
        return Ask.COURTESY
    if _NOTICE.search(text) or text.endswith(":") or _WITHDRAWAL.search(text) or more.WITHDRAWAL.search(text, words):
        return Ask.NOTICE  # a lead-in ("we need a few clarifications:") asks through what follows it
    if _SUGGESTION_QUESTION.search(text):
        return Ask.ADVICE
    if _QUOTED_OR_RHETORICAL.search(text.strip()):
        return Ask.NONE
    if is_question(plain):
        return Ask.QUESTION
    if _ADVICE.search(text) or more.ADVICE.search(text, words):
        return Ask.ADVICE
    if _REQUEST.search(text) or more.REQUEST.search(text, words):
        return Ask.REQUEST
    if _POLITE.search(text) or more.POLITE.search(text, words):
        return Ask.COURTESY
    return Ask.NONE


_WITHDRAWAL_HINTS = ("disregard", "ignor", "forget", "scratch", "never", "withdraw", "no need", "no longer",
                     "olvid", "desconsider", "oubliez", "tenez", "vergess", "vergiss", "erledigt", "lasciate",
                     "rispondere", "dijawab")


def is_withdrawal(plain: str) -> bool:
    """Does the sentence take back an earlier ask ("please disregard my earlier question")?"""
    lowered = plain.lower()
    text = fold(plain)
    return any(h in lowered for h in _WITHDRAWAL_HINTS) and bool(
        _WITHDRAWAL.search(text) or more.WITHDRAWAL.search(text, frozenset(more.WORD.findall(text))))


# A reply about all the reviewer's points at once ("some of these metrics", "vos remarques") ...
_COLLECTIVE = _rx(
    r"\b(?:these|those|your|the above|all the|all your|some of (?:these|the|your)) (?:questions|comments|points|"
    r"concerns|metrics|remarks|suggestions|issues|measures)\b",
    r"\b(?:estas|estos|sus|tus|todas las|todos los) (?:preguntas|comentarios|observaciones|sugerencias)\b",
    r"\b(?:essas|esses|estas|estes|suas|seus) (?:perguntas|comentarios|observacoes|sugestoes)\b",
    r"\b(?:vos|ces|toutes les|tous les) (?:questions|remarques|commentaires|suggestions)\b",
)
# ... that reports what was done about them.
_REPORTS_DONE = _rx(
    r"\b(?:we|i) (?:have|'ve) (?:now |already |also )?(?:\w+ed|made|done|taken|rewritten)\b",
    r"\bhave been (?:\w+ed|made|done|rewritten)\b",
    r"\b(?:hemos|he) \w+(?:ado|ido)\b|\b(?:ja )?\w+(?:amos|emos|imos) (?:as|os|a|o) (?:metas|mudancas|alteracoes)\b",
    r"\b(?:nous avons|j'ai) \w+(?:e|i|u)s?\b",
)


# A reviewer settling the review: earlier questions need no more reminders.
_SETTLED = _rx(
    r"\b(?:is|has been|was|are|were|is now) (?:now )?(?:approved|accepted)\b|\bi am approving\b|"
    r"\b(?:i|we)(?: am|'m| are|'re)? (?:happy|glad|pleased) to (?:approve|accept)\b|\bthat answers my questions?\b|"
    r"\ball (?:my )?questions (?:are|have been) answered\b|\ball clear\b",
    r"\b(?:fue|ha sido|esta|queda) (?:aprobad[oa]|aceptad[oa])\b|\b(?:foi|esta) (?:aprovad[oa]|aceit[oa])\b|"
    r"\b(?:est|a ete) (?:approuvee?|acceptee?)\b",
    r"\b(?:meine|alle|unsere) fragen (?:sind )?(?:damit )?beantwortet\b|\bdamit sind (?:meine|alle) fragen\b|"
    r"\b(?:ist|wurde) (?:genehmigt|angenommen)\b|\bjawaban(?:nya)? (?:sudah )?jelas\b|\bpertanyaan saya (?:sudah )?terjawab\b|"
    r"\b(?:e stat[oa]|viene) (?:approvat[oa]|accettat[oa])\b",
)


def settles_review(plain: str) -> bool:
    """Does a reviewer's sentence approve or accept, closing the earlier questions?"""
    return bool(_SETTLED.search(fold(plain)))


def takes_up_together(reply: str) -> bool:
    """A general reply that takes up several questions at once and reports a change (a partial answer to each)."""
    text = fold(reply)
    return bool(_COLLECTIVE.search(text)) and bool(_REPORTS_DONE.search(text))


def is_commitment(plain: str) -> bool:
    """Does an answer promise something instead of giving it?"""
    if _FUTURE_ACCENTED.search(plain):
        return not _DONE.search(fold(plain))
    text = fold(plain)
    return bool(_COMMITMENT.search(text)) and not _DONE.search(text)


_LANG_WORDS = {
    "en": frozenset("the and you your we have with this that what please could would is are of to".split()),
    "es": frozenset("el la los las que de y en por para con una es sus su nos usted ustedes podrian".split()),
    "pt": frozenset("o os as que de e em por para com uma é seu sua vocês voces não nao você voce".split()),
    "fr": frozenset("le la les que de et en pour avec une est vous votre nous pas des du".split()),
}


def detect_language(plain: str, default: str = "en") -> str:
    """The language most of the words belong to (ties go to ``default``)."""
    words = re.findall(r"[^\W\d_]+", plain.casefold())
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANG_WORDS.items()}
    best = max(scores.values())
    if best == 0 or scores.get(default, 0) == best:
        return default
    return max(scores, key=lambda k: scores[k])
