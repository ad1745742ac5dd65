import Ethereum
import Foundation

/// What a message says about addresses beyond the parser's entities: the form each was written
/// in (its EIP-55 case), what looks like an address but is not one, and the recipients of
/// several transfers.
extension Message {
    /// Addresses as written, mixed case kept, in order.
    var writtenAddresses: [String] {
        tokens.compactMap { token in
            guard case .address = token.kind else { return nil }
            return String(token.raw.prefix(42))
        }
    }

    /// Why something the person wrote for an address cannot be used: a wrong EIP-55 checksum
    /// (a likely typo), "0x" with too few digits or a shortened form, or a name ("vitalik.eth").
    /// nil when every address-like word is an address.
    var addressProblem: String? {
        for written in writtenAddresses {
            if case .badChecksum? = Self.addressError(written) {
                return "\(written) has a wrong EIP-55 checksum: its mixed case does not match, so a character is probably mistyped. "
                    + "Copy the address again from where you got it; I won't guess which character is wrong."
            }
        }
        for token in tokens {
            guard case .word(let word) = token.kind else { continue }
            let raw = token.raw.trimmingCharacters(in: CharacterSet(charactersIn: ".,!?;:"))
            if word.hasPrefix("0x") {
                let digits = raw.dropFirst(2)
                if digits.contains("…") || digits.contains("...") {
                    return "\(raw) is shortened, so it is not a usable address. Paste the whole address: 0x and 40 hex digits."
                }
                if !digits.allSatisfy(\.isHexDigit) {
                    return "\(raw) is not a usable address: an address is 0x and 40 hex digits, and this has other characters in it."
                }
                return "\(raw) is not a usable address: an address is 0x and 40 hex digits, and this has \(digits.count)."
            }
            if raw.count == 40, raw.allSatisfy(\.isHexDigit), raw.contains(where: \.isLetter) {
                return "\(raw) looks like an address without its 0x, so I won't take it as one. Paste the whole address, 0x and 40 hex digits."
            }
            if Self.isName(word) {
                return "\(raw) is a name, not an address: I can't look names (ENS and the like) up. Paste the 0x address it stands for."
            }
        }
        return nil
    }

    static func addressError(_ text: String) -> AddressError? {
        do { _ = try Address(text); return nil } catch { return error }
    }

    /// "vitalik.eth", "alice.sonic": a name-service name, not a token ("usdc.e").
    static func isName(_ word: String) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let suffix = parts.last, Lexicon.nameSuffixes.contains(String(suffix)), Lexicon.tokens[word] == nil else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } }
    }

    /// Token contracts written as an amount's token: "send 5 0xToken… to 0xFriend…", an address
    /// right after a number, when another address is the recipient ("to 0x…"). Without one,
    /// "send 5 0x…" names the recipient, as before.
    var tokenAddresses: [String] {
        let named = tokens.indices.contains { index in
            guard index > 0, case .address = tokens[index].kind, case .word(let previous) = tokens[index - 1].kind else { return false }
            return ["to", "into"].contains(previous)
        }
        guard named else { return [] }
        return tokens.indices.compactMap { index in
            guard index > 0, case .address(let address) = tokens[index].kind, case .number = tokens[index - 1].kind else { return nil }
            return address
        }
    }

    /// Whether two or more different addresses are offered as alternatives: "to A or B".
    var addressesAreAlternatives: Bool {
        var seenAddress = false
        for token in tokens {
            switch token.kind {
            case .address: seenAddress = true
            case .word(let word) where seenAddress && ["or", "either", "whichever", "whoever"].contains(word.trimmingCharacters(in: .punctuationCharacters)):
                return Set(addresses).count > 1
            default: break
            }
        }
        return false
    }
}
