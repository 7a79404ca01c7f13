"""Rules every import shares: encoding, byte-order mark, header, size, listing problems (#2)."""
import pytest

from fieldapp.data import csvfile
from fieldapp.models import Area, Household, ParticipantCount, Plan
from tests.unit.cli_support import count, invoke, write_csv

#: command, a good file (header and one row), the model it fills.
GOOD = {
    "import-areas": ("code,name,level,parent_code\n31003,Xã Tiên Lãng,commune,31\n", Area),
    "import-households": ("area_code,address,head_name,phone,note\n31001-1,Số 1,Lê Văn An,,\n",
                          Household),
    "import-counts": ("area_code,month,scheme,participants\n31001,2025-10,vsi,12\n",
                      ParticipantCount),
    "import-plans": ("area_code,year,scheme,participants\n31001,2027,vsi,120\n", Plan),
}
COMMANDS = sorted(GOOD)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("bom, newline", [(True, "\r\n"), (False, "\n"), (True, "\n")])
def test_utf8_with_or_without_bom_and_either_line_ending(app, places, tmp_path, command, bom, newline):
    text, model = GOOD[command]
    before = count(app, model)
    path = write_csv(tmp_path, "in.csv", text.replace("\n", newline), bom=bom)
    result = invoke(app, command, path)
    assert result.exit_code == 0, result.output
    assert count(app, model) == before + 1


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_not_in_utf8_is_refused(app, places, tmp_path, command):
    text, model = GOOD[command]
    path = tmp_path / "in.csv"
    path.write_bytes(text.encode() + "Thôn Đông\n".encode("cp1258"))
    before = count(app, model)
    result = invoke(app, command, path)
    assert result.exit_code != 0
    assert "in.csv, line 3: the file is not UTF-8 text" in result.output
    assert count(app, model) == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("header, message", [
    ("", "line 1: the file is empty"),
    ("code_x", "line 1, code_x: unknown column"),
    (None, "line 1: missing column"),
])
def test_the_header_is_checked(app, places, tmp_path, command, header, message):
    text, model = GOOD[command]
    columns, row = text.splitlines()
    if header is None:  # drop the first column (required everywhere)
        header, row = columns.split(",", 1)[1], row.split(",", 1)[1]
    elif header:
        header = columns + "," + header
        row += ",x"
    path = write_csv(tmp_path, "in.csv", f"{header}\n{row}\n" if header else "")
    before = count(app, model)
    result = invoke(app, command, path)
    assert result.exit_code != 0
    assert f"in.csv, {message}" in result.output.replace("in.csv: nothing", "")
    assert count(app, model) == before


def test_a_repeated_column_is_refused(app, places, tmp_path):
    path = write_csv(tmp_path, "plans.csv", "area_code,year,year,scheme,participants\n")
    result = invoke(app, "import-plans", path)
    assert result.exit_code != 0
    assert "plans.csv, line 1, year: this column appears twice." in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_over_the_size_limit_is_refused(app, places, tmp_path, monkeypatch, command):
    monkeypatch.setattr(csvfile, "MAX_BYTES", 1024 * 1024)
    text, model = GOOD[command]
    path = write_csv(tmp_path, "big.csv", text + "\n" * (1024 * 1024))
    result = invoke(app, command, path)
    assert result.exit_code != 0
    assert "big.csv: the file is 1.0 MB; the limit is 1 MB" in result.output


def test_the_default_size_limit_is_50_mb():
    assert csvfile.MAX_BYTES == 50 * 1024 * 1024


def test_many_problems_are_all_counted_and_twenty_listed(app, places, tmp_path):
    rows = [f"31001,2025-{m:02d},vsi,x" for m in range(1, 13)]
    rows += [f"31002,2024-{m:02d},vsi,-1" for m in range(1, 14)]  # 2024-13 is two problems
    path = write_csv(tmp_path, "counts.csv", "area_code,month,scheme,participants\n"
                     + "\n".join(rows) + "\n")
    result = invoke(app, "import-counts", path)
    assert result.exit_code != 0
    assert "counts.csv: nothing imported (26 problems)." in result.output
    assert result.output.count("counts.csv, line ") == 20
    assert "counts.csv, line 2, participants:" in result.output
    assert "... and 6 more." in result.output
    assert count(app, ParticipantCount) == 0


def test_line_numbers_count_lines_in_the_file(app, places, tmp_path):
    """A quoted value over two lines, and blank lines, still leave the right line named."""
    path = write_csv(tmp_path, "households.csv", "\n".join([
        "area_code,address,head_name,phone,note",
        '31001-1,"Số 1,\nngõ 2",Lê Văn An,,',
        "",
        ",,,,",
        "31001-1,Số 5,Lê Văn Bình,0123,",
    ]) + "\n")
    result = invoke(app, "import-households", path)
    assert result.exit_code != 0
    assert "households.csv, line 6, phone:" in result.output
    assert count(app, Household) == 0


def test_a_file_with_only_the_header_imports_nothing_quietly(app, places, tmp_path):
    path = write_csv(tmp_path, "plans.csv", "area_code,year,scheme,participants\n")
    result = invoke(app, "import-plans", path)
    assert result.exit_code == 0
    assert "0 rows" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_is_a_usage_error(app, tmp_path, command):
    result = invoke(app, command, tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.output
