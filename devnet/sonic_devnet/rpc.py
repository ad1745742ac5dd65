"""JSON-RPC 2.0 methods of the devnet: strict parameter parsing, dispatch, standard errors."""

from __future__ import annotations

import json
import traceback

from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from eth_bloom import BloomFilter
from eth_utils import to_wei

from . import defi
from . import serialize as out
from .chain import CallRequest, ChainError, DevChain

PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
CLIENT_VERSION = "SonicDevnet/1.0/py-evm"
MAX_LOG_RANGE = 10_000
MAX_SEALS = 100


class RPCError(Exception):
    def __init__(self, code: int, message: str, data: str | None = None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data


# Parameter parsing ---------------------------------------------------------------------------


def parse_quantity(value, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if not isinstance(value, str) or not value.startswith("0x") or len(value) < 3:
        raise RPCError(INVALID_PARAMS, f"{name}: expected a hex quantity such as 0x1a, got {value!r}")
    try:
        return int(value, 16)
    except ValueError:
        raise RPCError(INVALID_PARAMS, f"{name}: {value!r} is not a hex quantity") from None


def parse_data(value, name: str, length: int | None = None) -> bytes:
    if not isinstance(value, str) or not value.startswith("0x") or len(value) % 2:
        raise RPCError(INVALID_PARAMS, f"{name}: expected 0x-prefixed hex bytes, got {value!r}")
    try:
        raw = bytes.fromhex(value[2:])
    except ValueError:
        raise RPCError(INVALID_PARAMS, f"{name}: {value!r} is not hex") from None
    if length is not None and len(raw) != length:
        raise RPCError(INVALID_PARAMS, f"{name}: expected {length} bytes, got {len(raw)}")
    return raw


def parse_address(value, name: str) -> bytes:
    return parse_data(value, name, 20)


def parse_tag(value, name: str = "block"):
    if value is None:
        return "latest"
    if value in ("latest", "earliest", "pending", "safe", "finalized"):
        return value
    if isinstance(value, dict) and "blockNumber" in value:
        return parse_quantity(value["blockNumber"], name)
    return parse_quantity(value, name)


def parse_call(obj, name: str = "transaction") -> CallRequest:
    if not isinstance(obj, dict):
        raise RPCError(INVALID_PARAMS, f"{name}: expected an object")

    def optional(key, parse):
        return parse(obj[key], f"{name}.{key}") if obj.get(key) is not None else None

    payload = obj.get("input", obj.get("data"))
    return CallRequest(
        sender=optional("from", parse_address),
        to=optional("to", parse_address),
        value=optional("value", parse_quantity) or 0,
        data=parse_data(payload, f"{name}.input") if payload is not None else b"",
        gas=optional("gas", parse_quantity),
        gas_price=optional("gasPrice", parse_quantity),
        max_fee_per_gas=optional("maxFeePerGas", parse_quantity),
        max_priority_fee_per_gas=optional("maxPriorityFeePerGas", parse_quantity),
        nonce=optional("nonce", parse_quantity),
    )


def param(params: list, index: int, name: str, default=...):
    if index < len(params):
        return params[index]
    if default is ...:
        raise RPCError(INVALID_PARAMS, f"missing parameter {index + 1} ({name})")
    return default


# Methods ---------------------------------------------------------------------------------------


class Methods:
    def __init__(self, chain: DevChain):
        self.chain = chain

    def table(self):
        names = [n for n in dir(self) if n.startswith(("eth_", "net_", "web3_", "evm_", "personal_", "sonic_"))]
        return {name: getattr(self, name) for name in names}

    # Network
    def eth_chainId(self, params):
        return out.quantity(self.chain.chain_id)

    def net_version(self, params):
        return str(self.chain.chain_id)

    def web3_clientVersion(self, params):
        return CLIENT_VERSION

    def eth_blockNumber(self, params):
        return out.quantity(self.chain.head_number())

    def eth_accounts(self, params):
        return [out.data(a) for a in self.chain.accounts]

    # State
    def eth_getBalance(self, params):
        address = parse_address(param(params, 0, "address"), "address")
        return out.quantity(self.chain.balance(address, parse_tag(param(params, 1, "block", None))))

    def eth_getTransactionCount(self, params):
        address = parse_address(param(params, 0, "address"), "address")
        return out.quantity(self.chain.nonce(address, parse_tag(param(params, 1, "block", None))))

    def eth_getCode(self, params):
        address = parse_address(param(params, 0, "address"), "address")
        return out.data(self.chain.code(address, parse_tag(param(params, 1, "block", None))))

    def eth_getStorageAt(self, params):
        address = parse_address(param(params, 0, "address"), "address")
        slot = parse_quantity(param(params, 1, "slot"), "slot")
        value = self.chain.storage(address, slot, parse_tag(param(params, 2, "block", None)))
        return out.topic(value)

    # Fees
    def eth_gasPrice(self, params):
        return out.quantity(self.chain.base_fee() + self._priority_fee())

    def eth_maxPriorityFeePerGas(self, params):
        return out.quantity(self._priority_fee())

    def _priority_fee(self) -> int:
        return to_wei(1, "gwei")

    def eth_feeHistory(self, params):
        count = parse_quantity(param(params, 0, "blockCount"), "blockCount")
        if not 1 <= count <= 1024:
            raise RPCError(INVALID_PARAMS, f"blockCount: must be 1 to 1024, got {count}")
        newest_tag = parse_tag(param(params, 1, "newestBlock"), "newestBlock")
        percentiles = param(params, 2, "rewardPercentiles", None) or []
        if not isinstance(percentiles, list) or any(
            not isinstance(p, (int, float)) or not 0 <= p <= 100 for p in percentiles
        ) or percentiles != sorted(percentiles):
            raise RPCError(INVALID_PARAMS, "rewardPercentiles: expected ascending numbers from 0 to 100")
        with self.chain.lock:
            head = self.chain.head_number()
            newest = head if newest_tag in ("latest", "pending", "safe", "finalized") else (
                0 if newest_tag == "earliest" else newest_tag)
            if newest > head:
                raise RPCError(INVALID_PARAMS, f"newestBlock: {newest} is beyond the head {head}")
            oldest = max(0, newest - count + 1)
            base_fees, ratios, rewards = [], [], []
            for number in range(oldest, newest + 1):
                block = self.chain.chain.get_canonical_block_by_number(number)
                header = block.header
                base_fees.append(out.quantity(header.base_fee_per_gas))
                ratios.append(header.gas_used / header.gas_limit)
                if percentiles:
                    rewards.append(self._rewards(block, percentiles))
            following = (
                self.chain.chain.get_canonical_block_by_number(newest + 1).header
                if newest < head else self.chain.chain.header
            )
            base_fees.append(out.quantity(following.base_fee_per_gas))
        result = {"oldestBlock": out.quantity(oldest), "baseFeePerGas": base_fees, "gasUsedRatio": ratios}
        if percentiles:
            result["reward"] = rewards
        return result

    def _rewards(self, block, percentiles):
        """Priority fee paid at each gas-weighted percentile of the block, as geth computes it."""
        receipts = self.chain.receipts(block)
        base_fee = block.header.base_fee_per_gas
        items, previous = [], 0
        for tx, receipt in zip(block.transactions, receipts):
            items.append((out.effective_gas_price(tx, base_fee) - base_fee, receipt.gas_used - previous))
            previous = receipt.gas_used
        if not items:
            return [out.quantity(0) for _ in percentiles]
        items.sort()
        total = sum(gas for _, gas in items)
        result, index, cumulative = [], 0, items[0][1]
        for p in percentiles:
            threshold = total * p / 100
            while cumulative < threshold and index < len(items) - 1:
                index += 1
                cumulative += items[index][1]
            result.append(out.quantity(items[index][0]))
        return result

    # Execution
    def eth_call(self, params):
        request = parse_call(param(params, 0, "transaction"))
        return out.data(self.chain.call(request, parse_tag(param(params, 1, "block", None))))

    def eth_estimateGas(self, params):
        return out.quantity(self.chain.estimate_gas(parse_call(param(params, 0, "transaction"))))

    def eth_sendRawTransaction(self, params):
        raw = parse_data(param(params, 0, "data"), "data")
        if not raw:
            raise RPCError(INVALID_PARAMS, "data: empty transaction")
        return out.data(self.chain.send_raw(raw))

    def eth_sendTransaction(self, params):
        request = parse_call(param(params, 0, "transaction"))
        if request.sender is None:
            raise RPCError(INVALID_PARAMS, "transaction.from: required")
        return out.data(self.chain.send_from_account(request))

    # Signing with the unlocked development accounts
    def _key(self, address_hex, name):
        key = self.chain.keys.get(parse_address(address_hex, name))
        if key is None:
            raise RPCError(-32000, f"{name}: unknown account, only the development accounts are unlocked")
        return key.to_bytes()

    def personal_sign(self, params):
        message = parse_data(param(params, 0, "message"), "message")
        key = self._key(param(params, 1, "address"), "address")
        return out.data(Account.sign_message(encode_defunct(primitive=message), key).signature)

    def eth_sign(self, params):
        key = self._key(param(params, 0, "address"), "address")
        message = parse_data(param(params, 1, "message"), "message")
        return out.data(Account.sign_message(encode_defunct(primitive=message), key).signature)

    def eth_signTypedData_v4(self, params):
        key = self._key(param(params, 0, "address"), "address")
        typed = param(params, 1, "typedData")
        if isinstance(typed, str):
            try:
                typed = json.loads(typed)
            except ValueError:
                raise RPCError(INVALID_PARAMS, "typedData: not valid JSON") from None
        try:
            signable = encode_typed_data(full_message=typed)
        except Exception as error:
            raise RPCError(INVALID_PARAMS, f"typedData: {error}") from None
        return out.data(Account.sign_message(signable, key).signature)

    # Blocks, transactions, receipts, logs
    def eth_getBlockByNumber(self, params):
        block, pending = self.chain.block(parse_tag(param(params, 0, "block")))
        full = bool(param(params, 1, "fullTransactions", False))
        return None if block is None else out.block(block, full, pending)

    def eth_getBlockByHash(self, params):
        block = self.chain.block_by_hash(parse_data(param(params, 0, "hash"), "hash", 32))
        full = bool(param(params, 1, "fullTransactions", False))
        return None if block is None else out.block(block, full, False)

    def eth_getTransactionByHash(self, params):
        found = self.chain.find_transaction(parse_data(param(params, 0, "hash"), "hash", 32))
        if found is None:
            return None
        block, index, pending = found
        return out.transaction(block.transactions[index], block, index, pending)

    def eth_getTransactionReceipt(self, params):
        found = self.chain.find_transaction(parse_data(param(params, 0, "hash"), "hash", 32))
        if found is None or found[2]:
            return None
        block, index, _ = found
        return out.receipt(block, self.chain.receipts(block), index)

    def eth_getLogs(self, params):
        spec = param(params, 0, "filter")
        if not isinstance(spec, dict):
            raise RPCError(INVALID_PARAMS, "filter: expected an object")
        addresses = spec.get("address")
        if isinstance(addresses, str):
            addresses = [addresses]
        addresses = [parse_address(a, "filter.address") for a in (addresses or [])]
        topics = []
        for position, entry in enumerate(spec.get("topics") or []):
            options = entry if isinstance(entry, list) else ([] if entry is None else [entry])
            topics.append([parse_data(t, f"filter.topics[{position}]", 32) for t in options])
        with self.chain.lock:
            if spec.get("blockHash") is not None:
                block = self.chain.block_by_hash(parse_data(spec["blockHash"], "filter.blockHash", 32))
                if block is None:
                    raise RPCError(-32000, "filter.blockHash: unknown block")
                blocks = [block.number]
            else:
                head = self.chain.head_number()
                start = self._log_bound(spec.get("fromBlock"), head, "filter.fromBlock")
                end = self._log_bound(spec.get("toBlock"), head, "filter.toBlock")
                if end - start > MAX_LOG_RANGE:
                    raise RPCError(-32005, f"block range too large: at most {MAX_LOG_RANGE} blocks per query")
                blocks = range(start, end + 1)
            return [entry for n in blocks for entry in self._block_logs(n, addresses, topics)]

    def _log_bound(self, value, head, name):
        tag = parse_tag(value, name)
        if isinstance(tag, int):
            return min(tag, head)
        return 0 if tag == "earliest" else head

    def _block_logs(self, number, addresses, topics):
        chain = self.chain.chain
        header = chain.get_canonical_block_header_by_number(number)
        bloom = BloomFilter(header.bloom)
        if addresses and not any(a in bloom for a in addresses):
            return []
        for options in topics:
            if options and not any(t in bloom for t in options):
                return []
        block = chain.get_canonical_block_by_number(number)
        receipts = self.chain.receipts(block)
        found, log_index = [], 0
        for tx_index, (tx, receipt) in enumerate(zip(block.transactions, receipts)):
            for entry in receipt.logs:
                if self._matches(entry, addresses, topics):
                    found.append(out.log(entry, block, tx, tx_index, log_index))
                log_index += 1
        return found

    @staticmethod
    def _matches(entry, addresses, topics) -> bool:
        if addresses and entry.address not in addresses:
            return False
        if len(topics) > len(entry.topics):
            return False
        for options, value in zip(topics, entry.topics):
            if options and value.to_bytes(32, "big") not in options:
                return False
        return True

    # Development controls
    def evm_mine(self, params):
        """Mines one block holding every pending transaction (none: an empty block)."""
        self.chain.mine(1)
        return "0x0"

    def evm_setAutomine(self, params):
        """`true` mines each transaction as it arrives (the default without `--block-time`);
        `false` holds them pending, where one of the same sender and nonce may replace another,
        until `evm_mine` (or the next interval block)."""
        on = param(params, 0, "enabled")
        if not isinstance(on, bool):
            raise RPCError(INVALID_PARAMS, f"enabled: expected true or false, got {on!r}")
        self.chain.set_auto_mine(on)
        return True

    def evm_increaseTime(self, params):
        seconds = param(params, 0, "seconds")
        seconds = seconds if isinstance(seconds, int) else parse_quantity(seconds, "seconds")
        return self.chain.increase_time(seconds)

    def sonic_sealEpoch(self, params):
        """Seals `count` (default 1, at most 100) epochs of the SFC, a block each; returns the
        numbers of the sealed epochs."""
        count = param(params, 0, "count", 1)
        count = count if isinstance(count, int) and not isinstance(count, bool) else parse_quantity(count, "count")
        if not 1 <= count <= MAX_SEALS:
            raise RPCError(INVALID_PARAMS, f"count: must be 1 to {MAX_SEALS} epochs, got {count}")
        return [out.quantity(epoch) for epoch in defi.seal_epochs(self.chain, count)]

    def evm_snapshot(self, params):
        return out.quantity(self.chain.snapshot())

    def evm_revert(self, params):
        return self.chain.revert(parse_quantity(param(params, 0, "snapshot"), "snapshot"))


# Dispatch ---------------------------------------------------------------------------------------


class Dispatcher:
    def __init__(self, chain: DevChain):
        self.methods = Methods(chain).table()

    def handle_body(self, body: bytes) -> bytes | None:
        """One HTTP body in, one HTTP body out (None for a batch of notifications only)."""
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _encode(_error(None, PARSE_ERROR, "parse error: body is not valid JSON"))
        if isinstance(request, list):
            if not request:
                return _encode(_error(None, INVALID_REQUEST, "invalid request: empty batch"))
            answers = [a for a in (self.handle_one(r) for r in request) if a is not None]
            return _encode(answers) if answers else None
        answer = self.handle_one(request)
        return _encode(answer) if answer is not None else None

    def handle_one(self, request):
        if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or not isinstance(
            request.get("method"), str
        ):
            ident = request.get("id") if isinstance(request, dict) else None
            return _error(ident, INVALID_REQUEST, "invalid request: expected a JSON-RPC 2.0 object")
        ident = request.get("id")
        is_notification = "id" not in request
        method = self.methods.get(request["method"])
        params = request.get("params", [])
        if method is None:
            answer = _error(ident, METHOD_NOT_FOUND, f"the method {request['method']} does not exist")
        elif not isinstance(params, list):
            answer = _error(ident, INVALID_PARAMS, "params: expected an array")
        else:
            try:
                answer = {"jsonrpc": "2.0", "id": ident, "result": method(params)}
            except RPCError as error:
                answer = _error(ident, error.code, error.message, error.data)
            except ChainError as error:
                revert_data = None if error.data is None else out.data(error.data)
                answer = _error(ident, error.code, str(error), revert_data)
            except Exception as error:  # a bug of ours: answer it, log it, keep serving
                traceback.print_exc()
                answer = _error(ident, -32603, f"internal error: {type(error).__name__}")
        return None if is_notification else answer


def _error(ident, code: int, message: str, data=None) -> dict:
    error = {"code": code, "message": message}
    if data is not None:
        error["data"] = data
    return {"jsonrpc": "2.0", "id": ident, "error": error}


def _encode(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()
