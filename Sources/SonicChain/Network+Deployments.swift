import SonicConfig

extension Network {
    /// The same network with what its deployment file adds: Multicall3 and test tokens on the devnet.
    public func with(deployments: Deployments) -> Network {
        var network = self
        if let token = deployments.contracts["TestToken"], !tokens.contains(where: { $0.address == token.address }) {
            network.tokens.append(KnownToken(symbol: "SUSD", name: "Sonic test dollar", address: token.address, decimals: 6))
        }
        network.multicall3 = multicall3 ?? deployments.contracts["Multicall3"]?.address
        return network
    }
}
