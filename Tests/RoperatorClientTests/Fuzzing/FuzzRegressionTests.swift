import Foundation
import RoperatorClient
import Testing

/// Replays the fuzzers' seed corpus and every input they once crashed on (`Fuzz/Corpus/<target>`,
/// `Fuzz/Regressions/<target>`) through the same checks, and pins the fixes with direct tests.
@Suite struct FuzzRegressionTests {
    /// One committed input: its target and its path relative to `Fuzz/`.
    struct Input: CustomTestStringConvertible, Sendable {
        let target: String
        let path: String
        var testDescription: String { path }
    }

    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static let inputs: [Input] = FuzzChecks.names.flatMap { target in
        ["Corpus", "Regressions"].flatMap { folder in
            let directory = "\(folder)/\(target)"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: fuzzDirectory.appendingPathComponent(directory).path)) ?? []
            return names.sorted().map { Input(target: target, path: "\(directory)/\($0)") }
        }
    }

    @Test func everyTargetHasASeedCorpus() {
        for target in FuzzChecks.names {
            #expect(Self.inputs.contains { $0.target == target && $0.path.hasPrefix("Corpus/") }, "no seeds for \(target)")
        }
    }

    @Test(arguments: inputs)
    func committedInputPassesItsCheck(_ input: Input) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fuzzDirectory.appendingPathComponent(input.path)))
        #expect(throws: Never.self) { try FuzzChecks.run(input.target, bytes) }
    }

    /// Found by the json target: `1E400` became infinity, which writes back as `null`.
    @Test(arguments: ["1E400", "[-1e309]", String(repeating: "9", count: 400), "{\"a\":1.5e99999}"])
    func numbersBeyondDoubleAreRefused(_ text: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error?.reason == "number out of range")
    }

    @Test func largestFiniteNumbersStillParse() throws {
        #expect(try JSONValue(parsing: "1.7976931348623157e308") == .double(.greatestFiniteMagnitude))
        #expect(try JSONValue(parsing: "-4.9e-324") == .double(-.leastNonzeroMagnitude))
        #expect(try JSONValue(parsing: "1e-400") == .double(0))
    }

    /// Found by the yaml target: ten levels of ten aliases each ("billion laughs") expanded to
    /// 10¹⁰ values and ran until the fuzzer's timeout.
    @Test func aliasExpansionIsBounded() throws {
        let text = try String(
            contentsOf: Self.fuzzDirectory.appendingPathComponent("Regressions/yaml/alias-expansion.yaml"), encoding: .utf8)
        let started = ContinuousClock.now
        let error = #expect(throws: YAMLParseError.self) { try JSONValue.documents(yaml: text) }
        #expect(error?.reason.contains("aliases expand to too many values") == true)
        #expect(ContinuousClock.now - started < .seconds(10))
        let kubeconfigError = #expect(throws: KubeconfigError.self) { try Kubeconfig(yaml: text, file: "/x/config") }
        #expect(kubeconfigError?.description.contains("aliases expand to too many values") == true)
    }

    @Test func modestAliasUseStillWorks() throws {
        let value = try JSONValue(yaml: "base: &b {a: 1, list: [x, y]}\none: *b\ntwo: {<<: *b, c: 2}\n")
        #expect(value["one"] == ["a": 1, "list": ["x", "y"]])
        #expect(value["two"] == ["a": 1, "list": ["x", "y"], "c": 2])
    }

    /// A kubeconfig naming a device as a file fails with the field named instead of reading forever.
    @Test func endlessFileIsRefused() throws {
        let yaml = KubeconfigTests.kubeconfig(
            cluster: "- name: c2\n  cluster: {server: 'https://a', certificate-authority: /dev/zero}", user: "    token: T",
            context: "- name: other\n  context: {cluster: c2, user: bob}", current: "other")
        let error = #expect(throws: KubeconfigError.self) { try Kubeconfig(yaml: yaml, file: "/x/config").clientConfiguration() }
        #expect(error?.field == "certificate-authority")
        #expect(error?.description.contains("larger than 16 MiB") == true)
    }
}
