"""One way to page a query, for the API and the pages: the total and one page, of entities
(`paginate`, Flask-SQLAlchemy's `db.paginate`) or of multi-column rows (`paginate_rows`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..extensions import db


@dataclass
class Page:
    items: Sequence[Any]
    total: int


def paginate(stmt: sa.Select, query: Any, total: int | None = None) -> Page:
    """Page `query.page` of `query.per_page` entities (the first column of `stmt`); `total`
    when the caller has counted them already (then only the page is read)."""
    if total is not None:
        page = stmt.limit(query.per_page).offset((query.page - 1) * query.per_page)
        return Page(items=db.session.scalars(page).unique().all(), total=total)
    found = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
    return Page(items=found.items, total=found.total or 0)


def paginate_rows(stmt: sa.Select, query: Any, row: Callable[[Any], Any] = lambda r: r) -> Page:
    """Page `query.page` of `query.per_page` rows of `stmt`, each turned into `row(r)`.
    (`db.paginate` gives only each row's first column.)"""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    rows = db.session.execute(stmt.limit(query.per_page).offset((query.page - 1) * query.per_page))
    return Page(items=[row(r) for r in rows], total=total or 0)
