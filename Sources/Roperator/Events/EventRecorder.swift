import Foundation
public import Logging
public import RoperatorClient

/// Records core/v1 Events about objects, the way `kubectl describe` shows them.
///
/// Repeats of the same (object, type, reason, message) bump `count` and `lastTimestamp` of the
/// Event already written instead of creating a new one, so a parent failing in a backoff loop
/// leaves one Event, not hundreds. Recording never throws: an Event that cannot be written is
/// logged and dropped, because it must not fail the reconcile it describes.
///
/// ```swift
/// let recorder = EventRecorder(client: client, component: "echo-operator")
/// await recorder.record(on: parent, type: .warning, reason: "SyncFailed", message: "\(error)")
/// ```
public final class EventRecorder: Sendable {
    private struct DedupKey: Hashable {
        var uid: String
        var type: EventType
        var reason: String
        var message: String
    }

    private struct Written {
        var name: String
        var namespace: String
        var count: Int64
        /// When it was last recorded, for forgetting the oldest first.
        var lastUse: UInt64
    }

    /// The remembered Events and a use counter (a logical clock for least-recently-used order).
    private struct Memory {
        var entries: [DedupKey: Written] = [:]
        var uses: UInt64 = 0
    }

    private let client: KubeClient
    private let component: String
    private let logger: Logger
    private let written = Lock(Memory())
    /// How many distinct Events are remembered for de-duplication; the least recently used are
    /// forgotten first.
    private let memory: Int

    /// Creates a recorder.
    ///
    /// - Parameters:
    ///   - client: Where Events are written.
    ///   - component: `source.component` and `reportingComponent` of the Events, usually the operator name.
    ///   - logger: Receives write failures.
    public convenience init(client: KubeClient, component: String, logger: Logger = Logger(label: "roperator.events")) {
        self.init(client: client, component: component, logger: logger, memory: 4096)
    }

    init(client: KubeClient, component: String, logger: Logger, memory: Int) {
        self.memory = max(memory, 1)
        self.client = client
        self.component = component
        self.logger = logger
    }

    /// Records an Event on `object`.
    ///
    /// - Parameters:
    ///   - object: The involved object; its namespace (or `default` for cluster-scoped objects) holds the Event.
    ///   - type: Normal or Warning.
    ///   - reason: A short UpperCamelCase machine-readable reason, e.g. `SyncFailed`.
    ///   - message: A human-readable description.
    public func record(on object: KubeObject, type: EventType, reason: String, message: String) async {
        guard !Task.isCancelled else { return }
        let namespace = object.namespace ?? "default"
        let key = DedupKey(uid: object.uid ?? "\(namespace)/\(object.name ?? "")", type: type, reason: reason, message: message)
        let now = Date.now.formatted(.iso8601)
        let previous = written.withLock { memory -> Written? in
            memory.uses += 1
            memory.entries[key]?.lastUse = memory.uses
            return memory.entries[key]
        }
        do {
            if let previous {
                let count = previous.count + 1
                _ = try await client.patch(
                    .event, namespace: previous.namespace, name: previous.name,
                    patch: ["count": .int(count), "lastTimestamp": .string(now)], as: .merge)
                written.withLock { $0.entries[key]?.count = count }
                return
            }
        } catch let error as KubeAPIError where error.isNotFound {
            // Someone deleted the Event (or it expired); write a new one below.
        } catch {
            logger.warning("cannot update event", metadata: ["reason": "\(reason)", "error": "\(error)"])
            return
        }
        let name = "\(object.name ?? "object").\(Self.suffix())"
        let event: JSONValue = [
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": Self.reference(to: object),
            "reason": .string(reason),
            "message": .string(message),
            "type": .string(type.rawValue),
            "count": 1,
            "firstTimestamp": .string(now),
            "lastTimestamp": .string(now),
            "source": ["component": .string(component)],
            "reportingComponent": .string(component),
            "reportingInstance": .string(component),
        ]
        do {
            _ = try await client.create(.event, KubeObject(event))
            written.withLock { written in
                written.uses += 1
                written.entries[key] = Written(name: name, namespace: namespace, count: 1, lastUse: written.uses)
                Self.forgetOldest(in: &written, keeping: memory)
            }
        } catch {
            logger.warning("cannot record event", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }

    /// Past `limit` entries, forgets the least recently used eighth at once (so the sort is paid
    /// once per `limit / 8` new Events, not on every one).
    private static func forgetOldest(in memory: inout Memory, keeping limit: Int) {
        guard memory.entries.count > limit else { return }
        let excess = memory.entries.count - limit + limit / 8
        let oldest = memory.entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(excess)
        for (key, _) in oldest { memory.entries[key] = nil }
    }

    /// How many Events are remembered for de-duplication now (tests).
    var rememberedCount: Int { written.withLock { $0.entries.count } }

    /// Whether an Event with these fields on `object` is remembered (tests).
    func remembers(on object: KubeObject, type: EventType, reason: String, message: String) -> Bool {
        let namespace = object.namespace ?? "default"
        let key = DedupKey(uid: object.uid ?? "\(namespace)/\(object.name ?? "")", type: type, reason: reason, message: message)
        return written.withLock { $0.entries[key] != nil }
    }

    private static func reference(to object: KubeObject) -> JSONValue {
        var reference: JSONValue = [
            "apiVersion": .string(object.apiVersion ?? ""),
            "kind": .string(object.kind ?? ""),
            "name": .string(object.name ?? ""),
        ]
        if let namespace = object.namespace { reference["namespace"] = .string(namespace) }
        if let uid = object.uid { reference["uid"] = .string(uid) }
        if let version = object.resourceVersion { reference["resourceVersion"] = .string(version) }
        return reference
    }

    private static func suffix() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }
}
