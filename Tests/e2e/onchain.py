"""What the chain itself says, read over the devnet's JSON-RPC apart from the API the pages use:
balances, a view call's integer, and the fee of an account's latest transaction."""

from eth_utils import keccak


def balance(stack, account: str) -> int:
    return int(stack.rpc("eth_getBalance", account, "latest"), 16)


def word(value) -> str:
    """An address or an integer as one 32-byte ABI word, in hex without 0x."""
    return (value[2:].lower() if isinstance(value, str) else f"{value:x}").rjust(64, "0")


def call_uint(stack, to: str, signature: str, *arguments) -> int:
    data = "0x" + keccak(text=signature)[:4].hex() + "".join(word(argument) for argument in arguments)
    return int(stack.rpc("eth_call", {"to": to, "data": data}, "latest"), 16)


def token_balance(stack, token: str, account: str) -> int:
    return call_uint(stack, token, "balanceOf(address)", account)


def last_fee(stack, account: str) -> int:
    """The fee `account` paid for its newest transaction: gas used times the effective price,
    from the receipt (the devnet mines each transaction in a block of its own)."""
    head = int(stack.rpc("eth_blockNumber"), 16)
    for number in range(head, max(head - 50, -1), -1):
        block = stack.rpc("eth_getBlockByNumber", hex(number), True)
        for tx in block["transactions"]:
            if tx["from"].lower() == account.lower():
                receipt = stack.rpc("eth_getTransactionReceipt", tx["hash"])
                return int(receipt["gasUsed"], 16) * int(receipt["effectiveGasPrice"], 16)
    raise AssertionError(f"no transaction of {account} in the last 50 blocks")
