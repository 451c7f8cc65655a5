/// Query parameters shared by create, update and patch.
package struct WriteOptions: Sendable, Hashable {
    /// `fieldManager`; required for server-side apply. Other writes fall back to `userAgent`.
    package var fieldManager: String?
    /// `force` (server-side apply): take ownership of conflicting fields.
    package var force: Bool
    /// `dryRun=All`: validate and compute the result without storing it.
    package var dryRun: Bool
    /// The request's User-Agent, the default manager name for non-apply writes.
    package var userAgent: String?
    /// `fieldValidation=Strict`: a field the schema does not describe fails the write (400) instead
    /// of being dropped. Only custom resources with a structural schema are checked.
    package var strictFieldValidation: Bool
    /// `fieldValidation=Warn` (kube-apiserver's default): where the unknown fields that are dropped
    /// are reported, for the response's `Warning` headers; `nil` drops them silently (`Ignore`).
    package var fieldWarnings: FieldWarnings?
    /// Keys the JSON body repeats, as kube-apiserver words them in a strict decoding error
    /// (`duplicate field "spec.replicas"`), found only under `Warn` or `Strict`. The store reports
    /// them with the unknown fields: before them in the one 400 under `Strict`, as warnings under `Warn`.
    package var duplicateFields: [String] = []

    /// Whether the body's repeated keys matter (`fieldValidation` is `Warn` or `Strict`), so whether
    /// they are worth looking for.
    package var reportsFieldProblems: Bool { strictFieldValidation || fieldWarnings != nil }

    package init(
        fieldManager: String? = nil, force: Bool = false, dryRun: Bool = false, userAgent: String? = nil,
        strictFieldValidation: Bool = false, fieldWarnings: FieldWarnings? = nil
    ) {
        self.fieldWarnings = fieldWarnings
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
        self.userAgent = userAgent
        self.strictFieldValidation = strictFieldValidation
    }

    /// The manager name recorded for a non-apply write: `fieldManager`, else the user agent's
    /// program name (as the real server does: text before the first `/`), else `unknown`.
    var updateManager: String {
        if let fieldManager, !fieldManager.isEmpty { return fieldManager }
        if let userAgent, let program = userAgent.split(separator: "/").first, !program.isEmpty {
            return String(program)
        }
        return "unknown"
    }
}
