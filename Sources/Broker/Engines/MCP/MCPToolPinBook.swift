import Foundation

/// Where pinned tool definitions live: the broker's store, so pins outlive connections and restarts; in memory
/// only for engines built without one (unit tests).
actor MCPToolPinBook {
    private let store: (any Store)?
    private var memory: [String: [String: ToolPin]] = [:]

    init(store: (any Store)? = nil) {
        self.store = store
    }

    func pins(resource: String) async throws -> [String: ToolPin] {
        guard let store else { return memory[resource] ?? [:] }
        return try await store.toolPins(resource: resource)
    }

    func pin(_ pin: ToolPin) async throws {
        guard let store else {
            memory[pin.resource, default: [:]][pin.tool] = pin
            return
        }
        try await store.pinTool(pin)
    }
}
