"""Amounts in Vietnamese words on the receipt screen (static/js/numwords.js, #15), run in Node."""
import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import missing_tool

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")

CASES = {
    0: "Không đồng",
    792000: "Bảy trăm chín mươi hai nghìn đồng",
    1263600: "Một triệu hai trăm sáu mươi ba nghìn sáu trăm đồng",
    1050000: "Một triệu không trăm năm mươi nghìn đồng",
    105300: "Một trăm linh năm nghìn ba trăm đồng",
    2015000: "Hai triệu không trăm mười lăm nghìn đồng",
    21000000: "Hai mươi mốt triệu đồng",
    1000000000: "Một tỷ đồng",
    35000: "Ba mươi lăm nghìn đồng",
}


def test_amounts_read_as_on_a_receipt():
    if NODE is None:
        missing_tool("node is not installed (apt-get install nodejs, as make setup-dev does)")
    script = ("import { moneyInWords } from '" + (ROOT / "static/js/numwords.js").as_uri() + "';"
              f"console.log(JSON.stringify({list(CASES)}.map(moneyInWords)));")
    out = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True,
                         text=True, check=True, timeout=30).stdout
    assert dict(zip(CASES, json.loads(out), strict=True)) == CASES
