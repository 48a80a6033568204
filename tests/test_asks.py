"""Sentence splitting, markup stripping, ask classification and roles."""

from __future__ import annotations

import pytest

from parsers.asks import Ask, classify, detect_language, is_commitment
from parsers.roles import Roles
from parsers.text import content_stems, split_sentences, strip_markup


@pytest.mark.parametrize("sentence, expected", [
    ("How many people came to the workshop?", Ask.QUESTION),
    # More languages: the same kinds, in the words reviewers use there
    ("Bitte schickt uns die Teilnehmerliste.", Ask.REQUEST),
    ("Per favore, caricate le ricevute.", Ask.REQUEST),
    ("Mohon kirimkan daftar peserta.", Ask.REQUEST),
    ("Будь ласка, надішліть звіт.", Ask.REQUEST),
    ("Prosimy o przesłanie listy uczestników.", Ask.REQUEST),
    ("Si us plau, afegiu el pressupost detallat.", Ask.REQUEST),
    ("يرجى إرسال قائمة المشاركين.", Ask.REQUEST),
    ("هل يمكنكم توضيح الميزانية؟", Ask.QUESTION),
    ("Wir empfehlen euch, früher mit der Werbung zu beginnen.", Ask.ADVICE),
    ("Kami menyarankan agar panitia membuat modul.", Ask.ADVICE),
    ("Vielen Dank für den ausführlichen Bericht.", Ask.COURTESY),
    # Where and how to answer, and waiting for the answers, ask for nothing new
    ("Aguardo as respostas.", Ask.COURTESY),
    ("I look forward to your replies.", Ask.COURTESY),
    ("Please respond to these questions on this talk page within two weeks.", Ask.NOTICE),
    ("Please reply here so that everything stays in one place.", Ask.NOTICE),
    ("Please keep in mind that the review pauses until all questions are answered.", Ask.NOTICE),
    ("Please let us know on this page when you have made the changes.", Ask.NOTICE),
    ("Merci de nous informer ici lorsque les modifications auront été faites.", Ask.NOTICE),
    ("Questions? Write to the grants team.", Ask.COURTESY),
    ("Please notify us by e-mail once the refund is done, so finance can close the grant.", Ask.REQUEST),
    ("Why has nobody done this before?", Ask.NONE),
    # ... but a real ask after a clause about answering stays one
    ("Once you have answered the questions above, please check that the totals add up.", Ask.REQUEST),
    ("¿Cuántas personas asistieron al taller?", Ask.QUESTION),
    ("Combien de personnes sont venues ?", Ask.QUESTION),
    ("Please upload the receipts to the report page.", Ask.REQUEST),
    ("As the funds were not spent, please return them to the foundation.", Ask.REQUEST),
    ("We are still waiting for the signed contract.", Ask.REQUEST),
    ("Could you send us the final attendance list.", Ask.REQUEST),
    ("Quisiéramos saber cuántos voluntarios participaron.", Ask.REQUEST),
    ("Por favor, suban las fotos a Commons.", Ask.REQUEST),
    ("Estamos esperando el informe financiero.", Ask.REQUEST),
    ("Poderiam enviar a lista de participantes.", Ask.REQUEST),
    ("Gostaríamos de saber quantas pessoas participaram.", Ask.REQUEST),
    ("Merci de nous envoyer les factures.", Ask.REQUEST),
    ("Veuillez compléter la section budget.", Ask.REQUEST),
    ("Please let us know if you have any questions.", Ask.COURTESY),
    ("Hope to hear back from you soon so we can close the grant.", Ask.COURTESY),
    ("Feel free to reach out on my talk page.", Ask.COURTESY),
    ("Quedamos atentos a cualquier duda.", Ask.COURTESY),
    ("N'hésitez pas à nous contacter.", Ask.COURTESY),
    ("Thank you very much for this detailed report.", Ask.COURTESY),
    ("I would suggest adding more breaks between the sessions.", Ask.ADVICE),
    ("If not, I suggest contacting the committee directly.", Ask.ADVICE),
    ("Les sugerimos usar una hoja de cálculo compartida.", Ask.ADVICE),
    ("Je vous suggère de publier le programme plus tôt.", Ask.ADVICE),
    ("The venue was well chosen.", Ask.NONE),
    ("We would like to see more ambitious goals next year.", Ask.ADVICE),
    ("I would also like to see the number of new editors as a measure.", Ask.REQUEST),
    ("More detail on the outreach plan is definitely needed.", Ask.REQUEST),
    ("I wonder if we can look at the travel costs again.", Ask.REQUEST),
    ("With the new amount, do submit an updated budget table.", Ask.REQUEST),
    ("Please let us know when the changes are made, so we can continue.", Ask.NOTICE),
    ("Please keep an eye on this talk page during the review.", Ask.NOTICE),
    ("Please answer them all on this page:", Ask.NOTICE),
    ("Please note that we no longer fund cash prizes.", Ask.NOTICE),
    ("Please find our answers below.", Ask.NOTICE),
    ("Maybe asking the local library for a room?", Ask.ADVICE),
    ("It will be great to describe who the audience is.", Ask.ADVICE),
    ("We encourage you to ask your community for endorsements.", Ask.ADVICE),
    ("Please disregard my earlier question about the venue.", Ask.NOTICE),
    ("Oops, kindly ignore that, the receipts are in the annex.", Ask.NOTICE),
    ("Perdón, por favor ignoren, ya vi la tabla de gastos.", Ask.NOTICE),
    ("Desculpem, desconsiderem, a planilha já estava na página.", Ask.NOTICE),
    ("Pardon, veuillez ignorer, j'ai trouvé le devis dans l'annexe.", Ask.NOTICE),
    ("Please do not ignore this rule about receipts.", Ask.REQUEST),
    ("Merci d'ajouter le coût des badges au tableau.", Ask.REQUEST),
    ("Merci d'avance pour vos précisions.", Ask.COURTESY),
    ("Antes da aprovação, gostaríamos de entender melhor alguns pontos.", Ask.NOTICE),
    ("We have a few more questions before approval:", Ask.NOTICE),
    ("Agradecemos se puderem mandar as notas fiscais.", Ask.REQUEST),
    ("Gostaríamos também de saber quem fará as fotos.", Ask.REQUEST),
    ("Please remember to file the final report 60 days after the last session.", Ask.NOTICE),
    ("Recuerden presentar el informe final dentro de los 30 días del cierre.", Ask.NOTICE),
    ('"Can we buy a second camera?"', Ask.NONE),
    ("Isn't that a great result?", Ask.NONE),
    ("The committee would like to know which schools agreed.", Ask.REQUEST),
    ("Please check your email for the grant agreement.", Ask.NOTICE),
    ("", Ask.NONE),
])
def test_classify(sentence: str, expected: Ask) -> None:
    assert classify(sentence) is expected


