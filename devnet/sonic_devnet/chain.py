"""The devnet's chain: a real EVM (py-evm through eth-tester's PyEVMBackend) behind one lock.

This module owns chain state and mining. It knows nothing about JSON-RPC: `rpc.py` translates
requests into calls on `DevChain` and its results into JSON.

Traps of eth-tester that this module works around (see devnet/README.md):
- py-evm accepts a raw transaction signed for another chain id: `send_raw` rejects it.
- eth-tester's look-ups scan every block: we use py-evm's transaction index and header blooms.
- eth-tester's fee history is reversed and short: `fee_history` computes it.
- `eth_call` with no `from` fails for lack of funds: calls run in py-evm's costless state.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from eth.estimators.gas import binary_gas_search_exact
from eth.exceptions import HeaderNotFound, TransactionNotFound
from eth.vm.spoof import SpoofTransaction
from eth_account import Account
from eth_tester.backends.pyevm.main import (
    PyEVMBackend,
    generate_genesis_state_for_keys,
    get_account_keys_from_mnemonic,
)
from eth_utils import to_wei

TEST_MNEMONIC = "test test test test test test test test test test test junk"
HD_PATH = "m/44'/60'/0'/0"  # the usual wallet path; accounts are HD_PATH/0 … HD_PATH/9
DEFAULT_CHAIN_ID = 31337
DEFAULT_BALANCE = to_wei(10_000, "ether")
DEFAULT_ACCOUNTS = 10
# How much more a transaction must offer to replace a pending one of the same sender and nonce
# (geth's txpool.pricebump).
REPLACEMENT_BUMP_PERCENT = 10


class ChainError(Exception):
    """A request the chain refuses; `code` is the JSON-RPC error code to answer with."""

    def __init__(self, message: str, code: int = -32000, data: bytes | None = None):
        super().__init__(message)
        self.code = code
        self.data = data


class Reverted(ChainError):
    """Execution reverted; `data` holds the raw revert data (ABI-encoded, maybe empty)."""

    def __init__(self, data: bytes):
        super().__init__(f"execution reverted{_revert_suffix(data)}", code=3, data=data)


def _revert_suffix(data: bytes) -> str:
    # Error(string) selector 0x08c379a0; the reason is in the message for people reading logs.
    if len(data) >= 68 and data[:4] == bytes.fromhex("08c379a0"):
        try:
            length = int.from_bytes(data[36:68], "big")
            return ": " + data[68 : 68 + length].decode("utf-8", "replace")
        except (ValueError, OverflowError):
            return ""
    return ""


@dataclass(frozen=True)
class CallRequest:
    """A transaction-shaped request for eth_call, eth_estimateGas and eth_sendTransaction."""

    sender: bytes | None
    to: bytes | None
    value: int = 0
    data: bytes = b""
    gas: int | None = None
    gas_price: int | None = None
    max_fee_per_gas: int | None = None
    max_priority_fee_per_gas: int | None = None
    nonce: int | None = None


class DevChain:
    """A single-node chain with the usual ten funded development accounts."""

    def __init__(
        self,
        chain_id: int = DEFAULT_CHAIN_ID,
        accounts: int = DEFAULT_ACCOUNTS,
        balance: int = DEFAULT_BALANCE,
        mnemonic: str = TEST_MNEMONIC,
        genesis_state: dict | None = None,
        genesis_timestamp: int | None = None,
    ):
        """`genesis_state` adds accounts (address → balance, nonce, code, storage) to the
        development accounts' genesis; `genesis_timestamp` fixes the genesis block's time
        (the wall clock by default)."""
        self.chain_id = chain_id
        self.lock = threading.RLock()
        self.auto_mine = True
        self.time_offset = 0
        keys = list(get_account_keys_from_mnemonic(mnemonic, quantity=accounts, hd_path=HD_PATH))
        state = generate_genesis_state_for_keys(keys, overrides={"balance": balance})
        state.update(genesis_state or {})
        parameters = PyEVMBackend.generate_genesis_params(
            overrides=None if genesis_timestamp is None else {"timestamp": genesis_timestamp}
        )
        # Without a mnemonic eth-tester names cheap placeholder keys for the genesis accounts
        # instead of deriving one per account (20 ms each); the development accounts' are ours.
        backend = PyEVMBackend(genesis_parameters=parameters, genesis_state=state)
        backend.account_keys = keys
        self.backend = backend
        self._adopt_chain_id(chain_id)
        self._snapshots: dict[int, bytes] = {}
        self._next_snapshot = 1
        Account.enable_unaudited_hdwallet_features()
        self.accounts = [bytes(a) for a in backend.get_accounts()]
        self.keys = {bytes(k.public_key.to_canonical_address()): k for k in backend.account_keys}

    def _adopt_chain_id(self, chain_id: int) -> None:
        """Rebuild the backend's chain object with our chain id and exact gas estimation."""
        base = type(self.backend.chain)
        chain_class = type(
            "SonicDevnetChain",
            (base,),
            {"chain_id": chain_id, "gas_estimator": staticmethod(binary_gas_search_exact)},
        )
        self.backend.chain = chain_class(self.backend.chain.chaindb.db)

    @property
    def chain(self):
        return self.backend.chain

    # Time and mining ---------------------------------------------------------------------

    def now(self) -> int:
        return int(time.time()) + self.time_offset

    def _refresh_pending_timestamp(self) -> None:
        """Block timestamps follow the wall clock (plus evm_increaseTime's offset)."""
        pending = self.chain.header
        if pending.gas_used == 0:
            parent = self.chain.get_canonical_head()
            self.chain.set_header_timestamp(max(parent.timestamp + 1, self.now()))

    def mine(self, blocks: int = 1) -> list[bytes]:
        with self.lock:
            hashes = []
            for _ in range(blocks):
                self._refresh_pending_timestamp()
                hashes.extend(self.backend.mine_blocks(1))
            return hashes

    def increase_time(self, seconds: int) -> int:
        with self.lock:
            self.time_offset += seconds
            return self.time_offset

    def snapshot(self) -> int:
        with self.lock:
            snapshot_id = self._next_snapshot
            self._next_snapshot += 1
            self._snapshots[snapshot_id] = self.backend.take_snapshot()
            return snapshot_id

    def revert(self, snapshot_id: int) -> bool:
        """Go back to a snapshot; it and every later snapshot are used up, as in Hardhat."""
        with self.lock:
            block_hash = self._snapshots.get(snapshot_id)
            if block_hash is None:
                return False
            self.backend.revert_to_snapshot(block_hash)
            for later in [s for s in self._snapshots if s >= snapshot_id]:
                del self._snapshots[later]
            return True

    # Reading -------------------------------------------------------------------------------

    def head_number(self) -> int:
        return self.chain.get_canonical_head().block_number

    def block(self, tag):
        """A mined block by number or tag ("latest", "earliest", "pending", "safe", "finalized")."""
        with self.lock:
            if tag == "pending":
                return self.chain.get_block(), True
            head = self.head_number()
            number = {"latest": head, "safe": head, "finalized": head, "earliest": 0}.get(tag, tag)
            if not isinstance(number, int) or number > head:
                return None, False
            return self.chain.get_canonical_block_by_number(number), False

    def block_by_hash(self, block_hash: bytes):
        with self.lock:
            try:
                header = self.chain.chaindb.get_block_header_by_hash(block_hash)
                canonical = self.chain.get_canonical_block_hash(header.block_number)
            except HeaderNotFound:
                return None
            if canonical != block_hash:
                return None
            return self.chain.get_canonical_block_by_number(header.block_number)

    def state_at(self, tag):
        """The VM state after block `tag`, or the pending state."""
        block, pending = self.block(tag)
        if block is None:
            raise ChainError(f"block {tag} not found", code=-32602)
        if pending:
            return self.chain.get_vm().state
        return self.chain.get_vm(at_header=block.header).state

    def balance(self, address: bytes, tag) -> int:
        with self.lock:
            return self.state_at(tag).get_balance(address)

    def nonce(self, address: bytes, tag) -> int:
        with self.lock:
            return self.state_at(tag).get_nonce(address)

    def code(self, address: bytes, tag) -> bytes:
        with self.lock:
            return self.state_at(tag).get_code(address)

    def storage(self, address: bytes, slot: int, tag) -> int:
        with self.lock:
            return self.state_at(tag).get_storage(address, slot)

    def base_fee(self) -> int:
        """Base fee of the next block."""
        with self.lock:
            return self.chain.header.base_fee_per_gas

    def find_transaction(self, tx_hash: bytes):
        """(block, index, pending) of a transaction, through py-evm's index; None when unknown."""
        with self.lock:
            pending_block = self.chain.get_block()
            for index, tx in enumerate(pending_block.transactions):
                if tx.hash == tx_hash:
                    return pending_block, index, True
            try:
                number, index = self.chain.get_canonical_transaction_index(tx_hash)
            except TransactionNotFound:
                return None
            if number > self.head_number():
                return None
            block = self.chain.get_canonical_block_by_number(number)
            if index >= len(block.transactions) or block.transactions[index].hash != tx_hash:
                return None  # the index still names a block that a revert removed
            return block, index, False

    def receipts(self, block):
        with self.lock:
            return block.get_receipts(self.chain.chaindb)

    # Executing -----------------------------------------------------------------------------

    def _unsigned(self, request: CallRequest, state, gas: int):
        builder = self.chain.get_transaction_builder()
        sender = request.sender or b"\x00" * 20
        nonce = request.nonce if request.nonce is not None else state.get_nonce(sender)
        fields = dict(nonce=nonce, gas=gas, to=request.to or b"", value=request.value, data=request.data)
        if request.gas_price is not None:
            return self.chain.create_unsigned_transaction(gas_price=request.gas_price, **fields)
        max_fee = request.max_fee_per_gas
        priority = request.max_priority_fee_per_gas
        if max_fee is None and priority is None:
            max_fee, priority = 0, 0
        elif max_fee is None:
            max_fee = priority + 2 * self.chain.header.base_fee_per_gas
        elif priority is None:
            priority = 0
        return builder.new_unsigned_dynamic_fee_transaction(
            chain_id=self.chain_id,
            max_fee_per_gas=max_fee,
            max_priority_fee_per_gas=priority,
            access_list=(),
            **fields,
        )

    def _spoof(self, request: CallRequest, state, gas: int):
        """A fee-free transaction that executes as if `request.sender` had signed it.

        py-evm's costless execution and gas search copy the transaction with `gas_price=0`,
        which only a legacy transaction has; fees play no part in a call, so legacy it is.
        """
        sender = request.sender or b"\x00" * 20
        nonce = request.nonce if request.nonce is not None else state.get_nonce(sender)
        unsigned = self.chain.create_unsigned_transaction(
            nonce=nonce, gas_price=0, gas=gas, to=request.to or b"", value=request.value, data=request.data
        )
        return SpoofTransaction(unsigned, from_=sender)

    @contextmanager
    def _call_state(self, header):
        """The state after `header`'s block, executing in that block's context (number, time) with
        no base fee, as geth runs eth_call; nothing done in it is kept."""
        vm = self.chain.get_vm(at_header=header)
        state = vm.build_state(vm.chaindb.db, header.copy(base_fee_per_gas=0), vm.chain_context, vm.previous_hashes)
        snapshot = state.snapshot()
        try:
            yield state
        finally:
            state.revert(snapshot)

    def _header(self, tag):
        block, pending = self.block(tag)
        if block is None:
            raise ChainError(f"block {tag} not found", code=-32602)
        return self.chain.header if pending else block.header

    @staticmethod
    def _execute(state, tx):
        """Runs a call; a transaction py-evm refuses before running (the sender cannot pay the
        value, say) is answered as geth answers it."""
        try:
            return state.costless_execute_transaction(tx)
        except Exception as error:
            if error.__class__.__name__ == "ValidationError":
                raise ChainError(_validation_message(error)) from error
            raise

    @staticmethod
    def _raise_for(computation):
        if computation.is_error:
            if computation.error.__class__.__name__ == "Revert":
                raise Reverted(computation.output)
            raise ChainError(f"execution failed: {computation.error!r}")

    def call(self, request: CallRequest, tag) -> bytes:
        """eth_call: run in the context of block `tag` without fees, keeping nothing."""
        with self.lock:
            header = self._header(tag)
            with self._call_state(header) as state:
                tx = self._spoof(request, state, request.gas or header.gas_limit)
                computation = self._execute(state, tx)
            self._raise_for(computation)
            return computation.output

    def estimate_gas(self, request: CallRequest) -> int:
        """The least gas with which the request succeeds (exact binary search) on the latest state."""
        with self.lock:
            header = self._header("latest")
            with self._call_state(header) as state:
                tx = self._spoof(request, state, header.gas_limit)
                snapshot = state.snapshot()
                computation = self._execute(state, tx)
                state.revert(snapshot)
                self._raise_for(computation)
                return binary_gas_search_exact(state, tx)

    def send_raw(self, raw: bytes) -> bytes:
        with self.lock:
            try:
                tx = self.chain.get_vm().get_transaction_builder().decode(raw)
            except Exception as error:  # py-evm raises several types for malformed input
                raise ChainError(f"invalid raw transaction: {error}", code=-32602) from error
            tx_chain_id = getattr(tx, "chain_id", None)
            if tx_chain_id is None:
                raise ChainError("only replay-protected (EIP-155) transactions are accepted")
            if tx_chain_id != self.chain_id:
                raise ChainError(f"invalid chain id {tx_chain_id}: this chain is {self.chain_id}")
            return self._apply(tx)

    def send_from_account(self, request: CallRequest) -> bytes:
        """eth_sendTransaction for an unlocked development account."""
        with self.lock:
            key = self.keys.get(request.sender or b"")
            if key is None:
                raise ChainError("unknown account: only the development accounts are unlocked")
            state = self.chain.get_vm().state
            nonce = request.nonce if request.nonce is not None else state.get_nonce(request.sender)
            filled = request
            if request.gas_price is None and request.max_fee_per_gas is None:
                base = self.chain.header.base_fee_per_gas
                priority = request.max_priority_fee_per_gas
                priority = to_wei(1, "gwei") if priority is None else priority
                filled = _replace(request, max_fee_per_gas=2 * base + priority, max_priority_fee_per_gas=priority)
            gas = request.gas or self.estimate_gas(filled)
            filled = _replace(filled, nonce=nonce)
            unsigned = self._unsigned(filled, state, gas)
            return self._apply(unsigned.as_signed_transaction(key, chain_id=self.chain_id))

    def set_auto_mine(self, on: bool) -> None:
        """Mine each transaction as it arrives (on, the default without `--block-time`), or hold
        what arrives in the pending block until `mine` (evm_mine, or the interval miner)."""
        with self.lock:
            self.auto_mine = on

    def _apply(self, tx) -> bytes:
        # Answer as geth does, so clients can tell a duplicate from a conflict.
        if self.find_transaction(tx.hash) is not None:
            raise ChainError("already known")
        expected = self.chain.get_vm().state.get_nonce(tx.sender)
        if tx.nonce < expected:
            held = self._held(tx.sender, tx.nonce)
            if held is not None:
                return self._replace_pending(held, tx)
            raise ChainError(f"nonce too low: next nonce {expected}, tx nonce {tx.nonce}")
        if tx.nonce > expected:
            raise ChainError(f"nonce too high: next nonce {expected}, tx nonce {tx.nonce} (this devnet keeps no queue)")
        self._refresh_pending_timestamp()
        try:
            self.chain.apply_transaction(tx)
        except Exception as error:  # ValidationError and friends: nonce, funds, gas
            raise ChainError(_validation_message(error)) from error
        if self.auto_mine:
            self.mine(1)
        return tx.hash

    # The pending pool ----------------------------------------------------------------------
    # Transactions not mined yet are the pending block's (held there while auto-mining is off or
    # between the interval miner's blocks). One with the sender and nonce of a held one replaces
    # it, as geth's pool does: only when it offers at least REPLACEMENT_BUMP_PERCENT more on both
    # the fee cap and the priority fee (the gas price for legacy transactions).

    def _held(self, sender: bytes, nonce: int):
        """The pending block's transaction of `sender` with `nonce`, or None."""
        for held in self.chain.get_block().transactions:
            if held.sender == sender and held.nonce == nonce:
                return held
        return None

    def _replace_pending(self, held, tx) -> bytes:
        """Puts `tx` in place of `held` in the pending block: the block is built again from the
        head with the same transactions in the same order. A later transaction of the pending
        block that no longer applies (the replacement spent what it needed) leaves it."""
        old_fee, old_tip = _fee_caps(held)
        new_fee, new_tip = _fee_caps(tx)
        bump = 100 + REPLACEMENT_BUMP_PERCENT
        if new_fee * 100 < old_fee * bump or new_tip * 100 < old_tip * bump:
            raise ChainError("replacement transaction underpriced")
        previous = self.chain.header
        kept = list(self.chain.get_block().transactions)
        head = self.chain.get_canonical_head()
        self.chain.header = self.chain.create_header_from_parent(head).copy(timestamp=previous.timestamp)
        try:
            self.chain.apply_transaction(tx)
        except Exception as error:  # the replacement itself does not apply: the pool stays as it was
            self.chain.header = previous
            raise ChainError(_validation_message(error)) from error
        # Applied again in their order, the replacement's nonce already taken: build the block anew.
        self.chain.header = self.chain.create_header_from_parent(head).copy(timestamp=previous.timestamp)
        for pending in kept:
            try:
                self.chain.apply_transaction(tx if pending.hash == held.hash else pending)
            except Exception:  # no longer valid after the replacement: dropped from the pool
                continue
        return tx.hash


def _replace(request: CallRequest, **changes) -> CallRequest:
    from dataclasses import replace

    return replace(request, **changes)


def _fee_caps(tx) -> tuple[int, int]:
    """(fee cap, priority fee) per gas of a transaction; py-evm answers a legacy one's gas price for both."""
    return tx.max_fee_per_gas, tx.max_priority_fee_per_gas


def _validation_message(error: Exception) -> str:
    text = str(error)
    lowered = text.lower()
    if "nonce" in lowered:
        return f"invalid nonce: {text}"
    if "balance" in lowered or "funds" in lowered:
        return f"insufficient funds for gas * price + value: {text}"
    return f"transaction rejected: {text}"
