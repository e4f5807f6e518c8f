from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.columns import UTCDateTime, enum_column, utcnow
from ..core.enums import LabelledEnum, labels
from ..core.turkish import email_lower, fold, sort_key
from ..extensions import db
from .provinces import province_name


class OrganisationKind(LabelledEnum):
    municipality = "municipality"
    union = "union"
    public_institution = "public_institution"
    ngo = "ngo"
    international = "international"
    other = "other"


class RoleCategory(LabelledEnum):
    elected_official = "elected_official"
    municipal_staff = "municipal_staff"
    civil_society = "civil_society"
    refugee_community = "refugee_community"
    academic = "academic"
    international_partner = "international_partner"
    other = "other"


class Gender(LabelledEnum):
    female = "female"
    male = "male"
    other = "other"
    undisclosed = "undisclosed"


class Language(LabelledEnum):
    tr = "tr"
    en = "en"
    ar = "ar"
    sv = "sv"


labels(
    {
        OrganisationKind.municipality: _l("Municipality"),
        OrganisationKind.union: _l("Union of municipalities"),
        OrganisationKind.public_institution: _l("Public institution"),
        OrganisationKind.ngo: _l("NGO"),
        OrganisationKind.international: _l("International partner"),
        OrganisationKind.other: _l("Other"),
    }
)

labels(
    {
        RoleCategory.elected_official: _l("Elected official"),
        RoleCategory.municipal_staff: _l("Municipal staff"),
        RoleCategory.civil_society: _l("Civil society"),
        RoleCategory.refugee_community: _l("Refugee community"),
        RoleCategory.academic: _l("Academic"),
        RoleCategory.international_partner: _l("International partner"),
        RoleCategory.other: _l("Other"),
    }
)

labels(
    {
        Gender.female: _l("Female"),
        Gender.male: _l("Male"),
        Gender.other: _l("Other"),
        Gender.undisclosed: _l("Undisclosed"),
    }
)

labels(
    {
        Language.tr: "Türkçe",
        Language.en: "English",
        Language.ar: "العربية",
        Language.sv: "Svenska",
    }
)

union_membership = sa.Table(
    "union_memberships",
    db.metadata,
    sa.Column(
        "organisation_id",
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "union_id",
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
    sa.CheckConstraint("organisation_id <> union_id", name="not_self"),
)


def organisation_label(name: str, code: str | None) -> str:
    """The name with its code in brackets, for choosing among organisations ("Marmara Belediyeler
    Birliği (MBB)"); the name alone when it already shows the code or ends in a bracketed
    abbreviation of its own ("Sveriges Kommuner och Regioner (SALAR)", not "… (SALAR) (SKR)")."""
    if not code or name.rstrip().endswith(")") or fold(code) in re.findall(r"\w+", fold(name)):
        return name
    return f"{name} ({code})"


class Organisation(db.Model):
    """A municipality, union, institution, NGO or foreign partner."""

    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint("length(country) = 2", name="country_alpha2"),
        # an ISO 3166-2 code of the organisation's own country (TR-01, SE-AB, LB-BA)
        sa.CheckConstraint(
            "province IS NULL OR substr(province, 1, 3) = country || '-'",
            name="province_in_country",
        ),
        sa.Index("ix_organisations_sort_key", "sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: accent-free lower-case name (see core.turkish.fold), unique: no two "Şişli" spellings
    search_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: Turkish alphabetical order of the name
    sort_key: Mapped[str] = mapped_column(sa.String(250))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), index=True)
    #: short unique code, e.g. TBB, MBB, CBB for the unions
    code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    #: ISO 3166-1 alpha-2
    country: Mapped[str] = mapped_column(sa.String(2), default="TR", index=True)
    #: ISO 3166-2 code of the province (see directory.provinces), e.g. TR-01 for Adana
    province: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    #: a free-text province of old that matched no province: shown until an organiser fixes it
    province_unmatched: Mapped[str | None] = mapped_column(sa.String(100))
    district: Mapped[str | None] = mapped_column(sa.String(100))
    #: False for one recorded at the door (a walk-in's) until an organiser confirms or merges it
    confirmed: Mapped[bool] = mapped_column(default=True, server_default=sa.true(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    #: the unions this organisation is a member of
    unions: Mapped[list[Organisation]] = relationship(
        secondary=union_membership,
        primaryjoin=lambda: Organisation.id == union_membership.c.organisation_id,
        secondaryjoin=lambda: Organisation.id == union_membership.c.union_id,
        order_by=lambda: Organisation.code,
        back_populates="members",
    )
    members: Mapped[list[Organisation]] = relationship(
        secondary=union_membership,
        primaryjoin=lambda: Organisation.id == union_membership.c.union_id,
        secondaryjoin=lambda: Organisation.id == union_membership.c.organisation_id,
        back_populates="unions",
        viewonly=True,
    )
    contacts: Mapped[list[Contact]] = relationship(back_populates="organisation")

    @validates("name")
    def _keys(self, _key: str, name: str) -> str:
        self.search_key = fold(name)
        self.sort_key = sort_key(name)
        return name

    @property
    def province_name(self) -> str | None:
        """The province's name in the page's (or request's) language."""
        return province_name(self.province) if self.province else None

    @property
    def label(self) -> str:
        return organisation_label(self.name, self.code)

    @property
    def union_codes(self) -> list[str]:
        return [u.code or u.name for u in self.unions]

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class Contact(db.Model):
    """A person who may be invited. Erased contacts keep their row, without the person."""

    __tablename__ = "contacts"
    __table_args__ = (sa.Index("ix_contacts_sort_key", "sort_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    search_key: Mapped[str] = mapped_column(sa.String(200), index=True)
    sort_key: Mapped[str] = mapped_column(sa.String(250))
    #: lower-cased; unique; None for walk-ins without an address and for erased contacts
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[str | None] = mapped_column(sa.String(200))
    role_category: Mapped[RoleCategory] = mapped_column(
        enum_column(RoleCategory), default=RoleCategory.other, index=True
    )
    gender: Mapped[Gender] = mapped_column(enum_column(Gender), default=Gender.undisclosed)
    language: Mapped[Language] = mapped_column(
        enum_column(Language), default=Language.tr, index=True
    )
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    #: set by a hard bounce, shown to organisers until the address is changed
    email_bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_bounce_reason: Mapped[str | None] = mapped_column(sa.String(500))
    #: when the person was erased (data-protection request); the counts stay
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="contacts")

    @validates("full_name")
    def _keys(self, _key: str, full_name: str) -> str:
        self.search_key = fold(full_name)
        self.sort_key = sort_key(full_name)
        return full_name

    @validates("email")
    def _normalise_email(self, _key: str, email: str | None) -> str | None:
        if email is not None:
            email = email_lower(email) or None
        if email != getattr(self, "email", None):
            self.email_bounced_at = None
            self.email_bounce_reason = None
        return email

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.full_name}>"
