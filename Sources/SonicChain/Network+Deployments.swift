import SonicConfig

extension Network {
    /// The same network with what its deployment file adds: Multicall3, our test token on the
    /// devnet and our NFT collection, verified.
    public func with(deployments: Deployments) -> Network {
        var network = self
        if let token = deployments.contracts["TestToken"], !tokens.contains(where: { $0.address == token.address }) {
            network.tokens.append(KnownToken(symbol: "SUSD", name: "Sonic test dollar", address: token.address, decimals: 6,
                                             source: "deployments/\(deployments.network).json (ours)"))
        }
        if let collection = deployments.contracts["SmartSonicNFT"], !network.collections.contains(collection.address) {
            network.collections.append(collection.address)
        }
        network.multicall3 = multicall3 ?? deployments.contracts["Multicall3"]?.address
        return network
    }
}
