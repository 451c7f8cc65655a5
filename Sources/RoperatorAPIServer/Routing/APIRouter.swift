import NIOCore
import NIOHTTP1
import RoperatorClient

/// Turns HTTP requests into store operations and documents: resource verbs, discovery, OpenAPI,
/// `/version` and health, with fault injection in front of the resource verbs.
struct APIRouter: APIRequestHandler {
    let store: ObjectStore
    let faults: FaultInjector
    let requests: RequestCounter
    let discovery: DiscoveryDocuments
    let openAPI: OpenAPIDocuments
    let version: VersionInfo
    let bookmarkInterval: Duration
    /// Watches without `timeoutSeconds` end after this long, as the real server ends them after 30–60 minutes.
    let defaultWatchTimeout: Duration
    /// RBAC, when the server enforces it; `nil`: every authenticated request is allowed.
    var authorizer: Authorizer? = nil

    func respond(_ request: APIRequest) -> APIReply {
        let route = APIRoute(path: request.path)
        if let authorizer {
            // As in kube-apiserver, authorization comes before the resource is looked up: a user
            // who may not list `foos` gets 403 whether or not `foos` exist.
            let attributes = RequestAttributes(request, route: route)
            if let denied = authorizer.check(request.user, attributes) { return .now(APIResponse(error: denied)) }
            if let denied = checkCreateOnWrite(authorizer, attributes, request) { return .now(APIResponse(error: denied)) }
        }
        if case .resource(let path) = route {
            do {
                return try respondToResource(path, request)
            } catch {
                return .now(APIResponse(error: error))
            }
        }
        return .now(respond(to: route, request))
    }

