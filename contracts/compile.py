"""Compiles the contracts with the pinned Vyper into contracts/build/<Name>.json (ABI, bytecode,
compiler, EVM version). Run by `make contracts`; only recompiles what changed.

The EVM version is cancun: every Sonic version accepts it (Prague/Pectra arrived with Sonic
v2.1), and Vyper 0.4.3 would otherwise target prague.
"""

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILD = HERE / "build"
EVM_VERSION = "cancun"
CONTRACTS = ["Multicall3", "TestToken", "SmartSonicSubscription", "SmartSonicNFT", "TestWallet",
             "SFC", "ConstantsManager", "WrappedSonic", "DexPair", "DexFactory", "DexRouter", "PriceFeed"]


def vyper(*args: str) -> str:
    vyper_bin = Path(sys.executable).with_name("vyper")
    return subprocess.run([str(vyper_bin), *args], check=True, capture_output=True, text=True).stdout.strip()


def main() -> int:
    BUILD.mkdir(exist_ok=True)
    version = vyper("--version").split("+")[0]
    for name in CONTRACTS:
        source = HERE / f"{name}.vy"
        target = BUILD / f"{name}.json"
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        abi, bytecode = vyper("--evm-version", EVM_VERSION, "-f", "abi,bytecode", str(source)).splitlines()
        artifact = {"contractName": name, "abi": json.loads(abi), "bytecode": bytecode,
                    "compiler": f"vyper {version}", "evmVersion": EVM_VERSION}
        target.write_text(json.dumps(artifact, indent=1) + "\n")
        print(f"contracts: compiled {name} ({(len(bytecode) - 2) // 2} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
