"""Welsh for the messages' sentences, used until the Welsh catalogue has them.

The messages are written with ``_()`` like every other user-facing text, so the
Welsh catalogue (assessment/translations) wins once it translates them; until
then a Welsh or bilingual message still comes out in Welsh rather than silently
in English.  Keys are the English msgids of :mod:`assessment.mail.compose`.
"""

WELSH: dict[str, str] = {
    "%(organisation)s: please take part in “%(round)s”":
        "%(organisation)s: cymerwch ran yn “%(round)s”",
    "Reminder: please answer “%(round)s”": "Nodyn atgoffa: atebwch “%(round)s”",
    "Hello,": "Helo,",
    "%(organisation)s invites you to answer the self-assessment “%(round)s” for %(department)s.":
        "Mae %(organisation)s yn eich gwahodd i ateb yr hunanasesiad “%(round)s” ar gyfer "
        "%(department)s.",
    "This is a reminder from %(organisation)s: you have not yet sent your answers to the "
    "self-assessment “%(round)s” for %(department)s.":
        "Dyma nodyn atgoffa gan %(organisation)s: nid ydych wedi anfon eich atebion i’r "
        "hunanasesiad “%(round)s” ar gyfer %(department)s eto.",
    "Its purpose: %(purpose)s": "Ei ddiben: %(purpose)s",
    "Please answer by %(date)s.": "Atebwch erbyn %(date)s, os gwelwch yn dda.",
    "Use this link to start. It is yours alone: please do not forward this email.":
        "Defnyddiwch y ddolen hon i ddechrau. Mae’n perthyn i chi yn unig: peidiwch ag anfon yr "
        "e-bost hwn ymlaen.",
    "Use the same link as before. Your saved answers are kept.":
        "Defnyddiwch yr un ddolen ag o’r blaen. Mae’r atebion a gadwyd gennych yn dal yno.",
    "If you have a question, contact %(contact)s.":
        "Os oes gennych gwestiwn, cysylltwch â %(contact)s.",
    "Welsh below": "Cymraeg isod",
}
