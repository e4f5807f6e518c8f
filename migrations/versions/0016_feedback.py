"""feedback: an event's survey, its answers apart from identity, the invitations' requests

Revision ID: 0016
Revises: 0015

New tables only (no batch rebuild of an existing table, so the attendance triggers of 0005 are
untouched). The responses and their answers are keyed by random UUIDs and, on SQLite, stored
WITHOUT ROWID, so that no counter follows the order in which people answered.
"""

import sqlalchemy as sa
from alembic import op

import reslog_events.core.columns

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "feedback_responses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column(
            "gender", _enum("gender", "female", "male", "other", "undisclosed"), nullable=False
        ),
        sa.Column(
            "role_category",
            _enum(
                "rolecategory",
                "elected_official",
                "municipal_staff",
                "civil_society",
                "refugee_community",
                "academic",
                "international_partner",
                "other",
            ),
            nullable=False,
        ),
        sa.Column(
            "organisation_kind",
            _enum(
                "organisationkind",
                "municipality",
                "union",
                "public_institution",
                "ngo",
                "international",
                "other",
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_feedback_responses_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_responses")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_feedback_responses_event_id"), "feedback_responses", ["event_id"], unique=False
    )
    op.create_table(
        "feedback_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("send_at_end", sa.Boolean(), nullable=False),
        sa.Column("default_language", sa.String(length=2), nullable=False),
        sa.Column(
            "updated_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_feedback_surveys_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_surveys")),
        sa.UniqueConstraint("event_id", name=op.f("uq_feedback_surveys_event_id")),
    )
    op.create_table(
        "feedback_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("questionkind", "scale", "choice", "text"), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=True),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["feedback_surveys.id"],
            name=op.f("fk_feedback_questions_survey_id_feedback_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_questions")),
        sa.UniqueConstraint("survey_id", "key", name=op.f("uq_feedback_questions_survey_id_key")),
        sa.UniqueConstraint(
            "survey_id", "position", name=op.f("uq_feedback_questions_survey_id_position")
        ),
    )
    op.create_index(
        op.f("ix_feedback_questions_survey_id"), "feedback_questions", ["survey_id"], unique=False
    )
    op.create_table(
        "feedback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("token_sealed", sa.String(length=255), nullable=True),
        sa.Column("sent_at", reslog_events.core.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_feedback_requests_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_requests")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_feedback_requests_invitation_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feedback_requests_token_hash")),
    )
    op.create_table(
        "feedback_answers",
        sa.Column("response_id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("scale", sa.Integer(), nullable=True),
        sa.Column("choice", sa.String(length=32), nullable=True),
        sa.Column("text", sa.String(length=2000), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN scale IS NULL THEN 0 ELSE 1 END) + (CASE WHEN choice IS NULL THEN 0 "
            "ELSE 1 END) + (CASE WHEN text IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_feedback_answers_one_value"),
        ),
        sa.CheckConstraint(
            "scale IS NULL OR scale BETWEEN 1 AND 5", name=op.f("ck_feedback_answers_scale_range")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["feedback_questions.id"],
            name=op.f("fk_feedback_answers_question_id_feedback_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["feedback_responses.id"],
            name=op.f("fk_feedback_answers_response_id_feedback_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("response_id", "question_id", name=op.f("pk_feedback_answers")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_feedback_answers_question_id"), "feedback_answers", ["question_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_feedback_answers_question_id"), table_name="feedback_answers")
    op.drop_table("feedback_answers")
    op.drop_table("feedback_requests")
    op.drop_index(op.f("ix_feedback_questions_survey_id"), table_name="feedback_questions")
    op.drop_table("feedback_questions")
    op.drop_table("feedback_surveys")
    op.drop_index(op.f("ix_feedback_responses_event_id"), table_name="feedback_responses")
    op.drop_table("feedback_responses")
