// swift-tools-version:6.1
// Smart Sonic: an AI agent and dashboard for the Sonic network.
// Layers, lowest first, are described in docs/architecture.md; arrows point down only.

import PackageDescription

let package = Package(
    name: "SmartSonic",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Ethereum", targets: ["Ethereum"]),
        .executable(name: "sonic-fcgi", targets: ["sonic-fcgi"]),
        .executable(name: "sonic-sync", targets: ["sonic-sync"]),
        .executable(name: "sonic-site", targets: ["sonic-site"]),
        .executable(name: "sonic", targets: ["sonic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // System libraries (Debian's -dev packages); shim.h wraps what Swift cannot call.
        .systemLibrary(name: "CFastCGI", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSecp256k1", pkgConfig: "libsecp256k1", providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Libraries.
        .target(name: "Ethereum", dependencies: [
            "CSecp256k1", .product(name: "BigInt", package: "BigInt"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto"),
        ]),
        .target(name: "SonicHTTP", dependencies: [.product(name: "HTTPTypes", package: "swift-http-types")]),
        .target(name: "SonicConfig", dependencies: ["Ethereum", .product(name: "Logging", package: "swift-log")]),
        .target(name: "IPFS", dependencies: ["Ethereum", "CCurl", .product(name: "Crypto", package: "swift-crypto")]),
        // The time by which a request's work must be done; every client that waits honours it.
        .target(name: "RequestDeadline"),
        .target(name: "SonicChain", dependencies: ["Ethereum", "CCurl", "SonicConfig", "RequestDeadline"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "RequestDeadline"]),
        .target(name: "SonicStore", dependencies: ["Ethereum", "IPFS", "Postgres", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "SonicAgent", dependencies: ["Ethereum"]),
        .target(name: "SonicApp", dependencies: [
            "Ethereum", "IPFS", "SonicConfig", "SonicChain", "SonicStore", "SonicAgent", "SonicAlerts", .product(name: "BigInt", package: "BigInt"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SonicAPI", dependencies: [
            "Ethereum", "SonicConfig", "SonicHTTP", "SonicChain", "SonicStore", "SonicApp", .product(name: "BigInt", package: "BigInt"),
            .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .target(name: "FastCGI", dependencies: ["CFastCGI", "SonicHTTP"]),
        .target(name: "SonicSync", dependencies: ["SonicChain", "Postgres", "SonicStore", "SonicConfig", .product(name: "Logging", package: "swift-log")]),
        .target(name: "SonicAlerts", dependencies: [
            "Ethereum", "SonicChain", "SonicStore", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SiteBuilder", dependencies: [
            "CZlib", .product(name: "Mustache", package: "swift-mustache"), .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Executables: thin main.swift files over the libraries.
        .executableTarget(name: "sonic-fcgi", dependencies: [
            "FastCGI", "SonicAPI", "SonicApp", "SonicConfig", .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "sonic-sync", dependencies: [
            "Ethereum", "IPFS", "Postgres", "SonicConfig", "SonicChain", "SonicStore", "SonicSync", "SonicAlerts", .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "sonic-site", dependencies: [
            "SiteBuilder", "SonicConfig", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "sonic", dependencies: [
            "Ethereum", "SonicConfig", "SonicChain", "SonicAgent", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "sonic-bench", dependencies: [
            "Ethereum", "CSecp256k1", "FastCGI", "Postgres", "SonicAgent", "SonicAPI", "SonicApp", "SonicConfig", "SonicHTTP", "SonicStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: one target per library target, and what several of them share.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .target(name: "AppTestSupport", dependencies: ["SonicApp", "SonicChain", "SonicConfig", "SonicStore", "Ethereum"], path: "Tests/AppTestSupport"),
        // Vectors/: upstream test vectors, read from the source tree (Support/Vectors.swift).
        .testTarget(name: "EthereumTests", dependencies: ["Ethereum", .product(name: "BigInt", package: "BigInt")], exclude: ["Vectors"]),
        .testTarget(name: "IPFSTests", dependencies: ["IPFS", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "SonicChainTests", dependencies: ["SonicChain", "SonicConfig", "TestSupport"]),
        .testTarget(name: "SonicStoreTests", dependencies: ["SonicStore"]),
        .testTarget(name: "PostgresTests", dependencies: [
            "Postgres", "RequestDeadline", "SonicStore", "SonicApp", "SonicAPI", "SonicConfig", "SonicHTTP", "SonicSync", "TestSupport", "IPFS",
            "SonicAlerts", "SonicChain", "AppTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SonicAgentTests", dependencies: ["SonicAgent"]),
        .testTarget(name: "SonicAppTests", dependencies: ["SonicApp", "SonicChain", "SonicConfig", "SonicStore", "TestSupport", "AppTestSupport", "Ethereum", "SonicAgent"]),
        .testTarget(name: "SonicAPITests", dependencies: ["SonicAPI", "SonicApp", "SonicHTTP", "SonicConfig", "SonicStore", "TestSupport", "AppTestSupport", "Ethereum"]),
        .testTarget(name: "SonicConfigTests", dependencies: ["SonicConfig", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "FastCGITests", dependencies: ["FastCGI", "SonicHTTP", "TestSupport"]),
        .testTarget(name: "SonicAlertsTests", dependencies: [
            "SonicAlerts", "SonicStore", "SonicChain", "Ethereum", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "SonicSyncTests", dependencies: ["SonicSync", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SiteBuilderTests", dependencies: ["SiteBuilder", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
