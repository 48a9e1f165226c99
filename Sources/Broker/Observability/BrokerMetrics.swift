import Metrics
import Prometheus
import Synchronization

/// The process-wide Prometheus registry behind `/metrics`. swift-metrics allows one bootstrap per process, so the
/// first broker started installs it and later ones (in tests) share it.
enum BrokerMetrics {
    private static let installed = Mutex<PrometheusCollectorRegistry?>(nil)

    static func registry() -> PrometheusCollectorRegistry {
        installed.withLock { current in
            if let current { return current }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            current = registry
            return registry
        }
    }
}
