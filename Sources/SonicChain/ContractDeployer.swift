import Ethereum
import Foundation

/// A compiled contract: `contracts/build/<Name>.json` as contracts/compile.py writes it.
public struct ContractArtifact: Sendable {
    public let name: String
    public let bytecode: [UInt8]
    public let constructorInputs: [ABIType]
    public let compiler: String

    /// Reads `<directory>/<name>.json`.
    /// - Throws: `DeploymentError.malformed` naming the file.
    public init(name: String, directory: String) throws(DeploymentError) {
        let file = "\(directory)/\(name).json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .malformed(file: file, reason: "not found (run `make contracts`)")
        }
        struct Entry: Decodable { let type: String; let inputs: [Parameter]? }
        struct Parameter: Decodable { let type: String; let components: [Parameter]? }
        struct Document: Decodable { let abi: [Entry]; let bytecode: String; let compiler: String }
        func abiType(_ parameter: Parameter) throws -> ABIType {
            guard parameter.type.hasPrefix("tuple") else { return try ABIType(parsing: parameter.type) }
            let members = "(" + (try (parameter.components ?? []).map { try abiType($0).description }).joined(separator: ",") + ")"
            return try ABIType(parsing: members + parameter.type.dropFirst("tuple".count))
        }
        do {
            let document = try JSONDecoder().decode(Document.self, from: data)
            self.name = name
            bytecode = try Hex.decode(document.bytecode)
            constructorInputs = try (document.abi.first { $0.type == "constructor" }?.inputs ?? []).map(abiType)
            compiler = document.compiler
        } catch {
            throw .malformed(file: file, reason: "\(error)")
        }
    }
}

/// Deploys artifacts with our signer, waits for each receipt and checks that code is there.
public struct ContractDeployer: Sendable {
    public let sender: TransactionSender

    public init(sender: TransactionSender) { self.sender = sender }

    /// Deploys `artifact` with `arguments` and returns its deployment record.
    /// - Throws: `DeploymentError.malformed` when the arguments do not fit the constructor,
    ///   `ChainError` when the chain refuses or the deployment leaves no code.
    public func deploy(_ artifact: ContractArtifact, arguments: [ABIValue]) async throws -> Deployments.Record {
        let encoded: [UInt8]
        do { encoded = try ABI.encode(arguments, as: artifact.constructorInputs) } catch {
            throw DeploymentError.malformed(file: artifact.name, reason: "constructor arguments: \(error)")
        }
        let receipt = try await sender.sendAndWait(CallRequest(to: nil, data: artifact.bytecode + encoded), timeout: 120)
        let hash = receipt.transactionHash.description
        guard receipt.succeeded, let address = receipt.contractAddress else {
            throw ChainError.invalidResponse(endpoint: sender.client.endpoints[0], method: "deploy \(artifact.name)",
                                             reason: "transaction \(hash) failed or created no contract")
        }
        guard !(try await sender.client.code(at: address)).isEmpty else {
            throw ChainError.invalidResponse(endpoint: sender.client.endpoints[0], method: "deploy \(artifact.name)",
                                             reason: "no code at \(address) after \(hash)")
        }
        return Deployments.Record(address: address, transactionHash: hash, block: receipt.blockNumber.value,
                                  compiler: artifact.compiler, constructorArguments: arguments.map(\.text))
    }
}
