"""List pages: reading their query arguments safely and cutting a query into pages.

Query strings come from anywhere (bookmarks, bots, hand-edited links): ``page=abc``,
``page=-1`` or ``q=%00`` must give a sensible page, never a 5xx.
"""
from dataclasses import dataclass

from flask import request, url_for
from sqlalchemy import func, select

from ..extensions import db

PER_PAGE = 50
#: Beyond this no one is paging by hand; it also keeps OFFSET inside 64 bits everywhere.
MAX_PAGE = 100_000


def int_arg(name, default=1, minimum=1, maximum=MAX_PAGE):
    """A whole-number argument clamped to [minimum, maximum]; ``default`` when not a number."""
    raw = request.args.get(name, "")
    try:
        value = int(raw.strip())
    except ValueError:
        return default
    return min(max(value, minimum), maximum)


def text_arg(name, max_len=100):
    """A text argument without control characters (PostgreSQL refuses NUL in strings)."""
    raw = request.args.get(name, "")
    clean = "".join(c for c in raw if c >= " " and c != "\x7f")
    return clean.strip()[:max_len]


@dataclass
class Page:
    """One page of rows plus what the pager needs.

    ``param`` is the query argument holding the page number and ``anchor`` the element the
    pager's links jump to: a page with several paged tables gives each its own, so paging one
    table keeps the others where they were (and the reader where they were reading)."""

    items: list
    page: int
    per_page: int
    total: int
    param: str = "page"
    anchor: str = ""

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    def url(self, page):
        """This list's URL at ``page``, keeping the other query arguments."""
        # url_for reads "_external", "_scheme"... and "endpoint" itself: never pass those on.
        args = {k: v for k, v in request.args.items() if not k.startswith("_") and k != "endpoint"}
        args.update(request.view_args or {})
        args[self.param] = page
        if self.anchor:
            args["_anchor"] = self.anchor
        return url_for(request.endpoint, **args)


def paginate(stmt, page, per_page=PER_PAGE):
    """Run ``stmt`` for one page; a page past the end shows the last page."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=rows, page=page, per_page=per_page, total=total)


def page_of(rows, number, per_page=PER_PAGE, param="page", anchor=""):
    """One page of rows already in memory (figures a page must add up whole anyway, such as
    its totals): only the rows shown cost rendering. A page past the end shows the last."""
    pages = max(1, -(-len(rows) // per_page))
    number = min(max(number, 1), pages)
    start = (number - 1) * per_page
    return Page(items=rows[start:start + per_page], page=number, per_page=per_page,
                total=len(rows), param=param, anchor=anchor)
