import Ethereum
import Foundation
import SonicConfig

/// Our contracts' addresses on one network, from `deployments/<network>.json`, which
/// `sonic deploy` writes.
public struct Deployments: Sendable, Equatable {
    public struct Record: Sendable, Equatable, Codable {
        public let address: Address
        public let transactionHash: String
        public let block: UInt64
        public let compiler: String
        public let constructorArguments: [String]

        enum CodingKeys: String, CodingKey { case address, transactionHash, block, compiler, constructorArguments }

        public init(address: Address, transactionHash: String, block: UInt64, compiler: String, constructorArguments: [String]) {
            self.address = address
            self.transactionHash = transactionHash
            self.block = block
            self.compiler = compiler
            self.constructorArguments = constructorArguments
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let text = try container.decode(String.self, forKey: .address)
            do { address = try Address(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: .address, in: container, debugDescription: error.description)
            }
            transactionHash = try container.decode(String.self, forKey: .transactionHash)
            block = try container.decode(UInt64.self, forKey: .block)
            compiler = try container.decode(String.self, forKey: .compiler)
            constructorArguments = try container.decode([String].self, forKey: .constructorArguments)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(address.checksummed, forKey: .address)
            try container.encode(transactionHash, forKey: .transactionHash)
            try container.encode(block, forKey: .block)
            try container.encode(compiler, forKey: .compiler)
            try container.encode(constructorArguments, forKey: .constructorArguments)
        }
    }

    public let network: String
    public let chainID: UInt64
    public var contracts: [String: Record]

    public init(network: String, chainID: UInt64, contracts: [String: Record] = [:]) {
        self.network = network
        self.chainID = chainID
        self.contracts = contracts
    }

    /// `deployments/<network>.json` under `directory`.
    public static func path(network: String, directory: String = "deployments") -> String { "\(directory)/\(network).json" }

    /// Reads a network's deployment file.
    /// - Throws: `DeploymentError.missing` naming the file when there is none.
    public static func load(network: Network, directory: String = "deployments") throws(DeploymentError) -> Deployments {
        let file = path(network: network.name, directory: directory)
        guard let data = FileManager.default.contents(atPath: file) else { throw .missing(file: file, network: network.name) }
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: data) } catch { throw .malformed(file: file, reason: "\(error)") }
        guard document.chainId == network.chainID else {
            throw .malformed(file: file, reason: "it is for chain id \(document.chainId), not \(network.chainID)")
        }
        return Deployments(network: document.network, chainID: document.chainId, contracts: document.contracts)
    }

    /// Writes the file atomically (a reader never sees half of it).
    public func save(directory: String = "deployments") throws(DeploymentError) {
        let file = Self.path(network: network, directory: directory)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let data = try encoder.encode(Document(network: network, chainId: chainID, contracts: contracts))
            try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .malformed(file: file, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// The address of `contract`, or an error naming the file to create.
    public func address(of contract: String) throws(DeploymentError) -> Address {
        guard let record = contracts[contract] else { throw .contractMissing(contract: contract, network: network) }
        return record.address
    }

    private struct Document: Codable {
        let network: String
        let chainId: UInt64
        let contracts: [String: Record]
    }
}

/// Why our contracts' addresses are not available.
public enum DeploymentError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing(file: String, network: String)
    case malformed(file: String, reason: String)
    case contractMissing(contract: String, network: String)

    public var description: String {
        switch self {
        case .missing(let file, let network):
            "no deployment for \(network): \(file) does not exist (run `sonic deploy --network \(network)`)"
        case .malformed(let file, let reason): "\(file): \(reason)"
        case .contractMissing(let contract, let network):
            "\(contract) is not deployed on \(network) (run `sonic deploy --network \(network)`)"
        }
    }
}
