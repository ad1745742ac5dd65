// `Deadline` lives below both node and database clients; whoever imports this sees it as before.
@_exported import RequestDeadline

/// # SonicChain
///
/// Everything that reads or writes the chain goes through here: the JSON-RPC 2.0 client over
/// HTTP (libcurl), the network profiles (devnet, testnet, mainnet) and, as chain access grows,
/// fee suggestion and contract bindings.
///
/// Import it if you need chain data. If you are encoding bytes, you want `Ethereum`; if you are
/// answering an HTTP request, you want `SonicApp`, which calls this.
public enum SonicChainModule {}
