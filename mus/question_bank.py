"""The built-in question bank as plain literals (content, Danish first).

A Python module rather than a JSON file, so it travels inside a phone bundle
with no resource loading. The wording is our own (``shared/question-bank.md``);
ids are stable, because forms and preparation notes refer to them. Edit the
text freely, never reuse an id. :mod:`mus.questions` turns these rows into
typed values.
"""

from __future__ import annotations

#: (theme id, level "basic"/"optional", Danish name, English name), in display order.
THEMES: tuple[tuple[str, str, str, str], ...] = (
    ("since_last", "basic", "Siden sidst", "Since last time"),
    ("coming_year", "basic", "Opgaver og det kommende år", "Tasks and the year ahead"),
    ("wellbeing", "basic", "Motivation og trivsel", "Motivation and well-being"),
    ("cooperation", "basic", "Samarbejde", "Cooperation"),
    ("feedback", "basic", "Feedback og ledelse", "Feedback and leadership"),
    ("skills", "basic", "Kompetencer og udvikling", "Skills and development"),
    ("strategy", "basic", "Strategi", "Strategy"),
    ("wrap_up", "basic", "Afrunding", "Wrap-up"),
    ("mobility", "optional", "Mobilitet", "Mobility"),
    ("career", "optional", "Talent og karriere", "Talent and career"),
    ("balance", "optional", "Balance mellem arbejds- og familieliv", "Work–life balance"),
    ("innovation", "optional", "Innovation", "Innovation"),
)

