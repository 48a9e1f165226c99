import Foundation
import Synchronization

/// Keeps garbage tokens cheap. Per source address and per window, the first few rejections are audited one by
/// one, so a failed login is visible at once; the rest are only counted and go into one summary event per source
/// when the window ends; and a source past its allowance is refused before its token is even verified, until its
/// window ends. An agent looping on a bad token therefore costs a few audit events a minute, not one per request,
/// and cannot flood the log or the verifier. The broker keeps one for every rejected credential — API tokens and
/// direct-mode PostgreSQL logins alike — so a source cannot double its allowance by switching ports.
final class TokenRejectionLimiter: Sendable {
    struct Policy: Sendable {
        /// Rejections per source and window that are audited one by one.
        var auditedPerWindow = 5
        /// Rejections per source and window after which the source is refused without verification.
        var allowedPerWindow = 20
        var window: TimeInterval = 60
        /// Sources tracked at once; past this, the oldest windows are summarized early.
        var maxSources = 10_000
    }

    /// What the authenticator does with a request before verifying its token.
    enum Admission: Equatable {
        case verify
        case throttle(retryAfter: TimeInterval)
    }

    /// Whether a rejection is audited on its own now, or only counted for the window's summary.
    enum Accounting: Equatable {
        case auditNow
        case summarize
    }

    /// One source's window, as its summary event reports it.
    struct Summary: Sendable, Equatable {
        var source: String
        var windowStart: Date
        /// Rejections by reason code, including the ones audited one by one.
        var rejections: [String: Int]
        var audited: Int
        var throttled: Int
    }

    private struct Window {
        var start: Date
        var rejections: [String: Int] = [:]
        var total = 0
        var throttled = 0
    }

    /// Counts not yet added to the deployment's (by window number), and the deployment's totals last learned.
    private struct Shared {
        var unsynced: [Int64: [String: Int]] = [:]
        var totals: [String: (window: Int64, total: Int)] = [:]
    }

    private let policy: Policy
    private let windows = Mutex<[String: Window]>([:])
    private let shared = Mutex(Shared())

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    func admit(_ source: String, now: Date = Date()) -> Admission {
        let local = windows.withLock { windows -> Admission in
            guard var window = windows[source], now.timeIntervalSince(window.start) < policy.window,
                window.total >= policy.allowedPerWindow
            else { return .verify }
            window.throttled += 1
            windows[source] = window
            return .throttle(retryAfter: window.start.addingTimeInterval(policy.window).timeIntervalSince(now))
        }
        guard local == .verify else { return local }
        // Across the deployment: the source's rejections at every broker in this window, as last learned.
        let number = windowNumber(now)
        let total = shared.withLock { $0.totals[source] }
        guard let total, total.window == number, total.total >= policy.allowedPerWindow else { return .verify }
        windows.withLock { windows in windows[source]?.throttled += 1 }
        return .throttle(retryAfter: Double(number + 1) * policy.window - now.timeIntervalSince1970)
    }

    func rejected(_ source: String, reason: String, now: Date = Date()) -> Accounting {
        windows.withLock { windows in
            var window = windows[source] ?? Window(start: now)
            window.rejections[reason, default: 0] += 1
            window.total += 1
            windows[source] = window
            shared.withLock { $0.unsynced[windowNumber(now), default: [:]][source, default: 0] += 1 }
            return window.total <= policy.auditedPerWindow ? .auditNow : .summarize
        }
    }

    /// The deployment-wide window `now` falls in: whole windows since 1970, the same on every broker.
    func windowNumber(_ now: Date) -> Int64 {
        Int64((now.timeIntervalSince1970 / policy.window).rounded(.down))
    }

    /// Hands over the rejections counted since the last call, by window number, for the deployment's totals — and,
    /// with nothing to add, the sources already seen in `now`'s window, so their totals keep following what the
    /// other brokers count.
    func takeUnsynced(now: Date = Date()) -> [Int64: [String: Int]] {
        let current = windowNumber(now)
        return shared.withLock { shared in
            var taken = shared.unsynced
            shared.unsynced = [:]
            for (source, known) in shared.totals where known.window == current {
                taken[current, default: [:]][source, default: 0] += 0
            }
            return taken
        }
    }

    /// Puts back counts the store did not take, for the next sync.
    func giveBack(_ counts: [String: Int], window: Int64) {
        shared.withLock { shared in
            for (source, count) in counts { shared.unsynced[window, default: [:]][source, default: 0] += count }
        }
    }

    /// Takes the deployment's totals for `window`, which `admit` then throttles by.
    func learn(_ totals: [String: Int], window: Int64) {
        shared.withLock { shared in
            shared.totals = shared.totals.filter { $0.value.window >= window }
            for (source, total) in totals { shared.totals[source] = (window, total) }
        }
    }

    /// Ends every window that is over (all of them with `everything`, at shutdown) and returns the summaries of
    /// those that had more to say than their audited rejections.
    func closeWindows(now: Date = Date(), everything: Bool = false) -> [Summary] {
        windows.withLock { windows in
            var ended: [String] = windows.filter {
                everything || now.timeIntervalSince($0.value.start) >= policy.window
            }
            .map(\.key)
            if windows.count - ended.count > policy.maxSources {
                let open = windows.filter { !ended.contains($0.key) }.sorted { $0.value.start < $1.value.start }
                ended += open.prefix(windows.count - ended.count - policy.maxSources).map(\.key)
            }
            var summaries: [Summary] = []
            for source in ended {
                guard let window = windows.removeValue(forKey: source) else { continue }
                let audited = min(window.total, policy.auditedPerWindow)
                guard window.total > audited || window.throttled > 0 else { continue }
                summaries.append(
                    Summary(
                        source: source, windowStart: window.start, rejections: window.rejections, audited: audited,
                        throttled: window.throttled))
            }
            return summaries.sorted { ($0.windowStart, $0.source) < ($1.windowStart, $1.source) }
        }
    }
}
