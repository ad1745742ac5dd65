"""Smart Sonic's local devnet: a JSON-RPC 2.0 server over a real EVM (py-evm via eth-tester)."""
