"""How much free text each field may hold: what a notice or a page can print, in one place.

A published notice is one A4 page for one achievement (README, docs/architecture.md), rendered in
about a second; every free text that reaches it is capped here and the model's ``max_length``
says the same, so PostgreSQL enforces what SQLite would forgive. Counted in characters. Services
check them with ``services.cases.limit_text`` (NUL bytes and direction overrides refused everywhere;
one-line fields get line breaks folded into spaces and refuse other control characters) and
``services.filing.within_limits``.
"""

from __future__ import annotations

#: a reviewer's comment, a reply, a reason (the audit trail and the staff pages)
COMMENT_MAX = 2000
#: a reason the public reads: a withdrawal, a termination (on the notice's page)
PUBLIC_REASON_MAX = 500
#: a correction's reason, printed in the corrected notice
CORRECTION_REASON_MAX = 200
#: a related-party statement printed in the notice
RELATED_PARTY_STATEMENT_MAX = 200
#: an objection's reasons (the public's form) and the office's reply to it
OBJECTION_REASONS_MAX = 2000
OBJECTION_REPLY_MAX = 2000
#: the valuation agency's name printed in the notice
AGENCY_NAME_MAX = 100
#: an achievement's abstract (staff pages; printed in the notice where the pack asks for 内容摘要)
ABSTRACT_MAX = 2000
#: inventors of one achievement (each is printed in the notice)
MAX_INVENTORS = 30

#: a decision meeting's attendees: one name (with title) per line
ATTENDEE_MAX = 50
MAX_ATTENDEES = 50
