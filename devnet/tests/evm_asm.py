"""A few hand-assembled contracts for the devnet tests (there is no Solidity compiler here)."""

OPS = {
    "STOP": 0x00, "ADD": 0x01, "CALLDATASIZE": 0x36, "CALLDATALOAD": 0x35, "CODECOPY": 0x39,
    "MSTORE": 0x52, "RETURN": 0xF3, "REVERT": 0xFD, "JUMPI": 0x57, "JUMPDEST": 0x5B,
    "LOG1": 0xA1, "CALLER": 0x33, "PUSH0": 0x5F, "ISZERO": 0x15, "EQ": 0x14,
}


def assemble(*items) -> bytes:
    """Opcode names and ("PUSH", int, width) tuples to bytecode."""
    code = bytearray()
    for item in items:
        if isinstance(item, tuple):
            _, value, width = item
            code.append(0x5F + width)
            code += value.to_bytes(width, "big")
        else:
            code.append(OPS[item])
    return bytes(code)


def error_string_revert(reason: str) -> bytes:
    """Runtime that answers any call by reverting with Error(reason)."""
    encoded = bytes.fromhex("08c379a0") + (32).to_bytes(32, "big") + len(reason).to_bytes(32, "big")
    encoded += reason.encode().ljust(32, b"\0")
    code = bytearray()
    for offset in range(0, len(encoded), 32):
        word = encoded[offset : offset + 32].ljust(32, b"\0")
        code += assemble(("PUSH", int.from_bytes(word, "big"), 32), ("PUSH", offset, 1), "MSTORE")
    code += assemble(("PUSH", len(encoded), 1), ("PUSH", 0, 1), "REVERT")
    return bytes(code)


def log_calldata_word() -> bytes:
    """Runtime that emits LOG1 with topic0 = the first 32 bytes of calldata and stops."""
    return assemble(("PUSH", 0, 1), "CALLDATALOAD", ("PUSH", 0, 1), ("PUSH", 0, 1), "LOG1", "STOP")


def deployer(runtime: bytes) -> bytes:
    """Init code that returns `runtime` as the contract's code."""
    # PUSH1 len, PUSH1 offset, PUSH1 0, CODECOPY, PUSH1 len, PUSH1 0, RETURN = 12 bytes
    prefix_length = 12
    init = assemble(
        ("PUSH", len(runtime), 1), ("PUSH", prefix_length, 1), ("PUSH", 0, 1), "CODECOPY",
        ("PUSH", len(runtime), 1), ("PUSH", 0, 1), "RETURN",
    )
    assert len(init) == prefix_length
    return init + runtime
