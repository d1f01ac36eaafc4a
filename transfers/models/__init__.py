"""Models of the transfer domain, one module per concern; ``from transfers.models import X`` keeps
working for every model, choice and constant.

- ``choices``: stages, modes, kinds and roles;
- ``rules``: rule packs;
- ``people``: institutions, memberships, substitutes, and who holds which role where;
- ``cases``: the case, its achievements and inventors, revisions, attachments, valuation, decision;
- ``panels``: the expert panel of 论证;
- ``audit``: the audit trail and number sequences;
- ``notices``: public notices and objections;
- ``money``: the contract and its registration, receipts and deductions, reward distributions.
"""

from .audit import *  # noqa: F403
from .cases import *  # noqa: F403
from .choices import *  # noqa: F403
from .money import *  # noqa: F403
from .notices import *  # noqa: F403
from .panels import *  # noqa: F403
from .people import *  # noqa: F403
from .rules import *  # noqa: F403
