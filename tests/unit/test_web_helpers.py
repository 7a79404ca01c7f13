"""Small pure helpers of the web pages: the ID mask, search folding, safe redirects."""
import pytest

from fieldapp.auth.views import _safe_next
from fieldapp.records.textfold import fold, household_search_text
from fieldapp.rules.masking import mask_id


@pytest.mark.parametrize("value,reveal,shown", [
    ("031090001234", False, "••••••••1234"),
    ("3112345678", False, "••••••5678"),
    ("031090001234", True, "031090001234"),
    ("123", False, "123"),
    (None, False, ""),
    ("", True, ""),
])
def test_mask_id(value, reveal, shown):
    assert mask_id(value, reveal=reveal) == shown


@pytest.mark.parametrize("text,folded", [
    ("Nguyễn Văn Đức", "nguyen van duc"),
    ("ĐẶNG THỊ HƯƠNG", "dang thi huong"),
    ("  Hoà   Bình ", "hoa binh"),
    ("Thôn Đông, xã An Lão", "thon dong, xa an lao"),
    ("", ""),
    (None, ""),
])
def test_fold(text, folded):
    assert fold(text) == folded


def test_search_text_holds_name_and_address():
    assert household_search_text("Trần Thị Bình", "Phố Lạch Tray") == "tran thi binh pho lach tray"


@pytest.mark.parametrize("target,safe", [
    ("/home", "/home"),
    ("/supervisor/households?q=an", "/supervisor/households?q=an"),
    ("https://evil.example/", None),
    ("//evil.example/", None),
    ("/\\evil.example", None),
    ("javascript:alert(1)", None),
    ("/home\r\nSet-Cookie: x=1", None),
    ("", None),
    (None, None),
])
def test_safe_next(target, safe):
    assert _safe_next(target) == safe
