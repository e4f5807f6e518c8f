"""Imports every model so that Alembic and `db.create_all` see the whole schema."""

from .admin.models import AccountLink
from .audit.models import AuditLog
from .auth.models import ApiToken, Role, User
from .certificates.models import Certificate
from .checkin.models import CheckIn, ScanLog
from .directory.models import Contact, Organisation, union_membership
from .documents.models import EventDocument, MinutesMailing
from .events.models import Event
from .feedback import models as feedback_models  # noqa: F401 - surveys, answers
from .invitations.models import Invitation, RetiredCheckinCode
from .mail.models import DeliveryEvent, OutgoingEmail
from .messages.models import EventMessage
from .programme import models as programme_models  # noqa: F401 - agenda, itinerary
from .reports.models import ReportRun
from .results.models import PilotOrganisation, ResultTarget
from .series.models import EventSeries
from .teams.models import TeamMember

__all__ = [
    "AccountLink",
    "ApiToken",
    "AuditLog",
    "Certificate",
    "CheckIn",
    "Contact",
    "DeliveryEvent",
    "Event",
    "EventDocument",
    "EventMessage",
    "EventSeries",
    "Invitation",
    "MinutesMailing",
    "Organisation",
    "PilotOrganisation",
    "OutgoingEmail",
    "ReportRun",
    "ResultTarget",
    "RetiredCheckinCode",
    "Role",
    "ScanLog",
    "TeamMember",
    "User",
    "union_membership",
]
