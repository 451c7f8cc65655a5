import Foundation
import RoperatorClient

/// The leader-election fields of a `coordination.k8s.io/v1` Lease's `spec`.
///
/// A candidate compares whole records to notice that the holder renewed: any change restarts its
/// local expiry clock, so expiry never depends on the holder's clock agreeing with ours.
struct LeaseRecord: Sendable, Hashable {
    /// Who holds the lease; `nil` (or empty on the wire) when nobody does.
    var holderIdentity: String?
    var leaseDurationSeconds: Int64
    var acquireTime: Date?
    var renewTime: Date?
    var leaseTransitions: Int64

    init(
        holderIdentity: String?, leaseDurationSeconds: Int64, acquireTime: Date?, renewTime: Date?,
        leaseTransitions: Int64
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// Reads the record of `lease`.
    ///
    /// - Throws: ``LeaderElectionError/invalidLease`` when a field has the wrong type or a time is
    ///   not RFC 3339: acting on a misread lease could make two replicas lead.
    init(lease: KubeObject) throws(LeaderElectionError) {
        let spec = lease.spec ?? .object([:])
        func fail(_ field: String) -> LeaderElectionError {
            .invalidLease(lease.name ?? "", "spec.\(field) is \(spec[field].map { $0.serialized() } ?? "missing")")
        }
        func time(_ field: String) throws(LeaderElectionError) -> Date? {
            guard let value = spec[field], !value.isNull else { return nil }
            guard let text = value.stringValue, let date = RFC3339.parse(text) else { throw fail(field) }
            return date
        }
        func integer(_ field: String) throws(LeaderElectionError) -> Int64? {
            guard let value = spec[field], !value.isNull else { return nil }
            guard let number = value.intValue else { throw fail(field) }
            return number
        }
        switch spec["holderIdentity"] {
        case .none, .some(.null): holderIdentity = nil
        case .some(.string(let text)): holderIdentity = text.isEmpty ? nil : text
        case .some: throw fail("holderIdentity")
        }
        leaseDurationSeconds = try integer("leaseDurationSeconds") ?? 0
        acquireTime = try time("acquireTime")
        renewTime = try time("renewTime")
        leaseTransitions = try integer("leaseTransitions") ?? 0
    }

    /// The `spec` of a Lease carrying this record (times as MicroTime, six fractional digits).
    var spec: JSONValue {
        var spec: [String: JSONValue] = [
            "leaseDurationSeconds": .int(leaseDurationSeconds),
            "leaseTransitions": .int(leaseTransitions),
        ]
        // An empty holder is what client-go writes when it releases; readers treat it as none.
        spec["holderIdentity"] = .string(holderIdentity ?? "")
        if let acquireTime { spec["acquireTime"] = .string(RFC3339.formatMicro(acquireTime)) }
        if let renewTime { spec["renewTime"] = .string(RFC3339.formatMicro(renewTime)) }
        return .object(spec)
    }

    /// `spec` with this record's fields written over it; other fields (such as a newer server's
    /// `preferredHolder`) are kept.
    func merged(into spec: JSONValue?) -> JSONValue {
        var merged = spec?.objectValue ?? [:]
        for field in ["acquireTime", "renewTime"] { merged[field] = nil }
        for (field, value) in self.spec.objectValue ?? [:] { merged[field] = value }
        return .object(merged)
    }
}
