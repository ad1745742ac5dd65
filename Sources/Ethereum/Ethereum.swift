/// # Ethereum
///
/// The byte-exact core every other target builds on: hex, addresses, quantities and — as the
/// Ethereum-core issue lands — Keccak-256, RLP, ABI, keys, signatures and transactions.
///
/// Import it when you need to turn Ethereum values into bytes or back. It never touches the
/// network or a database; if you are writing a transport, a cache or a handler, you want
/// `SonicChain`, `SonicStore` or `SonicApp`, which build on this.
public enum EthereumModule {}
