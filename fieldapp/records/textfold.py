"""Folding Vietnamese text for search: "Nguyễn Văn Đức" -> "nguyen van duc".

Household.search_text is stored folded and searches fold the query the same way, so a
supervisor typing without diacritics (as most keyboards at a desk do) still finds the head.
"""
import unicodedata


def fold(text):
    """Lower case, no diacritics (đ becomes d), single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def household_search_text(head_name, address=""):
    """What Household.search_text holds: the folded head name and address."""
    return fold(f"{head_name or ''} {address or ''}")[:600]
