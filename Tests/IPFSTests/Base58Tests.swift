import Testing
@testable import IPFS

@Suite struct Base58Tests {
    /// Vectors from draft-msporny-base58-03, section 5.
    @Test(arguments: [
        (Array("Hello World!".utf8), "2NEpo7TZRRrLZSi2U"),
        (Array("The quick brown fox jumps over the lazy dog.".utf8), "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"),
        ([0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd], "11233QC4"),
        ([], ""),
    ])
    func encodes(bytes: [UInt8], text: String) {
        #expect(Base58.encode(bytes) == text)
    }
}
