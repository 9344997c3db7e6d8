"""Paging for staff lists: which page to show, and the rows on it."""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db


def clamp(total: int, page: int | None, per_page: int) -> tuple[int, int]:
    """(page, pages): at least one page; a page number out of range gives the nearest page."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page or 1), pages), pages


def query_page(query: sa.Select, order_by, page: int | None,
               per_page: int) -> tuple[list, int, int, int]:
    """One page of a query's rows: (rows, page, pages, total)."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    page, pages = clamp(total, page, per_page)
    rows = db.session.scalars(
        query.order_by(*order_by).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), page, pages, total
