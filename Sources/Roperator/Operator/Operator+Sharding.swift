import Logging
import RoperatorClient

extension Operator {
    /// This replica's view of the ring and its cache while running sharded; `nil` otherwise.
    public var shardStatus: ShardStatus? {
        guard let shard else { return nil }
        var status = shard.status
        if let parents = reconciler?.parents.store {
            let cached = parents.all
            status.cachedParents = cached.count
            status.ownedParents = cached.count(where: { object in object.uid.map(shard.owns(uid:)) ?? false })
        }
        return status
    }

    /// Syncs `key` when the shard gate lets it: the parent's sync runs only on its owner, and only
    /// once every live member follows the same ring. A parent owned elsewhere is dropped (its
    /// owner syncs it); one that is ours but not yet is tried again shortly.
    func reconcile(_ key: ParentKey, with reconciler: Reconciler, gatedBy shard: ShardCoordinator) async throws
        -> ReconcileOutcome
    {
        // Not cached: the reconciler finds it absent and writes nothing.
        guard let uid = reconciler.parents.store.cached(namespace: key.namespace, name: key.name)?.uid else {
            return try await reconciler.reconcile(key)
        }
        switch shard.begin(uid: uid) {
        case .notMine:
            shard.turnedAway(key)
            return .done
        case .wait: return .requeue(after: shard.retryDelay)
        case .start:
            defer { shard.end(uid: uid) }
            return try await reconciler.reconcile(key)
        }
    }

    /// Whenever the gate opens again, queues the cached parents this replica gained since it was
    /// last open (with client-side selection they are cached already and have no event of their
    /// own; with server-side selection the relist brings them too) and those it turned away
    /// meanwhile that are its own again. Parents it kept are not synced again.
    func queueShare(of shard: ShardCoordinator, from parents: ObjectStore) {
        let queue = self.queue
        let identity = shard.identity
        shard.onSettled { previous, current in
            let turnedAway = shard.takeTurnedAway()
            for object in parents.all {
                guard let uid = object.uid, current.owner(ofUID: uid) == identity else { continue }
                let key = object.key
                if previous?.owner(ofUID: uid) != identity || turnedAway.contains(key) { queue.add(key) }
            }
        }
    }
}

extension OperatorGroup {
    /// One shard coordinator per sharded operator, by operator.
    static func makeShardCoordinators(
        _ operators: [Operator], configuration: Configuration, client: KubeClient, logger: Logger
    ) -> [ObjectIdentifier: ShardCoordinator] {
        var shards: [ObjectIdentifier: ShardCoordinator] = [:]
        for member in operators {
            guard let sharding = member.config.sharding else { continue }
            shards[ObjectIdentifier(member)] = ShardCoordinator(
                config: sharding, operatorName: member.config.name, client: client, logger: member.logger,
                clock: configuration.clock, metrics: member.metrics)
        }
        return shards
    }

    /// Releases the member Leases after a stop, each bounded by its `renewDeadline`, in a task of
    /// its own so that it also happens after this task was cancelled.
    static func release(_ shards: [ShardCoordinator]) async {
        guard !shards.isEmpty else { return }
        await Task {
            await withDiscardingTaskGroup { group in
                for shard in shards {
                    group.addTask {
                        await withTaskGroup(of: Void.self) { race in
                            race.addTask { await shard.release() }
                            race.addTask { try? await Task.sleep(for: shard.config.renewDeadline) }
                            await race.next()
                            race.cancelAll()
                        }
                    }
                }
            }
        }.value
    }
}
