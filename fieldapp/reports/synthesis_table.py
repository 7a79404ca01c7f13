"""The synthesis as one table: the page, the CSV and the XLSX are all written from ``table()``.

Keeping one list of columns and one list of typed cells is what makes the three hold exactly
the same figures: the page and the CSV print each cell with ``cell_text`` (Vietnamese number
shapes, ``89,93%``), the XLSX stores the same value as a number with a matching number format.
Ratios are rounded to 4 decimals here, once, so a percentage shown with 2 decimals is the
percentage stored.
"""
import csv
import io
from datetime import date

from flask_babel import lazy_gettext as _l

from ..i18n import format_date, format_number, format_percent

INT, PCT, TEXT = "int", "pct", "text"

#: (key, heading, type). Keys are read from a row dict built by ``table``.
COLUMNS = (
    ("rank", _l("Rank"), INT),
    ("organization", _l("Collection service organization"), TEXT),
    ("point", _l("Collection point"), TEXT),
    ("visits", _l("Visits"), INT),
    ("households", _l("Households reached"), INT),
    ("sessions", _l("Group sessions"), INT),
    ("attendees", _l("Attendees"), INT),
    ("vsi_new", _l("VSI new"), INT),
    ("vsi_renewed", _l("VSI renewed"), INT),
    ("vsi_resumed", _l("VSI resumed"), INT),
    ("hhi_new", _l("HHI new"), INT),
    ("hhi_renewed", _l("HHI renewed"), INT),
    ("hhi_resumed", _l("HHI resumed"), INT),
    ("signups", _l("All sign-ups"), INT),
    ("payers_kept", _l("Payers kept"), INT),
    ("payers_lost", _l("Payers lost"), INT),
    ("visit_conversion", _l("Conversion from visits"), PCT),
    ("referral_conversion", _l("Conversion from referrals"), PCT),
    ("active_collectors", _l("Active collectors"), INT),
    ("collectors", _l("Collectors"), INT),
    ("new_ytd", _l("New since January"), INT),
    ("new_target", _l("New target (year)"), INT),
    ("new_progress", _l("Progress on new target"), PCT),
    ("score", _l("Score"), PCT),
)


def _r(value):
    return None if value is None else round(value, 4)


def _unit_cells(unit, point_label):
    f = unit.figures
    row = {key: f.get(key) for key, _h, kind in COLUMNS if kind == INT and key in f}
    row.update(organization=unit.organization.name, point=point_label,
               visit_conversion=_r(unit.visit_conversion),
               referral_conversion=_r(unit.referral_conversion),
               rank=None, new_ytd=None, new_target=None, new_progress=None, score=None)
    return row


def point_label(unit, no_point):
    if unit.point is None:
        return str(no_point)
    return f"{unit.point.code} · {unit.point.name}"


def table(synthesis):
    """[(kind, {column key: value})]: each organization ('org'), then its points ('point')."""
    rows = []
    for unit in synthesis.units:
        row = _unit_cells(unit, "")
        row.update(rank=unit.rank, new_ytd=unit.new_ytd, new_target=unit.new_target,
                   new_progress=_r(unit.new_progress), score=_r(unit.score))
        rows.append(("org", row))
        for point in unit.points:
            rows.append(("point", _unit_cells(point, point_label(point, _l("No collection point")))))
    return rows


def headings():
    return [str(h) for _k, h, _t in COLUMNS]


def cell_text(value, kind):
    """A cell as the page prints it (and the CSV writes it)."""
    if value is None:
        return ""
    if kind == INT:
        return format_number(value)
    if kind == PCT:
        return format_percent(value)
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def text_rows(rows):
    return [[cell_text(row[key], kind) for key, _h, kind in COLUMNS] for _kind, row in rows]


def to_csv(rows, title_lines):
    """CSV text (UTF-8 with BOM, so Excel reads the diacritics): title lines, then the table."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for line in title_lines:
        writer.writerow(line)
    writer.writerow(headings())
    writer.writerows(text_rows(rows))
    return out.getvalue().encode("utf-8")


def to_xlsx(rows, title_lines):
    """XLSX bytes: numbers as numbers (percentages with a percent format), dates as dates.

    Written in openpyxl's write-only mode: the table of a province is a few hundred rows, but
    the mode also keeps memory flat for a national one.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(_l("Monthly synthesis"))[:31])
    bold = Font(bold=True)
    for line in title_lines:
        cells = []
        for value in line:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        ws.append(cells)
    header = []
    for heading in headings():
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for kind_of_row, row in rows:
        cells = []
        for key, _h, kind in COLUMNS:
            cell = WriteOnlyCell(ws, value=row[key])
            if kind == PCT:
                cell.number_format = "0.00%"
            elif kind == INT:
                cell.number_format = "#,##0"
            if kind_of_row == "org":
                cell.font = bold
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
