import Foundation
import RoperatorClient
import Testing

@Suite struct TokenFileTests {
    @Test func picksUpRotatedToken() async throws {
        let dir = try ConfigTestDirectory()
        let path = try dir.write("token", "first\n")
        let provider = TokenFileProvider(path: path, recheckInterval: .zero)
        #expect(try await provider.authorization(refresh: false) == "Bearer first")
        try dir.write("token", "second-token")
        #expect(try await provider.authorization(refresh: false) == "Bearer second-token")
        // Replaced by rename, as the kubelet does for projected tokens.
        let staged = try dir.write("token.new", "third")
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: staged, toPath: path)
        #expect(try await provider.authorization(refresh: false) == "Bearer third")
    }

    @Test func checksAtMostEveryIntervalUnlessRefreshing() async throws {
        let dir = try ConfigTestDirectory()
        let path = try dir.write("token", "old")
        let provider = TokenFileProvider(path: path, recheckInterval: .seconds(3600))
        #expect(try await provider.authorization(refresh: false) == "Bearer old")
        try dir.write("token", "new")
        #expect(try await provider.authorization(refresh: false) == "Bearer old")
        #expect(try await provider.authorization(refresh: true) == "Bearer new")
    }

    @Test func missingOrEmptyFileIsAnError() async throws {
        let dir = try ConfigTestDirectory()
        let missing = TokenFileProvider(path: dir.path + "/absent")
        let error = await #expect(throws: CredentialError.self) { try await missing.authorization(refresh: false) }
        #expect(error?.description == "token file \"\(dir.path)/absent\": cannot stat \"\(dir.path)/absent\": No such file or directory")

        let path = try dir.write("token", "SECRET-T")
        let provider = TokenFileProvider(path: path, recheckInterval: .zero)
        #expect(try await provider.authorization(refresh: false) == "Bearer SECRET-T")
        try dir.write("token", "  \n")
        // Mid-rotation emptiness keeps the old token for ordinary requests...
        #expect(try await provider.authorization(refresh: false) == "Bearer SECRET-T")
        // ...but a refresh after a 401 reports it, without the old token.
        let empty = await #expect(throws: CredentialError.self) { try await provider.authorization(refresh: true) }
        #expect(empty?.reason == "the file is empty")
        #expect(empty.map { !$0.description.contains("SECRET") } == true)
    }
}
