# pragma version ~=0.4.3
"""
@title Multicall3-compatible batch reader
@notice The aggregate3, getEthBalance and getBlockNumber functions of Multicall3 (same
        selectors, same ABI), so one client code path serves the devnet and Sonic, where
        Multicall3 lives at 0xcA11bde05977b3631167028862bE2a173976CA11. Vyper sizes memory
        for the maximum, so a batch holds at most 64 calls of up to 1,024 bytes of calldata,
        each returning at most 256 bytes: enough for balance and metadata reads.
"""

MAX_CALLS: constant(uint256) = 64


struct Call3:
    target: address
    allowFailure: bool
    callData: Bytes[1_024]


struct Result:
    success: bool
    returnData: Bytes[256]


@external
@view
def aggregate3(calls: DynArray[Call3, MAX_CALLS]) -> DynArray[Result, MAX_CALLS]:
    results: DynArray[Result, MAX_CALLS] = []
    for call: Call3 in calls:
        success: bool = False
        data: Bytes[256] = b""
        success, data = raw_call(call.target, call.callData, max_outsize=256, is_static_call=True, revert_on_failure=False)
        assert success or call.allowFailure, "Multicall3: call failed"
        results.append(Result(success=success, returnData=data))
    return results


@external
@view
def getEthBalance(addr: address) -> uint256:
    return addr.balance


@external
@view
def getBlockNumber() -> uint256:
    return block.number
