"""FIELDAPP_TRUSTED_PROXIES: read from the environment, a whole number, 0 by default (#9)."""
import pytest

from tests.conftest import make_app


def test_default_is_no_trusted_proxy(tmp_path, monkeypatch):
    monkeypatch.delenv("FIELDAPP_TRUSTED_PROXIES", raising=False)
    app = make_app(tmp_path)
    assert app.config["TRUSTED_PROXIES"] == 0
    assert type(app.wsgi_app).__name__ != "ProxyFix"


def test_the_environment_sets_the_number_of_proxies(tmp_path, monkeypatch):
    monkeypatch.setenv("FIELDAPP_TRUSTED_PROXIES", "2")
    app = make_app(tmp_path)
    assert app.config["TRUSTED_PROXIES"] == 2
    assert app.wsgi_app.x_for == 2


@pytest.mark.parametrize("value", ["-1", "one", "1.5", "١"])
def test_a_bad_value_stops_the_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("FIELDAPP_TRUSTED_PROXIES", value)
    with pytest.raises(ValueError, match="FIELDAPP_TRUSTED_PROXIES"):
        make_app(tmp_path)
