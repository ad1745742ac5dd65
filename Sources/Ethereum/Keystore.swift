import Crypto
import CryptoExtras
import Foundation

/// Web3 Secret Storage (keystore v3) files, as geth and eth-account write them: scrypt or
/// PBKDF2-HMAC-SHA256 derives a key from the password, AES-128-CTR encrypts the private key,
/// keccak256(derived[16..<32] ‖ ciphertext) authenticates it.
/// See https://ethereum.org/en/developers/docs/data-structures-and-encoding/web3-secret-storage/
public enum Keystore {
    /// Scrypt cost of new files: geth's "standard" parameters.
    public static let standardScryptN = 1 << 18

    /// Decrypts a keystore file.
    /// - Throws: `KeystoreError.wrongPassword` when the MAC does not match, or what is malformed.
    public static func decrypt(json: [UInt8], password: String) throws(KeystoreError) -> PrivateKey {
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(json)) } catch { throw .malformed("not keystore v3 JSON: \(error)") }
        guard file.version == 3 else { throw .malformed("version \(file.version) is not 3") }
        let crypto = file.crypto
        guard crypto.cipher == "aes-128-ctr" else { throw .unsupported("cipher \(crypto.cipher)") }
        let salt = try hex(crypto.kdfparams.salt, "kdfparams.salt")
        let derived = try deriveKey(password: password, kdf: crypto.kdf, parameters: crypto.kdfparams, salt: salt)
        let ciphertext = try hex(crypto.ciphertext, "ciphertext")
        let mac = Keccak256.hash(Array(derived[16..<32]) + ciphertext)
        guard constantTimeEqual(mac, try hex(crypto.mac, "mac")) else { throw .wrongPassword }
        let plain = try aes(ciphertext, key: Array(derived[0..<16]), iv: try hex(crypto.cipherparams.iv, "cipherparams.iv"))
        let key: PrivateKey
        do { key = try PrivateKey(bytes: plain) } catch { throw .malformed("the decrypted key is not a valid private key") }
        if let stated = file.address, let address = try? Address("0x" + stated.replacingOccurrences(of: "0x", with: "")),
           address != key.address {
            throw .malformed("the file's address \(address) does not belong to its key")
        }
        return key
    }

    /// Encrypts `key` into a new keystore file (scrypt, random salt and IV).
    /// - Parameter scryptN: the scrypt cost; tests use small values, files for people the standard.
    public static func encrypt(_ key: PrivateKey, password: String, scryptN: Int = standardScryptN) throws(KeystoreError) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let iv = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let parameters = KDFParameters(dklen: 32, salt: Hex.encode(salt).dropFirst(2).description, n: scryptN, r: 8, p: 1, c: nil, prf: nil)
        let derived = try deriveKey(password: password, kdf: "scrypt", parameters: parameters, salt: salt)
        let ciphertext = try aes(key.secret.revealedBytes, key: Array(derived[0..<16]), iv: iv)  // encrypting is the purpose
        let mac = Keccak256.hash(Array(derived[16..<32]) + ciphertext)
        let file = File(
            version: 3, id: UUID().uuidString.lowercased(), address: String(key.address.lowercased.dropFirst(2)),
            crypto: CryptoSection(
                cipher: "aes-128-ctr", cipherparams: .init(iv: bare(iv)), ciphertext: bare(ciphertext),
                kdf: "scrypt", kdfparams: parameters, mac: bare(mac)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return Array(try encoder.encode(file)) } catch { throw .malformed("cannot encode: \(error)") }
    }

    // MARK: - Pieces

    static func deriveKey(password: String, kdf: String, parameters: KDFParameters, salt: [UInt8]) throws(KeystoreError) -> [UInt8] {
        guard parameters.dklen == 32 else { throw .unsupported("dklen \(parameters.dklen)") }
        do {
            switch kdf {
            case "scrypt":
                guard let n = parameters.n, let r = parameters.r, let p = parameters.p else { throw KeystoreError.malformed("scrypt needs n, r and p") }
                guard n > 1, n & (n - 1) == 0, n <= 1 << 20, (1...16).contains(r), (1...16).contains(p) else {
                    throw KeystoreError.unsupported("scrypt n=\(n) r=\(r) p=\(p) (n a power of two up to 2^20, r and p up to 16)")
                }
                let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: n, blockSize: r,
                                                   parallelism: p, maxMemory: 128 * r * n * 2 + (1 << 20))
                return key.withUnsafeBytes { Array($0) }
            case "pbkdf2":
                guard let c = parameters.c, (1...10_000_000).contains(c) else { throw KeystoreError.malformed("pbkdf2 needs c from 1 to 10,000,000") }
                guard parameters.prf == "hmac-sha256" else { throw KeystoreError.unsupported("pbkdf2 prf \(parameters.prf ?? "none")") }
                let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32,
                                                            unsafeUncheckedRounds: c)
                return key.withUnsafeBytes { Array($0) }
            default:
                throw KeystoreError.unsupported("kdf \(kdf)")
            }
        } catch let error as KeystoreError {
            throw error
        } catch {
            throw .malformed("key derivation failed: \(error)")
        }
    }

    static func aes(_ input: [UInt8], key: [UInt8], iv: [UInt8]) throws(KeystoreError) -> [UInt8] {
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: iv)
            return Array(try AES._CTR.encrypt(input, using: SymmetricKey(data: key), nonce: nonce))
        } catch {
            throw .malformed("AES-128-CTR needs a 16-byte IV")
        }
    }

    static func hex(_ text: String, _ field: String) throws(KeystoreError) -> [UInt8] {
        do { return try Hex.decode(text.hasPrefix("0x") ? text : "0x" + text) } catch { throw .malformed("\(field): \(error)") }
    }

    static func bare(_ bytes: [UInt8]) -> String { String(Hex.encode(bytes).dropFirst(2)) }

    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    struct File: Codable {
        let version: Int
        let id: String?
        let address: String?
        let crypto: CryptoSection

        enum CodingKeys: String, CodingKey { case version, id, address, crypto, Crypto }

        init(version: Int, id: String?, address: String?, crypto: CryptoSection) {
            self.version = version
            self.id = id
            self.address = address
            self.crypto = crypto
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            version = try container.decode(Int.self, forKey: .version)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            address = try container.decodeIfPresent(String.self, forKey: .address)
            // Old geth files spell it "Crypto".
            crypto = try container.decodeIfPresent(CryptoSection.self, forKey: .crypto)
                ?? container.decode(CryptoSection.self, forKey: .Crypto)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(address, forKey: .address)
            try container.encode(crypto, forKey: .crypto)
        }
    }

    struct CryptoSection: Codable {
        struct CipherParameters: Codable { let iv: String }
        let cipher: String
        let cipherparams: CipherParameters
        let ciphertext: String
        let kdf: String
        let kdfparams: KDFParameters
        let mac: String
    }

    struct KDFParameters: Codable {
        let dklen: Int
        let salt: String
        let n: Int?
        let r: Int?
        let p: Int?
        let c: Int?
        let prf: String?
    }
}

/// Why a keystore could not be read or written. Never carries the password or the key.
public enum KeystoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongPassword
    case malformed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .wrongPassword: "wrong password for this keystore (its MAC does not match)"
        case .malformed(let reason): "malformed keystore: \(reason)"
        case .unsupported(let what): "unsupported keystore: \(what)"
        }
    }
}
