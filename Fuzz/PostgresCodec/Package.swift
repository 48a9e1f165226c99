// swift-tools-version:6.2
import PackageDescription

/// The PostgreSQL wire codec as a libFuzzer target, built only by `scripts/fuzz-postgres-codec` (with
/// `--sanitize=fuzzer`), never by the main package. `Sources/PostgresCodecFuzzer/Codec` is a symlink to the codec's
/// sources in the PostgresWire module, so the fuzzer always runs the code that ships.
let package = Package(
    name: "PostgresCodecFuzz",
    dependencies: [
        // The version the main package resolves, so the codec is fuzzed against the NIO it ships with.
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3")
    ],
    targets: [
        .executableTarget(
            name: "PostgresCodecFuzzer",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
                // libFuzzer supplies `main`.
                .unsafeFlags(["-parse-as-library"]),
            ]
        )
    ]
)
