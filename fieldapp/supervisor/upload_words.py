"""The importers' problems in the uploader's language.

Why: data/importers.py and data/csvfile.py write their problems in English for the console
(docs/cli.md, and the CLI tests hold those words); a supervisor uploading the same file from
the plans page reads them in Vietnamese by default. Each English shape is matched here and
said again through gettext (translations/vi/progress.po); a shape not listed is shown as is.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_WHAT = {"area, year and scheme": _l("area, year and scheme"),
         "area, month and scheme": _l("area, month and scheme")}

SHAPES = [
    (r"required\.", lambda m: _("required.")),
    (r"(required: )?(must )?be a whole number ≥ 0 \(digits only, no separators\)\.",
     lambda m: _("must be a whole number ≥ 0 (digits only, no separators).")),
    (r"must be from (\d+) to (\d+)\.", lambda m: _("must be from %(low)s to %(high)s.",
                                                  low=m[1], high=m[2])),
    (r"must be vsi .*", lambda m: _("must be vsi (voluntary social insurance) or hhi "
                                    "(household health insurance).")),
    (r"no area has the code (\S+?)(,| \().*", lambda m: _("no area has the code %(code)s.",
                                                          code=m[1])),
    (r"no area has the code (\S+?)\.", lambda m: _("no area has the code %(code)s.", code=m[1])),
    (r"no area of yours has the code (\S+?)\.",
     lambda m: _("no area of yours has the code %(code)s.", code=m[1])),
    (r"same (.+) as line (\d+)\.", lambda m: _("same %(what)s as line %(line)s.",
                                               what=_WHAT.get(m[1], m[1]), line=m[2])),
    (r"must be a month as YYYY-MM.*", lambda m: _("must be a month as YYYY-MM, e.g. 2026-10.")),
    (r"(\d{4}-\d{2}) has not begun yet\.", lambda m: _("%(month)s has not begun yet.",
                                                       month=m[1])),
    (r"cannot be more than participants\.", lambda m: _("cannot be more than participants.")),
    (r"expected (\d+) values \(one per column\), found (\d+)\.",
     lambda m: _("expected %(n)s values (one per column), found %(found)s.", n=m[1], found=m[2])),
    (r"this column appears twice\.", lambda m: _("this column appears twice.")),
    (r"unknown column; the columns are (.*)\.", lambda m: _("unknown column; the columns are "
                                                            "%(columns)s.", columns=m[1])),
    (r"missing columns?: (.*)\.", lambda m: _("missing columns: %(columns)s.", columns=m[1])),
    (r"the file is empty.*", lambda m: _("the file is empty; the first line must name the "
                                         "columns.")),
    (r"the file is not UTF-8 text.*", lambda m: _("the file is not UTF-8 text. In Excel choose "
                                                  "\"CSV UTF-8 (Comma delimited)\" when saving.")),
    (r"the file is not valid CSV.*", lambda m: _("the file is not valid CSV.")),
]
_COMPILED = [(re.compile(rf"\A{pattern}\Z", re.S), say) for pattern, say in SHAPES]


def say_problem(message):
    """``message`` (an importer's English problem) in the current language."""
    for pattern, say in _COMPILED:
        match = pattern.match(message)
        if match:
            return say(match)
    return message
