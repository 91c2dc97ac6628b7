"""Documented audit event purposes, so that reports can group what happened and why.

Only primitive values go into an event (ids, codes, short texts), never a copy of the
personal data itself.
"""

CLIENT_FILE = "klantdossier"  # reading a client file section
CLIENT_SEARCH = "zoeken"  # a search by name, BSN or client number
CASELOAD = "caseload"  # a consultant's list of own clients
WORKLIST = "werklijst"
INTAKE = "intake"
QUESTIONNAIRE = "vragenlijst"
DIAGNOSIS = "diagnose"
ROUTE = "route"
PLAN = "plan van aanpak"
PRESETS = "beleidsinstellingen"  # the municipality's policy preset (beheerder)
CONTACT = "contactmoment"
WAARNEMING = "waarneming"  # access to a colleague's client with a recorded reason
REBALANCE = "herverdeling caseload"
AUDIT_REVIEW = "privacycontrole"
IMPORT = "import"
ACCOUNT = "account en inloggen"  # logins, logouts, roles and rights of users
EXPORT = "export"  # a download of a table or the interchange export
FIGURES = "cijfers"  # aggregate figures (start page)
EFFECTS = "wat werkt voor wie"
CATALOGUE = "catalogus en contracten"  # the participatiekaart and contracts with providers
CLAIMS = "declaraties"  # prestatiefinanciering: claims, checks, approvals, recoveries
REFERRALS = "verwijzingen"  # referrals to providers, their reports and the provider portal
BUDGET = "budget en plafonds"  # budget per line, BUIG, ceilings of contracts and lines
PREMIUMS = "premies"  # werkpremie and uitstroompremie: eligibility, four eyes, payment
MATCHING = "matching"  # candidates and vacancies matched on the work profile, and assignments
PLACEMENTS = "plaatsingen en nazorg"  # placements, their corrections and nazorg contacts
FORECAST = "prognose"  # the stock forecast and its scenarios (aggregate figures, no client)
RECHTMATIGHEID = "rechtmatigheidsonderzoek"  # the periodic check of a benefit by the consulent inkomen
HANDHAVING = "handhaving"  # signals, horen, enforcement decisions and their four eyes
MONITOR = "monitor"  # the monitor dashboard and the clients behind its figures (drill-down)
RESEARCH = "onderzoek"  # the pseudonymised research export (trede.interchange.research)
PEERS = "vergelijking"  # reference figures of other municipalities (aggregate, no client)
RETENTION = "bewaartermijnen"  # retention periods and destruction runs (no client in the run rows)
ALGORITHM_REGISTER = "algoritmeregister"  # the algorithm register (no client)
LETTERS = "brieven"  # letters and beschikkingen made as PDF, their templates (trede.letters)
