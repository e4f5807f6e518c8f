from __future__ import annotations

from datetime import datetime

from ..core.api import Id, Schema


class TeamMemberIn(Schema):
    user_id: Id


class TeamMemberOut(Schema):
    user_id: int
    name: str
    email: str
    role: str
    #: the code of the user's union, null for programme-wide users
    union: str | None
    added_at: datetime
