"""Compiling the catalogs is safe when several processes start at once (gunicorn workers)."""
import multiprocessing

from fieldapp import i18n


def _compile(_):
    i18n.compile_catalogs()
    return True


def test_parallel_compiles_do_not_collide(tmp_path, monkeypatch):
    lang = tmp_path / "vi"
    lang.mkdir()
    (lang / "a.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                               'msgid "Sign in"\nmsgstr "Đăng nhập"\n', encoding="utf-8")
    # A .po "newer" than any .mo: every call compiles, so the calls really overlap.
    import os
    import time
    future = time.time() + 3600
    os.utime(lang / "a.po", (future, future))
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        assert all(pool.map(_compile, range(64)))
    assert (lang / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
    assert not list((lang / "LC_MESSAGES").glob("*.tmp"))
