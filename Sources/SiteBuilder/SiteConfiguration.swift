/// What a build reads, where it writes, and the facts it prints into the pages.
public struct SiteConfiguration: Sendable {
    public var templatesDirectory: String
    public var publicDirectory: String
    public var outputDirectory: String
    public var networkName: String
    public var networkDisplayName: String
    public var chainID: UInt64
    public var apiBase: String
    public var version: String
    /// For the wallet's add-network request (EIP-3085).
    public var rpcURL: String = ""
    public var explorerURL: String = ""
    /// Token symbols the balance card asks for.
    public var tokenSymbols: [String] = []

    public init(templatesDirectory: String = "Templates", publicDirectory: String = "Public", outputDirectory: String = "dist",
                networkName: String, networkDisplayName: String, chainID: UInt64, apiBase: String = "/api", version: String) {
        self.templatesDirectory = templatesDirectory
        self.publicDirectory = publicDirectory
        self.outputDirectory = outputDirectory
        self.networkName = networkName
        self.networkDisplayName = networkDisplayName
        self.chainID = chainID
        self.apiBase = apiBase
        self.version = version
    }

    /// The values a page template sees.
    func pageContext(page: String) -> [String: Any] {
        [
            "page": page,
            "pageIs" + page.prefix(1).uppercased() + page.dropFirst(): true,
            "network": ["name": networkName, "displayName": networkDisplayName, "chainId": String(chainID), "rpcUrl": rpcURL, "explorer": explorerURL, "tokens": tokenSymbols.joined(separator: ",")],
            "apiBase": apiBase,
            "version": version,
        ]
    }
}

/// The files a build wrote, for the summary it prints.
public struct BuildReport: Sendable {
    public struct File: Sendable, Equatable {
        public let path: String
        public let bytes: Int
        public var gzipBytes: Int = 0
    }

    /// A page and what its first load transfers: HTML, styles and scripts, gzipped.
    public struct Page: Sendable, Equatable {
        public let name: String
        public let firstLoadGzipBytes: Int
        public let assets: [String]
    }

    public var files: [File] = []
    public var pages: [Page] = []
}

/// Why a build failed, naming the file (and line, where the template parser knows it).
public enum SiteError: Error, Sendable, CustomStringConvertible {
    case badTemplate(file: String, line: Int?, reason: String)
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case overBudget(page: String, bytes: Int, budget: Int)

    public var description: String {
        switch self {
        case .badTemplate(let file, let line, let reason):
            "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .overBudget(let page, let bytes, let budget):
            "the page \(page) loads \(bytes) bytes gzipped (HTML, CSS and JS); the budget is \(budget)"
        }
    }
}
