"""The other direction of the differential tests: what our Swift code wrote, checked by eth-account.

    python Tests/Differential/verify.py OUTDIR
"""

import json
import sys
from pathlib import Path

from eth_account import Account


def main(outdir: str) -> int:
    cases = json.loads((Path(outdir) / "swift-keystores.json").read_text())["cases"]
    failures = [c for c in cases if "0x" + Account.decrypt(c["keystore"], c["password"]).hex() != c["key"]]
    passed = len(cases) - len(failures)
    print(f"keystores written by Swift, decrypted by eth-account: {passed} passed, {len(failures)} failed")
    return 1 if failures or not cases else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
