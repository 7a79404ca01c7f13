"""Every configuration key read from the environment is documented in the README."""
from pathlib import Path

from fieldapp.config import ENV_KEYS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_env_key_is_in_the_readme():
    missing = [key for key in ENV_KEYS if f"`{key}`" not in README]
    assert missing == []


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
