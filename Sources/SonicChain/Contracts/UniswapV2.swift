import BigInt
import Ethereum

/// A UniswapV2Router02-compatible router: quotes and swaps with its names and argument orders
/// (SpookySwap's on mainnet, our Vyper one on the devnet). Native S goes in and out through the
/// ETH-named functions; `WETH()` is the wrapped S they use. Reverts carry Uniswap's strings
/// ("UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT", "UniswapV2Router: EXPIRED").
public struct UniswapV2Router: Sendable {
    public static let factory = Contract.signature("function factory() view returns (address)")
    public static let weth = Contract.signature("function WETH() view returns (address)")
    public static let getAmountsOut = Contract.signature("function getAmountsOut(uint256 amountIn, address[] path) view returns (uint256[] amounts)")
    public static let getAmountsIn = Contract.signature("function getAmountsIn(uint256 amountOut, address[] path) view returns (uint256[] amounts)")
    public static let swapExactTokensForTokens = Contract.signature(
        "function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[] amounts)")
    public static let swapExactETHForTokens = Contract.signature(
        "function swapExactETHForTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline) payable returns (uint256[] amounts)")
    public static let swapExactTokensForETH = Contract.signature(
        "function swapExactTokensForETH(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) returns (uint256[] amounts)")

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    public func factory() async throws -> Address { try await contract.read(Self.factory).address(Self.factory) }
    /// The wrapped native token the ETH-named functions use (wS on Sonic).
    public func wrappedNative() async throws -> Address { try await contract.read(Self.weth).address(Self.weth) }

    /// What each step of `path` yields for `amountIn` of its first token, the pools' fees taken.
    public func amountsOut(_ amountIn: UInt256, path: [Address]) async throws -> [UInt256] {
        try await amounts(Self.getAmountsOut, amountIn, path)
    }

    /// What each step of `path` needs for `amountOut` of its last token.
    public func amountsIn(_ amountOut: UInt256, path: [Address]) async throws -> [UInt256] {
        try await amounts(Self.getAmountsIn, amountOut, path)
    }

    private func amounts(_ function: ABISignature, _ amount: UInt256, _ path: [Address]) async throws -> [UInt256] {
        guard case .array(let items)? = try await contract.read(function, [.uint(amount.value), .array(path.map { .address($0) })]).first else {
            throw UnexpectedOutput(function: function.canonical)
        }
        let amounts = items.compactMap(\.uint256)
        guard amounts.count == path.count else { throw UnexpectedOutput(function: function.canonical) }
        return amounts
    }

    /// Swaps exactly `amountIn` of S (sent as value) along `path` (starting with `WETH()`) for at
    /// least `minimumOut` of its last token, paid to `to`, before `deadline` (Unix time).
    public static func swapExactETHForTokensRequest(router: Address, amountIn: UInt256, minimumOut: UInt256, path: [Address], to: Address,
                                                    deadline: UInt64, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: router, value: amountIn, data: try swapExactETHForTokens.calldata(
            [.uint(minimumOut.value), .array(path.map { .address($0) }), .address(to), .uint(BigUInt(deadline))]))
    }

    /// Swaps exactly `amountIn` of the first token of `path` (approved to the router) for at
    /// least `minimumOut` of S (`path` ends with `WETH()`).
    public static func swapExactTokensForETHRequest(router: Address, amountIn: UInt256, minimumOut: UInt256, path: [Address], to: Address,
                                                    deadline: UInt64, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: router, data: try swapExactTokensForETH.calldata(
            [.uint(amountIn.value), .uint(minimumOut.value), .array(path.map { .address($0) }), .address(to), .uint(BigUInt(deadline))]))
    }

    /// Swaps exactly `amountIn` of the first token of `path` (approved to the router) for at
    /// least `minimumOut` of its last token.
    public static func swapExactTokensForTokensRequest(router: Address, amountIn: UInt256, minimumOut: UInt256, path: [Address], to: Address,
                                                       deadline: UInt64, from: Address) throws(ABIError) -> CallRequest {
        CallRequest(from: from, to: router, data: try swapExactTokensForTokens.calldata(
            [.uint(amountIn.value), .uint(minimumOut.value), .array(path.map { .address($0) }), .address(to), .uint(BigUInt(deadline))]))
    }
}

/// A UniswapV2 factory and its pairs: reserves for price impact and for checking a quote
/// against the pool's own maths.
public struct UniswapV2Factory: Sendable {
    public static let getPair = Contract.signature("function getPair(address tokenA, address tokenB) view returns (address pair)")

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    /// The pool of the two tokens; nil when there is none.
    public func pair(_ tokenA: Address, _ tokenB: Address) async throws -> UniswapV2Pair? {
        let pair = try await contract.read(Self.getPair, [.address(tokenA), .address(tokenB)]).address(Self.getPair)
        return pair.bytes.allSatisfy { $0 == 0 } ? nil : UniswapV2Pair(address: pair, client: contract.client)
    }
}

public struct UniswapV2Pair: Sendable {
    public static let token0 = Contract.signature("function token0() view returns (address)")
    public static let token1 = Contract.signature("function token1() view returns (address)")
    public static let getReserves = Contract.signature(
        "function getReserves() view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)")
    public static let swapEvent = Contract.signature(
        "event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)")
    public static let syncEvent = Contract.signature("event Sync(uint112 reserve0, uint112 reserve1)")

    public let contract: Contract

    public init(address: Address, client: RPCClient) { contract = Contract(address: address, client: client) }

    public func token0() async throws -> Address { try await contract.read(Self.token0).address(Self.token0) }
    public func token1() async throws -> Address { try await contract.read(Self.token1).address(Self.token1) }

    /// The pool's reserves of `token0()` and `token1()`.
    public func reserves() async throws -> (reserve0: UInt256, reserve1: UInt256) {
        let values = try await contract.read(Self.getReserves).compactMap(\.uint256)
        guard values.count == 3 else { throw UnexpectedOutput(function: Self.getReserves.canonical) }
        return (values[0], values[1])
    }

    /// UniswapV2Library.getAmountOut: what `amountIn` buys from a pool with these reserves, the
    /// 0.3 % fee taken (amountIn × 997 × reserveOut / (reserveIn × 1000 + amountIn × 997)); nil
    /// for an empty pool or no input.
    public static func amountOut(_ amountIn: UInt256, reserveIn: UInt256, reserveOut: UInt256) -> UInt256? {
        guard !amountIn.value.isZero, !reserveIn.value.isZero, !reserveOut.value.isZero else { return nil }
        let withFee = amountIn.value * 997
        return UInt256(withFee * reserveOut.value / (reserveIn.value * 1_000 + withFee))
    }
}
