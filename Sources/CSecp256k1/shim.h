// libsecp256k1 (Debian libsecp256k1-dev 0.2), with the recovery module for Ethereum signatures.
// Its default nonce function is RFC 6979. Nothing here is variadic; the shim only gathers headers.
#ifndef SONIC_CSECP256K1_SHIM_H
#define SONIC_CSECP256K1_SHIM_H

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#endif
