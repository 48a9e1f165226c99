import HoopCore

extension EngineRegistry {
    /// The PostgreSQL engine's cancel keys, which the direct listener routes CancelRequests by.
    func postgresCancelKeys() throws(BrokerError) -> PostgresCancelKeys {
        guard let engine = try engine(for: .postgres) as? PostgresEngine else {
            throw BrokerError(
                .internalFailure, code: "engine_missing", message: "the postgres engine is not the PostgreSQL engine")
        }
        return engine.cancelKeys
    }
}