def test_settled_general_reply_and_withdrawal_helpers() -> None:
    from parsers.asks import is_withdrawal, settles_review, takes_up_together

    assert settles_review("Thanks, the request is approved.") and not settles_review("Please approve it.")
    assert takes_up_together("We have rewritten the plan with these comments in mind.")
    assert not takes_up_together("These are good questions, I will answer tomorrow.")
    assert is_withdrawal("Ignorez ma question sur le calendrier.") and not is_withdrawal("Ignore the old budget.")


def test_thanks_then_ask_in_one_sentence_is_still_an_ask() -> None:
    assert classify("Thanks for this, could you clarify the dates?") is Ask.QUESTION
    assert classify("Thank you, please keep that in mind for the survey.") is Ask.REQUEST


@pytest.mark.parametrize("answer, promise", [
    ("We will send the receipts next week.", True),
    ("Enviaremos las facturas el lunes.", True),
    ("Nous allons publier les photos demain.", True),
    ("It might take a few days, but we will inform you as soon as it is done.", True),
    ("Already sent.", False),
    ("The receipts are linked from the financial table.", False),
])
def test_commitment(answer: str, promise: bool) -> None:
    assert is_commitment(answer) is promise


def test_language_detection() -> None:
    assert detect_language("¿Podrían enviar las facturas de los talleres?") == "es"
    assert detect_language("Pourriez-vous nous envoyer les factures de la salle ?") == "fr"
    assert detect_language("Could you send the invoices for the venue?") == "en"
    assert detect_language("", default="pt") == "pt"


def test_sentences_keep_offsets_and_skip_dots_in_links() -> None:
    text = ("Great news! Did you plan anything special? ? See [https://example.org/a.b?c=d the page]. "
            "Was it useful e.g. for newcomers?")
    sentences = split_sentences(text, base=100)
    plains = [s.plain for s in sentences]
    assert plains == ["Great news!", "Did you plan anything special? ?", "See the page.",
                      "Was it useful e.g. for newcomers?"]
    for s in sentences:
        assert text[s.start - 100:s.end - 100] == s.raw
    assert [s.is_question for s in sentences] == [False, True, False, True]


def test_numbered_marker_is_not_a_sentence_end() -> None:
    assert [s.plain for s in split_sentences("1. How many volunteers joined?")] == \
        ["1. How many volunteers joined?"]


def test_strip_markup() -> None:
    raw = "'''Budget:''' see [[Grants:Example/Report|the report]] <!-- hidden --> and {{done}}<br/>now"
    assert strip_markup(raw) == "Budget: see the report and now"


def test_stems_pair_inflections() -> None:
    assert content_stems("detailed expense documents") == content_stems("detail expenses documentation")
    assert not content_stems("please let us know")  # only stop words


def test_roles_defaults_and_overrides() -> None:
    roles = Roles.build(reviewers=["Committee member"], reviewer_patterns=[r"^GAC "],
                        grantees=[])
    assert roles.role_of("Jane (WMF)") == "reviewer"
    assert roles.role_of("committee_member") == "reviewer"
    assert roles.role_of("GAC Reader") == "reviewer"
    assert roles.role_of("Local Organiser") == "grantee"
    assert roles.role_of(None) == "other"
    named = Roles.build(grantees=["Local Organiser"])
    assert named.role_of("Local Organiser") == "grantee"
    assert named.role_of("Passer By") == "other"
    assert named.role_of("Jane (WMF)") == "reviewer"
