// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for every parser of outside bytes, built only by `scripts/fuzz` (with `--sanitize=fuzzer` and
/// AddressSanitizer), never by the main package: `swift build` and `swift test` at the top level never see them.
///
/// The targets depend on the main package by path, through the library products it declares for this purpose, and
/// read the modules with `@testable import` (their API is `package`, which another package cannot see otherwise);
/// `scripts/fuzz` builds with `-enable-testing` for that. So the fuzzers run the modules that ship, built from the
/// same sources with the same dependencies, rather than copies of some of their files: the Broker's parsers (the
/// shell judge, the config loader, tokens, WebSocket relay) could not be compiled apart from the rest of Broker.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "HoopFuzz",
    dependencies: [
        // `name:` so the products resolve whatever the clone's directory is called.
        .package(name: "hoopctl", path: ".."),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SQLAnalysis", package: "hoopctl"),
            ],
            swiftSettings: settings
        ),
        fuzzer("PostgresCodecFuzzer", [.product(name: "PostgresWire", package: "hoopctl")]),
        fuzzer("MySQLCodecFuzzer", [.product(name: "MySQLWire", package: "hoopctl")]),
        fuzzer("SQLPostgresFuzzer", []),
        fuzzer("SQLMySQLFuzzer", []),
        fuzzer("ShellJudgeFuzzer", [.product(name: "Broker", package: "hoopctl")]),
        fuzzer(
            "TunnelPreambleFuzzer",
            [
                .product(name: "Broker", package: "hoopctl"),
                .product(name: "HoopCore", package: "hoopctl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        fuzzer(
            "TokenFuzzer",
            [
                .product(name: "Broker", package: "hoopctl"),
                .product(name: "HoopCore", package: "hoopctl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        fuzzer("ConfigFuzzer", [.product(name: "Broker", package: "hoopctl")]),
        fuzzer("RecordingFuzzer", [.product(name: "HoopCore", package: "hoopctl")]),
        fuzzer("BundleFuzzer", [.product(name: "HoopCore", package: "hoopctl")]),
        fuzzer(
            "WebSocketFuzzer",
            [
                .product(name: "Broker", package: "hoopctl"),
                .product(name: "HoopCore", package: "hoopctl"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]),
    ]
)

/// One fuzz target: an executable whose `main` is libFuzzer's, calling the target's `LLVMFuzzerTestOneInput`.
@MainActor func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "NIOCore", package: "swift-nio")] + dependencies,
        swiftSettings: settings + [.unsafeFlags(["-parse-as-library"])]
    )
}
