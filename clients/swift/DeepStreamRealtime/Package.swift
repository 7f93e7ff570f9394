// swift-tools-version: 6.0
// DeepStream Realtime for iOS: the generated state classes and message types (npm run codegen in the
// server repository), a typed bridge between them and the Colyseus Swift SDK, and the docs' examples.
import PackageDescription

let package = Package(
    name: "DeepStreamRealtime",
    // colyseus-swift 0.18.6 supports iOS 15, macOS 13 and tvOS 15; a dependant cannot go lower.
    platforms: [.iOS(.v15), .macOS(.v13), .tvOS(.v15)],
    products: [
        .library(name: "DeepStreamRealtime", targets: ["DeepStreamRealtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/colyseus/colyseus-swift", from: "0.18.6"),
    ],
    targets: [
        .target(
            name: "DeepStreamRealtime",
            dependencies: [.product(name: "Colyseus", package: "colyseus-swift")],
            path: "Sources/DeepStreamRealtime"
        ),
        // docs/PROTOCOL.md links these files; `swift build` compiles them against the API above.
        .target(
            name: "DeepStreamRealtimeExamples",
            dependencies: ["DeepStreamRealtime", .product(name: "Colyseus", package: "colyseus-swift")],
            path: "Sources/DeepStreamRealtimeExamples"
        ),
    ]
)
