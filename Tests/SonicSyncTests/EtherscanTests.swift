import Ethereum
import Foundation
import SonicChain
import SonicConfig
import SonicStore
import TestSupport
import Testing
@testable import SonicSync

/// The backfill against a stub of Etherscan's V2 API: the documented query (chain id, module,
/// action, range, key), records turned into history entries, "no transactions" as none, and a
/// refusal that never repeats the key.
@Suite struct EtherscanTests {
    static let me = try! Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let other = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"

    static func answer(_ request: HTTPStub.Recorded) -> (status: Int, body: String) {
        if request.target.contains("action=txlist") {
            return (200, """
                {"status":"1","message":"OK","result":[
                 {"blockNumber":"10","timeStamp":"1795772000","hash":"0xAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","transactionIndex":"0","from":"\(other)","to":"\(me.lowercased)",
                  "value":"1500000000000000000","gasUsed":"21000","gasPrice":"1000000000","isError":"0","input":"0x","contractAddress":"","functionName":""},
                 {"blockNumber":"11","timeStamp":"1795772100","hash":"0xBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB","transactionIndex":"1","from":"\(me.lowercased)","to":"\(other)",
                  "value":"0","gasUsed":"50000","gasPrice":"1000000000","isError":"1","input":"0xa9059cbb","contractAddress":"","functionName":"purchase(uint256)"}]}
                """)
        }
        return (200, #"{"status":"0","message":"No transactions found","result":[]}"#)
    }

    @Test func aBackfillAsksTheDocumentedQueryAndWritesTheHistory() throws {
        let stub = HTTPStub(Self.answer)
        defer { stub.stop() }
        let store = try Store(path: FileManager.default.temporaryDirectory.appendingPathComponent("backfill-\(UUID().uuidString).sqlite").path)
        let client = EtherscanClient(baseURL: stub.url + "/v2/api", apiKey: Secret(Array("KEY123".utf8)), chainID: 146, spacing: 0)
        let backfill = EtherscanBackfill(store: store, chainID: 146, network: .mainnet, client: client)
        #expect(try backfill.run(Self.me) == 2)

        let first = try #require(stub.requests.first)
        let items = Dictionary(uniqueKeysWithValues: (URLComponents(string: first.target)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(first.method == "GET" && first.target.hasPrefix("/v2/api?"))
        #expect(items["chainid"] == "146" && items["module"] == "account" && items["action"] == "txlist" && items["apikey"] == "KEY123")
        #expect(items["address"] == Self.me.lowercased && items["sort"] == "asc" && items["offset"] == "1000")
        #expect(stub.requests.map { $0.target.contains("action=tokentx") } == [false, true])

        let history = try store.history(HistoryQuery(address: Self.me, limit: 10))
        #expect(history.map(\.hash.description) == ["0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
        #expect(history[0].status == .failed && history[0].method == "purchase" && history[0].feeWei == 50_000_000_000_000)
        #expect(history[1].direction == .incoming && history[1].amountWei == 1_500_000_000_000_000_000 && history[1].feeWei == nil)
        // Twice is no more: entries are not duplicated.
        #expect(try backfill.run(Self.me) == 0)
    }

    @Test func aRefusalSaysWhyWithoutTheKey() {
        let stub = HTTPStub { _ in (200, #"{"status":"0","message":"NOTOK","result":"Invalid API Key"}"#) }
        defer { stub.stop() }
        let client = EtherscanClient(baseURL: stub.url, apiKey: Secret(Array("KEY123".utf8)), chainID: 146, spacing: 0)
        do {
            _ = try client.page("txlist", address: Self.me, startBlock: 0, endBlock: 10)
            Issue.record("an invalid key must be refused")
        } catch {
            #expect(error.description.contains("Invalid API Key") && !error.description.contains("KEY123"))
        }
    }
}
