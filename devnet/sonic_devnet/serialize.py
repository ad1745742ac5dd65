"""py-evm objects to the JSON shapes of the Ethereum JSON-RPC API (hex quantities and data)."""

from __future__ import annotations

import rlp
from eth._utils.address import generate_contract_address


def quantity(value: int) -> str:
    return hex(value)


def data(value: bytes) -> str:
    return "0x" + bytes(value).hex()


def address_or_none(value: bytes):
    return data(value) if value else None


def topic(value: int) -> str:
    return "0x" + value.to_bytes(32, "big").hex()


def tx_type(tx) -> int:
    return getattr(tx, "type_id", None) or 0


def effective_gas_price(tx, base_fee: int) -> int:
    if tx_type(tx) == 0 or tx_type(tx) == 1:
        return tx.gas_price
    return min(tx.max_fee_per_gas, base_fee + tx.max_priority_fee_per_gas)


def transaction(tx, block, index: int, pending: bool) -> dict:
    kind = tx_type(tx)
    out = {
        "hash": data(tx.hash),
        "type": quantity(kind),
        "nonce": quantity(tx.nonce),
        "blockHash": None if pending else data(block.header.hash),
        "blockNumber": None if pending else quantity(block.number),
        "transactionIndex": None if pending else quantity(index),
        "from": data(tx.sender),
        "to": address_or_none(tx.to),
        "value": quantity(tx.value),
        "gas": quantity(tx.gas),
        "input": data(tx.data),
        "r": quantity(tx.r),
        "s": quantity(tx.s),
    }
    if kind == 0:
        out["gasPrice"] = quantity(tx.gas_price)
        out["v"] = quantity(tx.v)
        if tx.v >= 35:
            out["chainId"] = quantity((tx.v - 35) // 2)
    else:
        out["chainId"] = quantity(tx.chain_id)
        out["v"] = quantity(tx.y_parity)
        out["yParity"] = quantity(tx.y_parity)
        out["accessList"] = [
            {"address": data(a), "storageKeys": [topic(k) for k in keys]} for a, keys in tx.access_list
        ]
        if kind == 1:
            out["gasPrice"] = quantity(tx.gas_price)
        else:
            out["maxFeePerGas"] = quantity(tx.max_fee_per_gas)
            out["maxPriorityFeePerGas"] = quantity(tx.max_priority_fee_per_gas)
            base_fee = block.header.base_fee_per_gas
            out["gasPrice"] = quantity(effective_gas_price(tx, base_fee))
    return out


def block(block, full: bool, pending: bool) -> dict:  # noqa: F811 (module function named as in the API)
    header = block.header
    txs = [
        transaction(tx, block, i, pending) if full else data(tx.hash)
        for i, tx in enumerate(block.transactions)
    ]
    out = {
        "number": None if pending else quantity(header.block_number),
        "hash": None if pending else data(header.hash),
        "parentHash": data(header.parent_hash),
        "nonce": data(header.nonce),
        "mixHash": data(header.mix_hash),
        "sha3Uncles": data(header.uncles_hash),
        "logsBloom": data(header.bloom.to_bytes(256, "big")),
        "transactionsRoot": data(header.transaction_root),
        "stateRoot": data(header.state_root),
        "receiptsRoot": data(header.receipt_root),
        "miner": data(header.coinbase),
        "difficulty": quantity(header.difficulty),
        "totalDifficulty": quantity(header.difficulty),
        "extraData": data(header.extra_data),
        "size": quantity(len(rlp.encode(block))),
        "gasLimit": quantity(header.gas_limit),
        "gasUsed": quantity(header.gas_used),
        "timestamp": quantity(header.timestamp),
        "baseFeePerGas": quantity(header.base_fee_per_gas),
        "transactions": txs,
        "uncles": [],
    }
    if hasattr(header, "withdrawals_root"):
        out["withdrawalsRoot"] = data(header.withdrawals_root)
        out["withdrawals"] = []
    return out


def log(entry, block, tx, tx_index: int, log_index: int) -> dict:
    return {
        "address": data(entry.address),
        "topics": [topic(t) for t in entry.topics],
        "data": data(entry.data),
        "blockNumber": quantity(block.number),
        "blockHash": data(block.header.hash),
        "transactionHash": data(tx.hash),
        "transactionIndex": quantity(tx_index),
        "logIndex": quantity(log_index),
        "removed": False,
    }


def receipt(block, receipts, index: int) -> dict:
    tx = block.transactions[index]
    this = receipts[index]
    previous_cumulative = receipts[index - 1].gas_used if index > 0 else 0
    first_log_index = sum(len(r.logs) for r in receipts[:index])
    creation = not tx.to
    return {
        "transactionHash": data(tx.hash),
        "transactionIndex": quantity(index),
        "blockHash": data(block.header.hash),
        "blockNumber": quantity(block.number),
        "from": data(tx.sender),
        "to": address_or_none(tx.to),
        "type": quantity(tx_type(tx)),
        "cumulativeGasUsed": quantity(this.gas_used),
        "gasUsed": quantity(this.gas_used - previous_cumulative),
        "effectiveGasPrice": quantity(effective_gas_price(tx, block.header.base_fee_per_gas)),
        "contractAddress": data(generate_contract_address(tx.sender, tx.nonce)) if creation else None,
        "logs": [log(e, block, tx, index, first_log_index + i) for i, e in enumerate(this.logs)],
        "logsBloom": data(this.bloom.to_bytes(256, "big")),
        "status": quantity(1 if this.state_root == b"\x01" else 0),
    }
