import CSecp256k1
import Ethereum
import Foundation

/// Keccak-256, transaction signing, RLP and ABI round trips, with references measured in the
/// same run: OpenSSL's SHA3-256 (the same permutation) and bare libsecp256k1 signing.
struct EthereumBenchmarks {
    let seconds: Double

    func run(into table: inout BenchTable) {
        // Keccak-256 over 1 KiB inputs, against `openssl speed -evp sha3-256 -bytes 1024`.
        let input = (0..<1024).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var sink: UInt8 = 0
        let hashes = measure(seconds: seconds) { sink &+= Keccak256.hash(input)[0] }
        let ours = hashes * 1024 / 1e6
        if let openssl = opensslSHA3MegabytesPerSecond() {
            let ratio = ours / openssl
            table.add("Keccak-256, 1 KiB inputs (MB/s)", format(ours, decimals: 1), reference: "\(format(openssl, decimals: 1)) OpenSSL SHA3-256",
                      ratio: format(ratio, decimals: 2), target: "≥ 0.50", met: ratio >= 0.5)
        } else {
            table.add("Keccak-256, 1 KiB inputs (MB/s)", format(ours, decimals: 1), reference: "openssl not found")
        }

        // EIP-1559 sign + serialize, against bare recoverable signing of a digest.
        let key = try! PrivateKey(hex: "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
        var transaction = Transaction(
            chainID: 146, nonce: 0, fees: .dynamic(maxPriorityFeePerGas: UInt256(1_000_000_000), maxFeePerGas: UInt256(60_000_000_000)),
            gasLimit: 21_000, to: key.address, value: UInt256(1_500_000_000_000_000_000), data: [])
        let signing = measure(seconds: seconds) {
            transaction.nonce &+= 1
            sink &+= (try! transaction.signed(with: key)).raw[1]
        }
        let bare = bareSigningPerSecond(key: key.secret.revealedBytes)  // the benchmark's own well-known key
        let signingRatio = signing / bare
        table.add("EIP-1559 sign + serialize (per s)", format(signing), reference: "\(format(bare)) bare libsecp256k1 sign",
                  ratio: format(signingRatio, decimals: 2), target: "≥ 0.80", met: signingRatio >= 0.8)

        // RLP: a signed transaction decoded and encoded again.
        let raw = try! transaction.signed(with: key).raw
        let body = Array(raw.dropFirst())
        let rlp = measure(seconds: seconds) { sink &+= RLP.encode(try! RLP.decode(body))[0] }
        table.add("RLP round trip, EIP-1559 tx (per s)", format(rlp))

        // ABI: transfer(address,uint256) calldata and a dynamic tuple, encoded and decoded.
        let types: [ABIType] = [.address, .uint(bits: 256), .string, .array(.uint(bits: 64))]
        let values: [ABIValue] = [.address(key.address), .uint(1_000_000), .string("Smart Sonic"), .array([.uint(1), .uint(2), .uint(3)])]
        let abi = measure(seconds: seconds) {
            let encoded = try! ABI.encode(values, as: types)
            sink &+= UInt8(try! ABI.decode(encoded, as: types).count)
        }
        table.add("ABI round trip, 4 mixed args (per s)", format(abi))
        if sink == 42 { print("") }  // keeps the optimizer from dropping the work
    }

    /// libsecp256k1 recoverable signing of a fixed digest, nothing else: the ceiling for signing.
    func bareSigningPerSecond(key: [UInt8]) -> Double {
        let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        defer { secp256k1_context_destroy(context) }
        var digest = [UInt8](repeating: 0x42, count: 32)
        var signature = secp256k1_ecdsa_recoverable_signature()
        var compact = [UInt8](repeating: 0, count: 64)
        var recovery: Int32 = 0
        return measure(seconds: seconds) {
            digest[0] &+= 1
            _ = secp256k1_ecdsa_sign_recoverable(context, &signature, digest, key, nil, nil)
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(context, &compact, &recovery, &signature)
        }
    }

    /// Runs `openssl speed -evp sha3-256 -bytes 1024` and reads its MB/s (it prints kB/s).
    func opensslSHA3MegabytesPerSecond() -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "speed", "-evp", "sha3-256", "-bytes", "1024", "-seconds", String(max(1, Int(seconds)))]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // The last line: "sha3-256   123456.78k" (thousands of bytes per second).
        guard let line = output.split(separator: "\n").last(where: { $0.lowercased().hasPrefix("sha3-256") }),
              let field = line.split(separator: " ").last, field.hasSuffix("k"), let kilobytes = Double(field.dropLast())
        else { return nil }
        return kilobytes * 1000 / 1e6
    }
}
