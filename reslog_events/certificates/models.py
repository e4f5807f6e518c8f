from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.columns import UTCDateTime, utcnow
from ..extensions import db
from ..invitations.models import Invitation


class Certificate(db.Model):
    """The verification code of an invitation's certificate of attendance.

    Issued the first time the certificate is asked for and kept, so that a printed certificate
    stays verifiable. It holds while the invitation's secrets are the ones it was issued under
    (`bound_to`): erasing the contact or rotating the invitation's link or check-in code replaces
    them, and the verification page then knows the code no more.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("invitations.id", ondelete="CASCADE"), unique=True
    )
    #: the random code in the verification link (PUBLIC_BASE_URL/verify/<code>)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: digest of the invitation's RSVP token hash and check-in code hash when issued
    bound_to: Mapped[str] = mapped_column(sa.String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when it was emailed (events that email certificates at the end): set once, by a
    #: conditional UPDATE, so each participant gets it once
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship()
