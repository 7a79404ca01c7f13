"""sync/ is importable without Flask or fieldapp (docs/architecture.md)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_sync_merge_imports_without_flask():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('flask', 'fieldapp', 'sqlalchemy', 'wtforms'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import sync.merge, sync.protocol, sync.cursor\n"
        "assert 'flask' not in sys.modules and 'fieldapp' not in sys.modules\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_protocol_references_are_the_reference_fields_of_the_forms():
    """sync/protocol.py lists the fields that name another record; the record forms declare
    them as RefFields, each named after the type it points at."""
    from wtforms.fields.core import UnboundField

    from fieldapp.forms.fields import RefField
    from fieldapp.records.types import RECORD_FORMS
    from sync import protocol

    assert set(protocol.RECORD_TYPES) == set(RECORD_FORMS)
    for kind, form in RECORD_FORMS.items():
        refs = {name: name for name in dir(form)
                if isinstance(getattr(form, name), UnboundField)
                and issubclass(getattr(form, name).field_class, RefField)}
        assert protocol.REFERENCES[kind] == refs, kind