# fmt: off
#: (id, theme id, audience "employee"/"leader"/"both", sensitive, Danish, English).
QUESTIONS: tuple[tuple[str, str, str, bool, str, str], ...] = (
    # A. Siden sidst / tilbageblik
    (
        "A1", "since_last", "both", False,
        "Hvad er du mest tilfreds med fra det forløbne år?",
        "What are you most satisfied with from the past year?",
    ),
    (
        "A2", "since_last", "both", False,
        "Hvilke resultater har du bidraget til, som du gerne vil fremhæve?",
        "Which results have you contributed to that you want to highlight?",
    ),
    (
        "A3", "since_last", "employee", False,
        "Hvor har du mødt modstand eller udfordringer, og hvad lærte du af det?",
        "Where did you meet obstacles or challenges, and what did you learn from them?",
    ),
    (
        "A4", "since_last", "both", False,
        "Hvilke af dine kompetencer har været mest i brug, og bliver de brugt rigtigt?",
        "Which of your skills were used most, and are they used well?",
    ),
    (
        "A5", "since_last", "both", False,
        "Hvordan er det gået med aftalerne fra sidste udviklingsplan?",
        "How did the agreements in the last development plan work out?",
    ),
    (
        "A6", "since_last", "employee", False,
        "Hvad fra sidste samtale er stadig uafklaret og bør tages op igen?",
        "What from last time is still open and should be raised again?",
    ),
    # B. Opgaver og det kommende år
    (
        "B1", "coming_year", "both", False,
        "Hvilke opgaver fylder mest lige nu, og hvordan er balancen mellem dem?",
        "Which tasks take up most of your time now, and is the balance between them right?",
    ),
    (
        "B2", "coming_year", "both", False,
        "Hvilke nye opgaver eller ændringer ser vi komme i det kommende år?",
        "What new tasks or changes do we see coming in the year ahead?",
    ),
    (
        "B3", "coming_year", "employee", False,
        "Er der opgaver, du gerne vil have flere af eller færre af?",
        "Are there tasks you would like more or fewer of?",
    ),
    (
        "B4", "coming_year", "both", False,
        "Hvordan hænger dine opgaver sammen med afdelingens mål og kerneopgave?",
        "How do your tasks link to the unit's goals and core task?",
    ),
    (
        "B5", "coming_year", "employee", False,
        "Føler du dig klædt på til de opgaver, der kommer?",
        "Do you feel equipped for the tasks ahead?",
    ),
    (
        "B6", "coming_year", "leader", False,
        "Hvilke forventninger har jeg som leder til medarbejderens opgaveløsning næste år?",
        "What do I as leader expect of the employee's work next year?",
    ),
    # C. Motivation og trivsel
    (
        "C1", "wellbeing", "employee", False,
        "Hvad giver dig energi og lyst i arbejdet?",
        "What gives you energy and drive at work?",
    ),
    (
        "C2", "wellbeing", "employee", False,
        "Hvad dræner dig, og hvad kunne gøre det lettere?",
        "What drains you, and what might make it easier?",
    ),
    (
        "C3", "wellbeing", "both", False,
        "Hvordan har du det med dine opgaver, dine kolleger og din leder?",
        "How do you feel about your tasks, your colleagues and your leader?",
    ),
    (
        "C4", "wellbeing", "both", False,
        "Er det tydeligt, hvad der forventes af dig?",
        "Is it clear what is expected of you?",
    ),
    (
        "C5", "wellbeing", "employee", True,
        "Hvordan oplever du sammenhængen mellem arbejde og privatliv?",
        "How do you experience the balance between work and private life?",
    ),
    (
        "C6", "wellbeing", "both", False,
        "Hvad skal der til, for at du trives endnu bedre det næste år?",
        "What would make you thrive even more in the year ahead?",
    ),
    # D. Samarbejde
    (
        "D1", "cooperation", "both", False,
        "Hvordan fungerer samarbejdet i teamet eller afdelingen?",
        "How does cooperation work in the team or unit?",
    ),
    (
        "D2", "cooperation", "both", False,
        "Hvordan fungerer samarbejdet på tværs af organisationen og med eksterne parter?",
        "How does cooperation work across the organisation and with external partners?",
    ),
    (
        "D3", "cooperation", "employee", False,
        "Hvordan bidrager du selv til et godt samarbejde?",
        "How do you yourself contribute to good cooperation?",
    ),
    (
        "D4", "cooperation", "both", False,
        "Hvad lykkes I særligt godt med, og hvad kunne blive bedre?",
        "What does the team do especially well, and what could improve?",
    ),
    (
        "D5", "cooperation", "employee", False,
        "Er der kolleger eller samarbejdspartnere, du gerne vil arbejde mere sammen med?",
        "Are there colleagues or partners you would like to work more with?",
    ),
    # E. Feedback og ledelse
    (
        "E1", "feedback", "employee", False,
        "Får du den feedback, du har brug for, fra dine kolleger og din leder?",
        "Do you get the feedback you need from your colleagues and your leader?",
    ),
    (
        "E2", "feedback", "leader", False,
        "Hvad vil jeg særligt anerkende hos medarbejderen?",
        "What do I especially want to recognise in the employee?",
    ),
    (
        "E3", "feedback", "leader", False,
        "Hvad ser jeg som medarbejderens næste udviklingsskridt?",
        "What do I see as the employee's next step in their development?",
    ),
    (
        "E4", "feedback", "employee", False,
        "Hvad gør din leder, som hjælper dig, og hvad kunne din leder gøre anderledes?",
        "What does your leader do that helps you, and what could they do differently?",
    ),
    (
        "E5", "feedback", "employee", False,
        "Hvordan vil du helst have feedback i hverdagen?",
        "How do you prefer to get feedback day to day?",
    ),
    # F. Kompetencer og udviklingsmål
    (
        "F1", "skills", "both", False,
        "Hvilke faglige kompetencer skal du styrke for at løse afdelingens opgaver?",
        "Which professional skills should you build to solve the unit's tasks?",
    ),
    (
        "F2", "skills", "both", False,
        "Hvilke personlige eller sociale kompetencer vil du arbejde med?",
        "Which personal or social skills do you want to work on?",
    ),
    (
        "F3", "skills", "both", False,
        "Hvilke kompetencer kræver det tværgående samarbejde eller organisationens "
        "strategi af dig?",
        "Which skills do cross-organisational work or the strategy require of you?",
    ),
    (
        "F4", "skills", "employee", False,
        "Hvor vil du gerne være fagligt om 3–5 år?",
        "Where do you want to be professionally in 3–5 years?",
    ),
    (
        "F5", "skills", "both", False,
        "Hvordan kan vi se, at et mål er nået? Hvad vil være anderledes i din praksis?",
        "How will we know a goal is reached? What will be different in your daily work?",
    ),
    (
        "F6", "skills", "both", False,
        "Hvordan skal du bruge det nye, du lærer, i det daglige?",
        "How will you use what you learn in your daily work?",
    ),
    # G. Læring i praksis og aktiviteter
    (
        "G1", "skills", "both", False,
        "Kan målet nås gennem nye opgaver, sidemandsoplæring, mentor eller netværk "
        "frem for et kursus?",
        "Can the goal be reached through new tasks, training on the job, a mentor or a "
        "network rather than a course?",
    ),
    (
        "G2", "skills", "both", False,
        "Hvem kan hjælpe dig med at lære, og hvordan involverer vi dem?",
        "Who can help you learn, and how do we involve them?",
    ),
    (
        "G3", "skills", "both", False,
        "Hvis et kursus eller en uddannelse er relevant: hvad koster det i tid og penge, "
        "og hvordan finansieres det?",
        "If a course or programme is relevant: what does it cost in time and money, "
        "and how is it funded?",
    ),
    (
        "G4", "skills", "employee", False,
        "Hvordan kan du dele din nye viden med kolleger?",
        "How can you share what you learn with colleagues?",
    ),
    # H. Tilvalg
    (
        "H1", "mobility", "employee", False,
        "Kunne du tænke dig at prøve kræfter med en anden funktion, afdeling eller "
        "arbejdsplads?",
        "Would you like to try another role, unit or workplace?",
    ),
    (
        "H2", "career", "both", False,
        "Hvilke karriereveje ser du for dig, og hvad skal der til?",
        "What career paths do you see, and what will it take?",
    ),
    (
        "H3", "balance", "employee", True,
        "Er der perioder eller forhold, hvor du har brug for mere fleksibilitet?",
        "Are there periods or circumstances in which you need more flexibility?",
    ),
    (
        "H4", "innovation", "both", False,
        "Hvilke idéer har du til at forbedre arbejdsgange eller service?",
        "What ideas do you have for improving workflows or service?",
    ),
    # I. Strategi
    (
        "I1", "strategy", "both", False,
        "Hvordan kan du bidrage til arbejdspladsens strategiske mål det kommende år?",
        "How can you contribute to the workplace's strategic goals in the year ahead?",
    ),
    (
        "I2", "strategy", "leader", False,
        "Hvilke kompetencer har enheden brug for, som medarbejderen kunne udvikle?",
        "Which skills does the unit need that the employee could develop?",
    ),
    # J. Afrunding
    (
        "J1", "wrap_up", "both", False,
        "Hvad er de vigtigste aftaler, vi tager med herfra?",
        "What are the key agreements we take away from here?",
    ),
    (
        "J2", "wrap_up", "both", False,
        "Hvornår og hvordan følger vi op?",
        "When and how do we follow up?",
    ),
    # K. Til mini-MUS
    (
        "K1", "since_last", "both", False,
        "Hvad har du lært siden sidst, og bruger du det?",
        "What have you learned since last time, and are you using it?",
    ),
)

# fmt: on

#: The short follow-up conversation's questions, in order.
MINI_MUS: tuple[str, ...] = ("A5", "K1", "F5", "F6", "G2", "J2")

#: Sensible starting forms per audience; the user edits from here.
DEFAULT_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "employee",
        ("A1", "A3", "A5", "B2", "B3", "C1", "C4", "D1", "E1", "F1", "F5", "G1", "J1", "J2"),
    ),
    (
        "leader",
        ("A1", "A2", "A5", "B2", "B6", "C3", "C4", "D1", "E2", "E3", "F1", "F5", "G1", "J1", "J2"),
    ),
    ("both", ("A1", "A5", "B2", "B4", "C4", "C6", "D1", "F1", "F5", "G1", "J1", "J2")),
)
