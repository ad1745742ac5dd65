/// # IPFS
///
/// Content addressing for the NFT creator: UnixFS chunking, dag-pb nodes, CIDs, and pinning
/// back-ends (local store, kubo RPC, Pinata). It starts with the base58 alphabet CIDv0 needs.
///
/// Import it from the NFT service in `SonicApp`. It does not know about the chain.
public enum IPFSModule {}
