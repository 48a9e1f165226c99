// swift-tools-version:6.2
import PackageDescription

/// Throughput check for the Masking module, kept out of the main package so its release build stays optional.
/// `Sources/Masking` links to the main package's sources. Run with
/// `swift run -c release --package-path Benchmarks/masking masking-bench`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "masking-bench",
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2")
    ],
    targets: [
        .target(
            name: "Masking",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "masking-bench",
            dependencies: ["Masking"],
            swiftSettings: swiftSettings
        ),
    ]
)
