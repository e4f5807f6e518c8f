"""the directory: provinces as ISO 3166-2 codes, unconfirmed organisations

Free-text provinces become codes ("adana", "İSTANBUL", "Sanliurfa" → TR-01, TR-34, TR-63); a value
that names no province of the organisation's country is moved to `province_unmatched`, where the
organisation page and the directory's "province to fix" filter show it, and is printed here.

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHECK = "province IS NULL OR substr(province, 1, 3) = country || '-'"

organisations = sa.table(
    "organisations",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("country", sa.String),
    sa.column("province", sa.String),
    sa.column("province_unmatched", sa.String),
)


def _convert(bind) -> list[tuple[int, str, str, str]]:
    # The API's own rules (pycountry's names, Turkish-aware folding), so that what the API would
    # accept today is what the migration accepts.
    from reslog_events.directory.provinces import resolve

    unmatched = []
    rows = bind.execute(
        sa.select(
            organisations.c.id, organisations.c.name, organisations.c.country, organisations.c.province
        ).where(organisations.c.province.is_not(None))
    ).all()
    for ident, name, country, text in rows:
        code = resolve(text, country or "")
        if code is not None:
            values = {"province": code}
        elif text.strip():
            values = {"province": None, "province_unmatched": text.strip()[:100]}
            unmatched.append((ident, name, country, text))
        else:
            values = {"province": None}
        bind.execute(organisations.update().where(organisations.c.id == ident).values(**values))
    return unmatched


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("province_unmatched", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_organisations_confirmed"), ["confirmed"], unique=False)
    unmatched = _convert(op.get_bind())
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column(
            "province",
            existing_type=sa.String(length=100),
            type_=sa.String(length=10),
            existing_nullable=True,
        )
        batch_op.create_check_constraint(op.f("ck_organisations_province_in_country"), CHECK)
    if unmatched:
        print(f"Provinces to fix: {len(unmatched)} organisation(s) name no known province.")
        print("They are listed under Directory → Organisations → “Province to fix”:")
        for ident, name, country, text in unmatched:
            print(f"  #{ident} {name} ({country}): {text!r}")


def downgrade() -> None:
    from reslog_events.directory.provinces import province

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_organisations_province_in_country"), type_="check")
        batch_op.alter_column(
            "province",
            existing_type=sa.String(length=10),
            type_=sa.String(length=100),
            existing_nullable=True,
        )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            organisations.c.id, organisations.c.province, organisations.c.province_unmatched
        ).where(
            sa.or_(
                organisations.c.province.is_not(None),
                organisations.c.province_unmatched.is_not(None),
            )
        )
    ).all()
    for ident, code, text in rows:
        found = province(code)
        value = found.name if found is not None else (text or code)
        bind.execute(
            organisations.update().where(organisations.c.id == ident).values(province=value)
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_confirmed"))
        batch_op.drop_column("confirmed")
        batch_op.drop_column("province_unmatched")
