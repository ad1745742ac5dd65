import BigInt
import Ethereum

/// Wrapped S (wS), WETH9-style: `deposit()` wraps the S sent, `withdraw(amount)` unwraps, with
/// `depositFor` and `withdrawTo` for another account; an ERC-20 with 18 decimals. The same
/// binding serves mainnet's wS and the devnet's (both at 0x039e2fB6…aD38).
public struct WrappedNative: Sendable {
    public static let deposit = Contract.signature("function deposit() payable")
    public static let withdraw = Contract.signature("function withdraw(uint256 wad)")
    public static let depositFor = Contract.signature("function depositFor(address account) payable returns (bool)")
    public static let withdrawTo = Contract.signature("function withdrawTo(address account, uint256 wad) returns (bool)")
    public static let depositEvent = Contract.signature("event Deposit(address indexed dst, uint256 wad)")
    public static let withdrawalEvent = Contract.signature("event Withdrawal(address indexed src, uint256 wad)")

    public let contract: Contract
    public var erc20: ERC20 { ERC20(address: contract.address, client: contract.client) }

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    /// Wraps `amount` of S into wS for the sender.
    public static func depositRequest(token: Address, amount: UInt256, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: token, value: amount, data: try deposit.calldata([]))
    }

    /// Unwraps `amount` of the sender's wS into S.
    public static func withdrawRequest(token: Address, amount: UInt256, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: token, data: try withdraw.calldata([.uint(amount.value)]))
    }
}
