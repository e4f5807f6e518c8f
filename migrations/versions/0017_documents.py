"""minutes and documents of an event

Revision ID: 0017
Revises: 0016

Two new tables: `event_documents` (files attached to an event and minutes written in the app,
with who may see each) and `minutes_mailings` (each "send the minutes to the attendees" action,
unique by its confirmation's nonce). No existing table changes, so SQLite needs no batch
rebuild (which would drop the attendance triggers, see 0013).
"""

from alembic import op
import sqlalchemy as sa

import reslog_events.core.columns

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_KIND_FIELDS = (
    "(kind = 'file' AND storage_key IS NOT NULL AND content_type IS NOT NULL "
    "AND size_bytes IS NOT NULL AND body IS NULL) OR "
    "(kind = 'minutes' AND body IS NOT NULL AND storage_key IS NULL)"
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "event_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("documentkind", "file", "minutes"), nullable=False),
        sa.Column(
            "visibility",
            _enum("visibility", "organisers", "invitees", "attendees"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint(_KIND_FIELDS, name=op.f("ck_event_documents_kind_fields")),
        sa.CheckConstraint(
            "size_bytes IS NULL OR size_bytes >= 0",
            name=op.f("ck_event_documents_size_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_event_documents_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_documents_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_documents")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_event_documents_storage_key")),
    )
    op.create_index(
        op.f("ix_event_documents_event_id"), "event_documents", ["event_id"], unique=False
    )
    op.create_table(
        "minutes_mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.CheckConstraint(
            "recipients >= 0", name=op.f("ck_minutes_mailings_recipients_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["event_documents.id"],
            name=op.f("fk_minutes_mailings_document_id_event_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["users.id"],
            name=op.f("fk_minutes_mailings_sent_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_mailings")),
        sa.UniqueConstraint("nonce", name=op.f("uq_minutes_mailings_nonce")),
    )
    op.create_index(
        op.f("ix_minutes_mailings_document_id"), "minutes_mailings", ["document_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_minutes_mailings_document_id"), table_name="minutes_mailings")
    op.drop_table("minutes_mailings")
    op.drop_index(op.f("ix_event_documents_event_id"), table_name="event_documents")
    op.drop_table("event_documents")
