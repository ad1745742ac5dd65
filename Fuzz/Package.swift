// swift-tools-version:6.1
// libFuzzer targets for the Ethereum core's parsers. Kept out of the main package because a
// fuzz target has no main() and only links with -sanitize=fuzzer. See docs/fuzzing.md.

import PackageDescription

let fuzzTargets = ["FuzzRLP", "FuzzABI", "FuzzTransaction", "FuzzSIWE"]

let package = Package(
    name: "SmartSonicFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "SmartSonic", path: "..")],
    targets: fuzzTargets.map { name in
        .executableTarget(name: name, dependencies: [.product(name: "Ethereum", package: "SmartSonic")])
    },
    swiftLanguageModes: [.v6]
)
