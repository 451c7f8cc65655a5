/// A bearer token read from a file (kubeconfig `tokenFile`, the in-cluster service account token)
/// and re-read when the file changes, so rotated tokens are picked up without a restart.
///
/// The file's size, modification time and inode are checked at most once per `recheckInterval`,
/// and always when the server rejected the last token (`refresh: true`); the file is read again
/// only when they changed (or on refresh). Surrounding whitespace is trimmed. When a re-read fails
/// or finds the file empty (mid-rotation), the previous token is kept until the next check, except
/// on refresh, where the failure is reported.
///
/// ```swift
/// let credentials = TokenFileProvider(path: "/var/run/secrets/kubernetes.io/serviceaccount/token")
/// ```
public final class TokenFileProvider: CredentialProvider, CustomStringConvertible {
    private struct State {
        var token: String?
        var stamp: ConfigFiles.Stamp?
        var lastCheck: ContinuousClock.Instant?
    }

    /// The token file.
    public let path: String
    /// How long a read token is used before the file is checked again.
    public let recheckInterval: Duration
    private let state = Lock(State())

    /// - Parameters:
    ///   - path: The file holding the token.
    ///   - recheckInterval: Minimum time between checks of the file; `.zero` checks on every request.
    public init(path: String, recheckInterval: Duration = .seconds(60)) {
        self.path = path
        self.recheckInterval = recheckInterval
    }

    /// `Bearer <token>` from the file's current contents.
    ///
    /// - Throws: ``CredentialError`` when the file cannot be read or is empty.
    public func authorization(refresh: Bool) async throws -> String? {
        "Bearer " + (try currentToken(refresh: refresh))
    }

    /// The token, re-reading the file if it is due for a check and has changed.
    func currentToken(refresh: Bool) throws(CredentialError) -> String {
        let now = ContinuousClock.now
        let result: Result<String, CredentialError> = state.withLock { state in
            if !refresh, let token = state.token, let last = state.lastCheck, now - last < recheckInterval {
                return .success(token)
            }
            do throws(ConfigFiles.Failure) {
                let stamp = try ConfigFiles.stamp(path)
                state.lastCheck = now
                if !refresh, let token = state.token, stamp == state.stamp { return .success(token) }
                let text = try ConfigFiles.text(of: path)
                let token = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                guard !token.isEmpty else {
                    // A file being rewritten in place can be seen empty for a moment; keep the old
                    // token until the next check rather than failing a request the server may accept.
                    if !refresh, let old = state.token { return .success(old) }
                    return .failure(CredentialError(source: "token file \"\(path)\"", reason: "the file is empty"))
                }
                state.token = token
                state.stamp = stamp
                return .success(token)
            } catch {
                if !refresh, let old = state.token { return .success(old) }
                return .failure(CredentialError(source: "token file \"\(path)\"", reason: error.reason))
            }
        }
        return try result.get()
    }

    /// A summary that never shows secret values.
    public var description: String { "TokenFileProvider(path: \(path))" }
}
