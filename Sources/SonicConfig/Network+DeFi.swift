import Ethereum

/// A contract of a network's DeFi set, with where its address comes from so that anyone can check it.
public struct SourcedAddress: Sendable, Hashable {
    public let address: Address
    public let source: String

    public init(_ address: Address, source: String) {
        self.address = address
        self.source = source
    }
}

/// The DeFi contracts the product uses on a network: staking (the SFC), wrapped S, a
/// UniswapV2Router02-compatible router and its factory, an S/USD feed, and the tokens of the
/// router's pools. A missing one means the network has none we know: say so instead of guessing.
/// Values such as the withdrawal period or a feed's decimals are read on chain, never kept here.
public struct DeFiContracts: Sendable, Hashable {
    public var sfc: SourcedAddress?
    public var wrappedNative: SourcedAddress?
    public var router: SourcedAddress?
    public var factory: SourcedAddress?
    /// Chainlink-style S/USD feed (`latestRoundData`).
    public var priceFeed: SourcedAddress?
    /// Tokens the router's pools hold besides wS (the devnet's test tokens).
    public var poolTokens: [KnownToken]

    public init(sfc: SourcedAddress? = nil, wrappedNative: SourcedAddress? = nil, router: SourcedAddress? = nil,
                factory: SourcedAddress? = nil, priceFeed: SourcedAddress? = nil, poolTokens: [KnownToken] = []) {
        self.sfc = sfc
        self.wrappedNative = wrappedNative
        self.router = router
        self.factory = factory
        self.priceFeed = priceFeed
        self.poolTokens = poolTokens
    }
}

extension DeFiContracts {
    static let devnetGenesis = "devnet genesis (devnet/sonic_devnet/defi-genesis.json, docs/defi.md)"
    static let sfcSource = "Sonic's genesis predeploy (0xsoniclabs/sonic opera/contracts/sfc/sfc_predeploy.go)"
    static let spookySwap = "SpookySwap V2 on Sonic, third-party listing: check before relying on it (docs/defi.md)"

    /// The devnet's, all in its genesis block (the SFC and wS at their real addresses).
    public static let devnet = DeFiContracts(
        sfc: SourcedAddress(constant("0xFC00FACE00000000000000000000000000000000"), source: devnetGenesis),
        wrappedNative: SourcedAddress(constant("0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"), source: devnetGenesis),
        router: SourcedAddress(constant("0xdef1000000000000000000000000000000000003"), source: devnetGenesis),
        factory: SourcedAddress(constant("0xDEF1000000000000000000000000000000000002"), source: devnetGenesis),
        priceFeed: SourcedAddress(constant("0xdeF1000000000000000000000000000000000006"), source: devnetGenesis),
        poolTokens: [
            KnownToken(symbol: "SUSD", name: "Sonic USD", address: constant("0xDef1000000000000000000000000000000000004"),
                       decimals: 6, source: devnetGenesis),
            KnownToken(symbol: "STT", name: "Sonic Test Token", address: constant("0xdEF1000000000000000000000000000000000005"),
                       decimals: 18, source: devnetGenesis),
        ])

    /// Sonic testnet: the SFC only (the others are not known to us there).
    public static let testnet = DeFiContracts(sfc: SourcedAddress(constant("0xFC00FACE00000000000000000000000000000000"), source: sfcSource))

    /// Sonic mainnet.
    public static let mainnet = DeFiContracts(
        sfc: SourcedAddress(constant("0xFC00FACE00000000000000000000000000000000"), source: sfcSource),
        wrappedNative: SourcedAddress(constant("0x039e2fB66102314Ce7b64Ce5Ce3E5183bc94aD38"), source: Network.sonicContractAddresses),
        router: SourcedAddress(constant("0xa6AD18C2aC47803E193F75c3677b14BF19B94883"), source: spookySwap),
        factory: SourcedAddress(constant("0xEE4bC42157cf65291Ba2FE839AE127e3Cc76f741"), source: spookySwap),
        priceFeed: SourcedAddress(constant("0xc76dFb89fF298145b417d221B2c747d84952e01d"),
                                  source: "the S/USD feed Aave uses on Sonic, third-party: bgd-labs/aave-address-book src/AaveV3Sonic.sol"))

    private static func constant(_ text: String) -> Address {
        do { return try Address(text) } catch { preconditionFailure("bad address constant \(text)") }
    }
}
