"""The collection network page's tables as one XLSX workbook ("Tải Excel"), a sheet a table.

Each sheet holds the columns the page shows, for the same rows (supervisor/network.py reads
them once for both): numbers as numbers, the share as a fraction with a percent format, and
moments (last sync, revoked, signed) as real dates in local time, not text.
"""
import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import local_zone
from ..web.labels import ROLE_LABELS

#: Sheet titles, in the page's order (the page's section headings).
SHEETS = (_l("Collection service organizations"), _l("Collection points"),
          _l("Collectors and village heads"), _l("Communes with a point"),
          _l("Programs recorded"), _l("Devices"))


def _local(moment):
    """An aware UTC moment as the naive local date and time a spreadsheet holds."""
    return None if moment is None else moment.astimezone(local_zone()).replace(tzinfo=None)


def _place(area):
    return f"{area.name} ({area.code})" if area is not None else ""


def sheets(net, kinds):
    """[(title, headings, rows)] of the page's tables; ``net`` as supervisor/network.py reads it."""
    orgs = [[o.code, o.name, str(kinds.get(o.kind, o.kind)), _place(o.area)] for o in net["orgs"]]
    points = [[_place(a), p.code, p.name, p.organization.name, p.address or ""]
              for p, a in net["points"]]
    people = [[u.full_name or u.username, u.username, str(ROLE_LABELS.get(u.role, u.role)),
               u.organization.name if u.organization else "",
               f"{u.collection_point.code} · {u.collection_point.name}" if u.collection_point else "",
               ", ".join(sorted(a.code for a in u.areas)),
               _("Active") if u.active else _("Deactivated")] for u in net["people"]]
    coverage = [[c["province"].name if c["province"] else "", c["communes"], c["covered"],
                 c["share"], ", ".join(_place(a) for a in c["missing"])] for c in net["coverage"]]
    programs = [[_place(a), g.organization.name, _("Signed") if g.signed else _("Not signed yet"),
                 g.signed_on, g.document_ref or ""] for g, a in net["agreements"]]
    devices = [[d.name, u.full_name or u.username, str(ROLE_LABELS.get(u.role, u.role)),
                _local(d.last_sync_at), d.outbox_depth, d.app_version or "", _local(d.revoked_at),
                _("Records waiting, no sync for 3 days") if warn else ""]
               for d, u, warn in net["devices"]]
    return [
        (SHEETS[0], [_("Code"), _("Name"), _("Kind"), _("Area")], orgs),
        (SHEETS[1], [_("Commune"), _("Code"), _("Name"), _("Organization"), _("Address")], points),
        (SHEETS[2], [_("User"), _("Username"), _("Role"), _("Organization"), _("Collection point"),
                     _("Areas"), _("State")], people),
        (SHEETS[3], [_("Province"), _("Communes with a point"), _("With a signed program"),
                     _("Share"), _("Missing")], coverage),
        (SHEETS[4], [_("Commune"), _("Organization"), _("Signed"), _("Signed on"),
                     _("Document reference")], programs),
        (SHEETS[5], [_("Device"), _("User"), _("Role"), _("Last sync"), _("Waiting to sync"),
                     _("App version"), _("Revoked"), _("Warning")], devices),
    ]


def to_xlsx(net, kinds):
    """XLSX bytes: one sheet a table, headings in bold."""
    from datetime import date, datetime

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headings, rows in sheets(net, kinds):
        ws = wb.create_sheet(title=str(title)[:31])
        header = []
        for heading in headings:
            cell = WriteOnlyCell(ws, value=heading)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                elif isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
                elif isinstance(value, float):
                    cell.number_format = "0.00%"
                cells.append(cell)
            ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
