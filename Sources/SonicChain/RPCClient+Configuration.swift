import SonicConfig

extension RPCClient {
    /// The client of the configured network: its RPC URLs in order, each call bounded by
    /// `SONIC_RPC_TIMEOUT` (connecting by at most 2 s of it).
    public convenience init(configuration: Configuration) {
        self.init(endpoints: configuration.network.rpcURLs,
                  transport: HTTPTransport(connectTimeout: min(2, configuration.rpcTimeout), totalTimeout: configuration.rpcTimeout))
    }
}
