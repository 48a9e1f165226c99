import Foundation
package import HoopCore

/// The events of a bundle that match `filter`, as a flat table for SIEM import: JSON lines (one audit event per
/// line, exactly as logged) or CSV with the details as a JSON column. Hash-only stubs are left out, and so are the
/// events a bundle always shows for its verifier (broker starts, key rotations, the approvals behind a use) when
/// the filter did not ask for them.
package struct EventTable: Sendable {
    package var events: [AuditEvent]

    package init(bundle: EvidenceBundle, filter: EvidenceFilter) throws(LocalError) {
        guard let bytes = bundle.files[BundleLayout.events] else {
            throw LocalError(.brokerError, "the bundle has no \(BundleLayout.events)")
        }
        var events: [AuditEvent] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            // Stubs carry only seq and leaf hash; they stand for events outside the filters.
            if line.starts(with: Array(#"{"hash""#.utf8)) { continue }
            do {
                events.append(try AuditEvent(jsonLine: line))
            } catch {
                throw LocalError(.brokerError, "the bundle holds an unreadable event: \(ErrorDescription.of(error))")
            }
        }
        self.events = events.filter(filter.matches)
    }

    package var jsonLines: String {
        events.map { $0.jsonLine + "\n" }.joined()
    }

    package var csv: String {
        var text = "seq,time,actor,action,resource,session,decision,details,hash\n"
        for event in events {
            let fields = [
                String(event.seq), event.time, event.actor, event.action, event.resource ?? "", event.session ?? "",
                event.decision.rawValue, CanonicalJSON.string(event.details), event.hash,
            ]
            text += fields.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return text
    }

    /// RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled.
    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
