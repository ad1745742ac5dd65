#!/usr/bin/env python3
"""Extracts the interface of Sonic's SFC from the sonic-sfc source into
Tests/Fixtures/sonic-sfc-v4.0.x.json: every external/public function and public getter of
contracts/sfc/SFC.sol (with return tuples in their order), its events (with `indexed`), its
custom errors, and ConstantsManager's getters, each with its selector or topic. The tests read
only the fixture; this script regenerates it:

    scripts/sfc-fixture.py GIT_DIR [REV]    e.g. a clone or mirror of github.com/0xsoniclabs/sonic-sfc

It reads Solidity as text (no compiler here): enough for the declarations sonic-sfc writes,
which the fixture test then holds our bindings and contract to.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

from eth_utils import keccak

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "Tests" / "Fixtures" / "sonic-sfc-v4.0.x.json"
FILES = {
    "SFC": ["contracts/sfc/SFC.sol", "contracts/version/Version.sol"],
    "ConstantsManager": ["contracts/sfc/ConstantsManager.sol"],
}
ELEMENTARY = re.compile(r"^(u?int\d*|address( payable)?|bool|bytes\d*|string)$")


def git(git_dir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True, text=True).stdout


def strip_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def canonical(type_: str) -> str:
    type_ = type_.replace("address payable", "address")
    return {"uint": "uint256", "int": "int256"}.get(type_, type_)


def parameters(text: str) -> list[dict]:
    """`uint256 indexed a, bytes calldata b` → [{type, name, indexed}]."""
    result = []
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        words = [w for w in part.split() if w not in ("memory", "calldata", "storage", "payable")]
        indexed = "indexed" in words
        words = [w for w in words if w != "indexed"]
        entry = {"type": canonical(words[0]), "name": words[1] if len(words) > 1 else ""}
        if indexed:
            entry["indexed"] = True
        result.append(entry)
    return result


def structs(text: str) -> dict[str, list[dict]]:
    found = {}
    for name, body in re.findall(r"struct\s+(\w+)\s*\{(.*?)\}", text, flags=re.S):
        found[name] = [{"type": canonical(t.strip()), "name": n} for t, n in re.findall(r"([\w\[\]()=> ]+?)\s+(\w+);", body)]
    return found


def mapping_getter(declaration: str, struct_types: dict) -> tuple[list[dict], list[dict]]:
    """Inputs and outputs of the getter Solidity writes for a public mapping or variable."""
    inputs = []
    rest = declaration.strip()
    while rest.startswith("mapping"):
        match = re.match(r"mapping\s*\(\s*([\w ]+?)(?:\s+(\w+))?\s*=>\s*(.*)\)$", rest, flags=re.S)
        key_type, key_name, rest = match.group(1), match.group(2) or "", match.group(3).strip()
        inputs.append({"type": canonical(key_type.strip()), "name": key_name})
    value = rest.split()[0] if rest else rest
    if value in struct_types:
        # Solidity's getter leaves out a struct's mappings and arrays.
        outputs = [m for m in struct_types[value] if ELEMENTARY.match(m["type"])]
    else:
        outputs = [{"type": canonical(value), "name": ""}]
    return inputs, outputs


def selector(signature: str) -> str:
    return "0x" + keccak(text=signature)[:4].hex()


def signature_of(name: str, params: list[dict]) -> str:
    return f"{name}({','.join(p['type'] for p in params)})"


def extract(text: str) -> dict:
    text = strip_comments(text)
    struct_types = structs(text)
    functions, events, errors = [], [], []
    for name, params, modifiers, returns in re.findall(
        r"function\s+(\w+)\s*\(([^)]*)\)\s*([^{;]*?)(?:returns\s*\(([^)]*)\))?\s*[{;]", text, flags=re.S
    ):
        if not re.search(r"\b(external|public)\b", modifiers):
            continue
        inputs = parameters(params)
        mutability = next((m for m in ("pure", "view", "payable") if re.search(rf"\b{m}\b", modifiers)), "nonpayable")
        functions.append({"name": name, "inputs": inputs, "outputs": parameters(returns or ""), "stateMutability": mutability})
    for statement in text.split(";"):
        # a public state variable: what follows the last brace, in one line
        declaration = " ".join(re.split(r"[{}]", statement)[-1].split())
        match = re.match(r"^(mapping\s*\(.*\)|[\w\[\]]+)\s+public\s+(\w+)(\s*=.*)?$", declaration)
        if match is None or re.match(r"^(function|event|error|return)\b", declaration):
            continue
        inputs, outputs = mapping_getter(match.group(1), struct_types)
        functions.append({"name": match.group(2), "inputs": inputs, "outputs": outputs, "stateMutability": "view", "getter": True})
    for name, params in re.findall(r"\bevent\s+(\w+)\s*\(([^)]*)\)\s*;", text, flags=re.S):
        inputs = parameters(params)
        signature = signature_of(name, inputs)
        events.append({"name": name, "signature": signature, "topic": "0x" + keccak(text=signature).hex(), "inputs": inputs})
    for name, params in re.findall(r"\berror\s+(\w+)\s*\(([^)]*)\)\s*;", text, flags=re.S):
        inputs = parameters(params)
        signature = signature_of(name, inputs)
        errors.append({"name": name, "signature": signature, "selector": selector(signature), "inputs": inputs})
    for function in functions:
        function["signature"] = signature_of(function["name"], function["inputs"])
        function["selector"] = selector(function["signature"])
    key = lambda item: item["name"]
    return {"functions": sorted(functions, key=key), "events": sorted(events, key=key), "errors": sorted(errors, key=key)}


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    git_dir = argv[1]
    rev = argv[2] if len(argv) == 3 else "HEAD"
    commit = git(git_dir, "rev-parse", rev).strip()
    version = re.search(r"return\s+0x([0-9a-fA-F]{6})", git(git_dir, "show", f"{commit}:contracts/version/Version.sol")).group(1)
    document = {
        "source": {
            "repository": "https://github.com/0xsoniclabs/sonic-sfc",
            "commit": commit,
            "describe": git(git_dir, "describe", "--tags", commit).strip(),
            "version": f"{int(version[0:2], 16)}.{int(version[2:4], 16)}.{int(version[4:6], 16)}",
            "versionBytes3": "0x" + version.lower(),
            "files": FILES,
            "generatedBy": "scripts/sfc-fixture.py",
        },
    }
    for contract, paths in FILES.items():
        document[contract] = extract("\n".join(git(git_dir, "show", f"{commit}:{path}") for path in paths))
    OUTPUT.write_text(json.dumps(document, indent=1) + "\n")
    sfc = document["SFC"]
    print(f"sfc-fixture: {OUTPUT.relative_to(ROOT)} from {commit[:12]} (v{document['source']['version']}): "
          f"{len(sfc['functions'])} functions, {len(sfc['events'])} events, {len(sfc['errors'])} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
