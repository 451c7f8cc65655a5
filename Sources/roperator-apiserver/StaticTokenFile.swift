import Foundation
import ArgumentParser

/// kube-apiserver's `--token-auth-file` format: one `token,user,uid[,"group1,group2"]` per line;
/// blank lines and lines starting with `#` are skipped.
struct StaticTokenFile {
    struct Entry: Equatable {
        var token: String
        var user: String
        var groups: [String]
    }

    static func parse(_ text: String, path: String) throws -> [Entry] {
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = csvFields(line)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw ValidationError("\(path):\(index + 1): expected token,user,uid[,\"groups\"]")
            }
            let groups = fields.count > 3 ? fields[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : []
            entries.append(Entry(token: fields[0], user: fields[1], groups: groups.filter { !$0.isEmpty }))
        }
        return entries
    }

    /// The fields of one CSV line; double quotes group commas, `""` is a quote.
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if character == "\"" {
                if quoted, characters.first == "\"" {
                    current.append("\"")
                    characters = characters.dropFirst()
                } else {
                    quoted.toggle()
                }
            } else if character == ",", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
