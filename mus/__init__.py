"""Musling's domain: the MUS wheel, the conversation, the plan and its follow-up.

Pure Python: nothing here imports Flet, TinyDB, cryptography, ``storage`` or
``views`` (import-linter checks it), so every rule can be tested without a UI,
a database or a key.

Glossary (Danish → English → name in code)

=====================================  ===================================  =======================
MUS, medarbejderudviklingssamtale      employee development conversation    ``Conversation``
GRUS, gruppeudviklingssamtale          group development conversation       ``GroupConversation``
mini-MUS                               half-yearly follow-up conversation   ``MiniMus``
MUS-hjulet                             the MUS wheel                        ``wheel``
strategi                               strategy (the wheel's centre)        ``StrategyItem``
koncept og samtaleskema                concept and conversation form        ``ConversationForm``
hvem gør hvad – hvornår                who does what, when                  ``ProcessPlan``
forberedelse                           preparation                          ``Preparation``
den gode dialog                        the good dialogue                    ``MeetingNotes``
feedback                               feedback                             ``Feedback``
udviklingsmål                          development goal                     ``Goal``
udviklingsaktivitet                    development activity                 ``Activity``
udviklingsplan                         development plan                     ``DevelopmentPlan``
referat                                meeting summary                      ``Summary``
evaluering                             evaluation (of the conversation)     ``Evaluation``
opfølgning                             follow-up                            ``CheckIn``
leder / medarbejder                    leader / employee                    ``leader``, ``employee``
trin                                   step (an element of the wheel)       ``Element``
=====================================  ===================================  =======================
"""