    /// Everything that is not a resource: discovery, OpenAPI, version, health and metrics.
    private func respond(to route: APIRoute, _ request: APIRequest) -> APIResponse {
        guard request.method == .GET || request.method == .HEAD else {
            if case .notFound = route { return APIResponse(error: .notFound()) }
            return APIResponse(error: .methodNotAllowed())
        }
        switch route {
        case .version:
            return .json(version.json)
        case .health:
            return .text("ok")
        case .metrics:
            return .text(requests.prometheusText)
        case .coreVersions:
            if let aggregated = AggregatedDiscoveryVersion(accept: request.headers.first(name: "accept")) {
                return discoveryResponse(discovery.aggregated(core: true, version: aggregated), contentType: aggregated.contentType)
            }
            return discoveryResponse(discovery.apiVersions(serverAddress: request.headers.first(name: "host") ?? "127.0.0.1"))
        case .groupList:
            if let aggregated = AggregatedDiscoveryVersion(accept: request.headers.first(name: "accept")) {
                return discoveryResponse(discovery.aggregated(core: false, version: aggregated), contentType: aggregated.contentType)
            }
            return discoveryResponse(discovery.apiGroupList())
        case .group(let name):
            guard let document = discovery.apiGroup(named: name) else { return APIResponse(error: .notFound()) }
            return discoveryResponse(document)
        case .resourceList(let group, let version):
            guard let document = discovery.apiResourceList(group: group, version: version) else {
                return APIResponse(error: .notFound())
            }
            return discoveryResponse(document)
        case .openAPIRoot:
            return .json(openAPI.root(), sortedKeys: true)
        case .openAPIDocument(let group, let version):
            guard let document = openAPI.document(group: group, version: version) else {
                return APIResponse(error: .notFound())
            }
            var response = APIResponse.json(document, sortedKeys: true) // the ETag hashes the sorted form
            response.headers.add(name: "Etag", value: "\"\(openAPI.documentHash(group: group, version: version))\"")
            return response
        case .openAPIV2:
            requests.recordOpenAPIV2()
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: OpenAPIV2Document.contentType)
            return APIResponse(status: .ok, headers: headers, body: .buffer(ByteBuffer(bytes: openAPI.v2Protobuf())))
        case .notFound, .resource:
            return APIResponse(error: .notFound())
        }
    }

    private func discoveryResponse(_ document: JSONValue, contentType: String = "application/json") -> APIResponse {
        var response = APIResponse.json(document, contentType: contentType, sortedKeys: true)
        response.headers.add(name: "Vary", value: "Accept")
        return response
    }

    // MARK: Resources

    private func respondToResource(_ path: ResourcePath, _ request: APIRequest) throws(APIError) -> APIReply {
        guard let info = store.registry.lookup(group: path.group, version: path.version, plural: path.plural) else {
            throw .notFound()
        }
        let subresource: Subresource
        switch path.subresource {
        case nil:
            subresource = .main
        case "status" where info.hasStatus:
            subresource = .status
        case "scale" where info.scale != nil:
            subresource = .scale
        default:
            throw .notFound()
        }
        // Cluster-scoped resources never sit under `namespaces/<ns>`; namespaced ones are addressed
        // without a namespace only as a collection (cross-namespace list and watch).
        if path.namespace != nil && !info.namespaced { throw .notFound() }
        if info.namespaced && path.namespace == nil && path.name != nil { throw .notFound() }

        let verb = try Self.verb(for: request, path: path, info: info)
        let (latency, failure) = faults.evaluate(verb: verb, resource: info.plural, name: path.name)
        guard latency > .zero else {
            if let failure { throw failure }
            if verb == .list {
                // A list can be large: it is gathered and serialized in a task, not on the event
                // loop, so that the other connections the loop serves are not held up behind it
                // (as kube-apiserver serves every request on its own goroutine).
                return .later { self.performAnsweringErrors(verb, info: info, path: path, subresource: subresource, request: request) }
            }
            return .now(try perform(verb, info: info, path: path, subresource: subresource, request: request))
        }
        return .later {
            try? await Task.sleep(for: latency) // cancelled only when the server stops, then answering early is right
            if let failure { return APIResponse(error: failure) }
            return self.performAnsweringErrors(verb, info: info, path: path, subresource: subresource, request: request)
        }
    }

    /// ``perform(_:info:path:subresource:request:)`` with its error as the answer.
    private func performAnsweringErrors(
        _ verb: APIVerb, info: ResourceInfo, path: ResourcePath, subresource: Subresource, request: APIRequest
    ) -> APIResponse {
        do throws(APIError) {
            return try perform(verb, info: info, path: path, subresource: subresource, request: request)
        } catch {
            return APIResponse(error: error)
        }
    }

    /// Carries out a resource verb that passed routing and fault injection.
    private func perform(
        _ verb: APIVerb, info: ResourceInfo, path: ResourcePath, subresource: Subresource, request: APIRequest
    ) throws(APIError) -> APIResponse {
        requests.record(verb)
        if subresource == .scale { return try performScale(verb, info: info, path: path, request: request) }
        if info.group == "authorization.k8s.io" { return try performReview(verb, info: info, request: request) }
        let query = request.query
        let format = request.responseFormat
        switch verb {
        case .get:
            let object = try store.get(info, namespace: path.namespace, name: path.name ?? "")
            if let table = try tableConverter(for: request, info: info) {
                return .json(table.table(object: object), contentType: table.format.contentType)
            }
            return try .object(object, format: format)
        case .list:
            let list = try store.list(info, namespace: path.namespace, options: try Self.listOptions(query))
            if let table = try tableConverter(for: request, info: info) {
                return .json(table.table(list: list), contentType: table.format.contentType)
            }
            return try .object(list, format: format)
        case .watch:
            return try watch(info, path: path, request: request)
        case .create:
            var options = try Self.writeOptions(request)
            let object = try Self.decodeObject(request, recordingDuplicatesIn: &options)
            let created = try store.creating(info, namespace: path.namespace, object: object, options: options)
            return try APIResponse.object(created.object, status: .created, format: format, published: created.event)
                .warning(options.fieldWarnings)
        case .update:
            var options = try Self.writeOptions(request)
            let object = try Self.decodeObject(request, recordingDuplicatesIn: &options)
            let updated = try store.replacing(
                info, namespace: path.namespace, name: path.name ?? "", object: object, subresource: subresource,
                options: options)
            return try APIResponse.object(updated.object, format: format, published: updated.event).warning(options.fieldWarnings)
        case .patch:
            let type = try PatchType(contentType: request.headers.first(name: "content-type") ?? "")
            let options = try Self.writeOptions(request)
            let (result, event) = try store.patching(
                info, namespace: path.namespace, name: path.name ?? "", type: type, body: request.bodyBytes,
                subresource: subresource, options: options)
            return try APIResponse.object(result.object, status: result.created ? .created : .ok, format: format, published: event)
                .warning(options.fieldWarnings)
        case .delete:
            let options = try Self.deleteOptions(request)
            let result = try store.delete(info, namespace: path.namespace, name: path.name ?? "", options: options)
            if !result.removed {
                return try .object(result.object, status: .accepted, format: format)
            }
            if info.isCustom || info.plural == "pods" {
                return try .object(result.object, format: format)
            }
            var details = APIError.details(name: path.name, group: info.group, kind: info.plural) ?? .emptyObject
            if let uid = result.object[path: "metadata", "uid"] { details["uid"] = uid }
            return try .object(
                ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "details": details], format: format)
        case .deletecollection:
            let list = try store.deleteCollection(
                info, namespace: path.namespace, listOptions: try Self.listOptions(query), options: try Self.deleteOptions(request))
            return try .object(list, format: format)
        }
    }

    /// The verb a request stands for, or 405 when the method does not apply to that path.
    static func verb(for request: APIRequest, path: ResourcePath, info: ResourceInfo) throws(APIError) -> APIVerb {
        let named = path.name != nil
        let isWatch = path.legacyWatch || request.query.flag("watch")
        if path.legacyWatch && request.method != .GET { throw .methodNotAllowed() }
        if path.subresource != nil && (request.method == .POST || request.method == .DELETE) { throw .methodNotAllowed() }
        switch request.method {
        case .GET, .HEAD:
            if isWatch { return .watch }
            return named ? .get : .list
        case .POST:
            guard !named else { throw .methodNotAllowed() }
            return .create
        case .PUT:
            guard named else { throw .methodNotAllowed() }
            return .update
        case .PATCH:
            guard named else { throw .methodNotAllowed() }
            return .patch
        case .DELETE:
            if named { return .delete }
            guard info.namespaced == (path.namespace != nil) else { throw .methodNotAllowed() }
            return .deletecollection
        default:
            throw .methodNotAllowed()
        }
    }

    // MARK: Watch

    private func watch(_ info: ResourceInfo, path: ResourcePath, request: APIRequest) throws(APIError) -> APIResponse {
        let query = request.query
        var options = WatchOptions(
            labelSelector: query["labelSelector"],
            fieldSelector: query["fieldSelector"],
            resourceVersion: query["resourceVersion"],
            resourceVersionMatch: query["resourceVersionMatch"],
            allowBookmarks: query.flag("allowWatchBookmarks"),
            sendInitialEvents: query["sendInitialEvents"].map { $0 == "true" || $0 == "1" })
        options.shardSelector = query["shardSelector"]
        if let name = path.name {
            // `/watch/.../<name>` and `?watch=1` on an item both mean "this one object".
            let byName = "metadata.name=\(name)"
            options.fieldSelector = options.fieldSelector.map { $0.isEmpty ? byName : "\($0),\(byName)" } ?? byName
        }
        let timeout: Duration
        do {
            timeout = try query.integer("timeoutSeconds").map { .seconds($0) } ?? defaultWatchTimeout
        } catch {
            throw .badRequest("invalid value for timeoutSeconds: \"\(error.value)\"")
        }
        let encoding = try WatchEncoding(format: request.responseFormat, info: info)
        let stream = try store.watch(info, namespace: path.namespace, options: options)
        let bookmarks = options.allowBookmarks ? bookmarkInterval : nil
        let watches = faults.watches
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: encoding.contentType)
        return APIResponse(
            status: .ok, headers: headers,
            body: .stream { writer in
                try await Self.stream(
                    stream, to: writer, encoding: encoding, timeout: timeout, bookmarkInterval: bookmarks, watches: watches)
            })
    }

    /// Sends a watch's events as newline-delimited JSON until the store ends the stream, the
    /// timeout passes, the watches are cut, or the client goes away.
    private static func stream(
        _ stream: WatchStream,
        to writer: ResponseBodyWriter,
        encoding: WatchEncoding,
        timeout: Duration,
        bookmarkInterval: Duration?,
        watches: ActiveWatches
    ) async throws {
        let key = watches.add { stream.cancel() }
        writer.connectionClosed.whenComplete { _ in stream.cancel() }
        defer {
            watches.remove(key)
            stream.cancel()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Task.sleep(for: timeout)
                stream.cancel()
            }
            if let bookmarkInterval {
                group.addTask {
                    while true {
                        try await Task.sleep(for: bookmarkInterval)
                        stream.sendBookmark()
                    }
                }
            }
            // Whatever queued while the last chunk was written goes out as one chunk, and one chunk
            // stays in flight while the next is gathered: a watcher that falls behind catches up
            // with one socket write per batch, and a client that stops reading stops the stream.
            var inFlight: EventLoopFuture<Void>?
            while true {
                let batch = await stream.nextBatch(limit: Self.watchChunkEvents)
                if batch.isEmpty { break }
                var chunk = ByteBufferAllocator().buffer(capacity: batch.reduce(0) { $0 + encoding.expectedSize(of: $1) })
                for event in batch { encoding.write(event, into: &chunk) }
                let sent = writer.send(chunk)
                try await inFlight?.get()
                inFlight = sent
            }
            try await inFlight?.get()
            group.cancelAll()
        }
    }

    /// At most this many events go into one chunk of a watch response.
    static let watchChunkEvents = 256

    // MARK: Decoding

    /// The body of a create or update: JSON (also when no Content-Type is sent, as the Python client
    /// does) or YAML.
    static func decodeObject(_ request: APIRequest) throws(APIError) -> JSONValue {
        var repeatsKeys = false
        return try decodeObject(request, repeatsKeys: &repeatsKeys)
    }

    /// ``decodeObject(_:)``, and for a JSON body under `fieldValidation` `Warn` or `Strict` its
    /// repeated keys in `options`, for the store to report with the unknown fields.
    static func decodeObject(_ request: APIRequest, recordingDuplicatesIn options: inout WriteOptions)
        throws(APIError) -> JSONValue
    {
        var repeatsKeys = false
        let object = try decodeObject(request, repeatsKeys: &repeatsKeys)
        // The parse notes whether a key repeats; only then are the bytes walked again to name them.
        // (YAML: the parser refuses repeated keys; protobuf: fields cannot repeat by name.)
        if repeatsKeys, options.reportsFieldProblems {
            options.duplicateFields = try DuplicateFields.decodingErrors(in: request.body.readableBytesView)
        }
        return object
    }

    /// ``decodeObject(_:)``; `repeatsKeys` tells whether a JSON body repeats a key in an object.
    private static func decodeObject(_ request: APIRequest, repeatsKeys: inout Bool) throws(APIError) -> JSONValue {
        let bytes = request.bodyBytes
        switch request.contentType {
        case nil, "application/json", "*/*":
            do {
                return try JSONValue(parsing: bytes, repeatsKeys: &repeatsKeys)
            } catch {
                throw .badRequest("the body of the request could not be decoded as JSON: \(error)")
            }
        case "application/yaml", "application/x-yaml", "text/yaml":
            return try YAMLBody.parse(bytes)
        case ProtobufCodec.contentType:
            return try request.protobufBody()
        case let other?:
            throw APIError(
                code: 415, reason: "UnsupportedMediaType",
                message:
                    "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got \(other))"
            )
        }
    }

    static func listOptions(_ query: QueryParameters) throws(APIError) -> ListOptions {
        let limit: Int64?
        do {
            limit = try query.integer("limit")
        } catch {
            throw .badRequest("invalid value for limit: \"\(error.value)\"")
        }
        var options = ListOptions(
            labelSelector: query["labelSelector"],
            fieldSelector: query["fieldSelector"],
            limit: limit.map { Int(clamping: $0) },
            continueToken: query["continue"].flatMap { $0.isEmpty ? nil : $0 },
            resourceVersion: query["resourceVersion"],
            resourceVersionMatch: query["resourceVersionMatch"])
        options.shardSelector = query["shardSelector"]
        return options
    }

    static func writeOptions(_ request: APIRequest) throws(APIError) -> WriteOptions {
        let query = request.query
        return WriteOptions(
            fieldManager: query["fieldManager"],
            force: query.flag("force"),
            dryRun: try dryRun(query),
            userAgent: request.headers.first(name: "user-agent"),
            strictFieldValidation: try fieldValidation(query) == "Strict",
            fieldWarnings: try fieldValidation(query) == "Warn" ? FieldWarnings() : nil)
    }

    /// `fieldValidation`: `Strict` refuses unknown fields (400); `Warn` (the default, as in
    /// kube-apiserver) drops them and answers with a `Warning` header for each; `Ignore` drops them.
    static func fieldValidation(_ query: QueryParameters) throws(APIError) -> String {
        guard let value = query["fieldValidation"] else { return "Warn" }
        switch value {
        case "Strict", "Warn", "Ignore": return value
        case "": return "Warn"
        default:
            throw .badRequest(
                "fieldValidation: Unsupported value: \"\(value)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
        }
    }

    static func dryRun(_ query: QueryParameters) throws(APIError) -> Bool {
        let values = query.all("dryRun")
        for value in values where value != "All" {
            throw .badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
        }
        return !values.isEmpty
    }

    /// DeleteOptions from the body (kubectl always sends one) overlaid by the query parameters.
    static func deleteOptions(_ request: APIRequest) throws(APIError) -> DeleteOptions {
        var body: JSONValue?
        if request.contentType == ProtobufCodec.contentType && request.body.readableBytes > 0 {
            body = try request.protobufBody()
        } else if request.body.readableBytes > 0 {
            do {
                body = try JSONValue(parsing: request.bodyBytes)
            } catch {
                throw .badRequest("the body of the request could not be decoded as DeleteOptions: \(error)")
            }
        }
        var options = try DeleteOptions(body: body)
        let query = request.query
        if let policy = query["propagationPolicy"] {
            guard let value = DeleteOptions.Propagation(rawValue: policy) else {
                throw .badRequest(
                    "propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
            options.propagationPolicy = value
        }
        do {
            if let grace = try query.integer("gracePeriodSeconds") { options.gracePeriodSeconds = grace }
        } catch {
            throw .badRequest("invalid value for gracePeriodSeconds: \"\(error.value)\"")
        }
        if try dryRun(query) { options.dryRun = true }
        return options
    }
}
