public import Foundation

extension KubeObject {
    /// `status.conditions`. Reading skips malformed entries; setting an empty list removes the field.
    public var conditions: [StatusCondition] {
        get {
            (json[path: "status", "conditions"]?.arrayValue ?? []).compactMap { entry in
                do { return try StatusCondition(json: entry) } catch { return nil }
            }
        }
        set {
            json[path: "status", "conditions"] = newValue.isEmpty ? nil : .array(newValue.map(\.json))
        }
    }

    /// The condition of the given type, if present.
    public func condition(ofType type: String) -> StatusCondition? {
        conditions.first { $0.type == type }
    }

    /// Sets the condition of `condition.type`, replacing any with the same type.
    ///
    /// `lastTransitionTime` follows the Kubernetes convention: it keeps the existing value when the
    /// status did not change, and becomes `now` when it did or the condition is new (unless the
    /// caller set it explicitly).
    ///
    /// - Parameters:
    ///   - condition: The new condition.
    ///   - now: The transition time to record.
    /// - Returns: Whether the object changed.
    @discardableResult
    public mutating func setCondition(_ condition: StatusCondition, now: Date = Date()) -> Bool {
        var list = conditions
        var updated = condition
        let existingIndex = list.firstIndex { $0.type == condition.type }
        if updated.lastTransitionTime == nil {
            if let existingIndex, list[existingIndex].status == condition.status,
                let previous = list[existingIndex].lastTransitionTime
            {
                updated.lastTransitionTime = previous
            } else {
                updated.lastTransitionTime = Self.rfc3339(now)
            }
        }
        if let existingIndex {
            if list[existingIndex] == updated { return false }
            list[existingIndex] = updated
        } else {
            list.append(updated)
        }
        conditions = list
        return true
    }

    /// Removes the condition of the given type; returns whether there was one.
    @discardableResult
    public mutating func removeCondition(ofType type: String) -> Bool {
        let list = conditions
        let remaining = list.filter { $0.type != type }
        guard remaining.count != list.count else { return false }
        conditions = remaining
        return true
    }

    /// Formats `date` as RFC 3339 in UTC with whole seconds, as Kubernetes writes `metav1.Time`.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
