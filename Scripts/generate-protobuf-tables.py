#!/usr/bin/env python3
"""Generates the protobuf tables of the embedded API server's protobuf codec.

The embedded API server converts between Kubernetes' protobuf encoding
(`application/vnd.kubernetes.protobuf`) and JSON with one generic, table-driven codec. The tables
say, for every message of the Kubernetes 1.33 `generated.proto` files, which field number carries
which JSON member and how it is encoded; this script writes them as one compact text table inside
`Sources/RoperatorAPIServer/Protobuf/ProtobufSchema+Table.swift` (a string literal, which
compiles in no time, parsed once on first use).

Inputs (read only here, never by the package at build or run time):

- the `generated.proto` files under `<reference>/proto/` (field numbers, types, maps, repeated);
- `<reference>/openapi/definitions.json` (`x-kubernetes-group-version-kind`: which apiVersion and
  kind each message stands for);
- `Scripts/protobuf-go-traits.txt`, committed: what the proto files cannot say because every field
  is proto2 `optional` there, namely which Go fields are pointers (an explicit zero is meaningful and
  kept) and which are `omitempty` values (a zero on the wire stands for "unset" and is dropped when
  turning protobuf into JSON), the JSON names where they differ from the proto names, and which
  messages wrap a named Go slice (`ExtraValue`, `Verbs`: a JSON array). It is extracted from the Go
  sources of k8s.io/api and k8s.io/apimachinery with `extract-go-traits`.

Usage:

    # regenerate the Swift table (the usual case)
    python3 Scripts/generate-protobuf-tables.py generate ../shared/reference/kubernetes-1.33

    # refresh the Go traits from git checkouts of kubernetes/api and kubernetes/apimachinery
    python3 Scripts/generate-protobuf-tables.py extract-go-traits API_GIT APIMACHINERY_GIT v0.33.9

Table format (one record per line, space separated):

    M <message> [<special>]        a message; special is one of quantity, intorstring, time,
                                   microtime, duration, fieldsv1, rawextension, unknown, array
    F <number> <json> <type> <flags>
                                   a field of the message above; type is a scalar (string, int32,
                                   int64, bool, bytes) or a message index (#N, N counts M lines from
                                   0) or map:<key>:<value>; flags: r repeated, p Go pointer (keep
                                   zero), z drop zero (Go value with omitempty), i inlined in
                                   the JSON object (Go embedded struct; json is "."), - none
    K <apiVersion> <kind> #N       the message of a kind
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TRAITS = os.path.join(HERE, "protobuf-go-traits.txt")
OUTPUT = os.path.join(ROOT, "Sources/RoperatorAPIServer/Protobuf/ProtobufSchema+Table.swift")

SCALARS = {"string", "int32", "int64", "bool", "bytes"}

SPECIAL = {
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intorstring",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "microtime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "duration",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "fieldsv1",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "rawextension",
    "k8s.io.apimachinery.pkg.runtime.Unknown": "unknown",
}


# MARK: proto files

def parse_proto(path):
    """Messages of one generated.proto: {full name: [(label, type, name, number)]}."""
    text = open(path).read()
    package = re.search(r"^package ([\w.]+);", text, re.M).group(1)
    messages = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//") or not stripped:
            continue
        m = re.match(r"^message (\w+) \{", line)
        if m:
            current = package + "." + m.group(1)
            messages[current] = []
            continue
        if line.startswith("}"):
            current = None
            continue
        if current is None:
            continue
        m = re.match(r"^\s+map<\s*([\w.]+),\s*([\w.]+)\s*> (\w+) = (\d+);", line)
        if m:
            messages[current].append(("map", (m.group(1), m.group(2)), m.group(3), int(m.group(4))))
            continue
        m = re.match(r"^\s+(optional|repeated) ([\w.]+) (\w+) = (\d+);", line)
        if m:
            messages[current].append((m.group(1), m.group(2), m.group(3), int(m.group(4))))
            continue
        raise SystemExit(f"{path}: unexpected line in {current}: {line}")
    return package, messages


def resolve(type_name, package, known):
    """The full name of a message type as written in a field of `package`."""
    if type_name in SCALARS:
        return type_name
    if type_name.startswith("."):
        name = type_name[1:]
    else:
        name = package + "." + type_name
    if name not in known:
        raise SystemExit(f"unknown message type {type_name} in {package}")
    return name


# MARK: Go traits

def extract_go_traits(api_git, apimachinery_git, tag):
    """Reads the Go struct tags of k8s.io/api and k8s.io/apimachinery at `tag` into TRAITS."""
    def files(git, prefixes):
        names = subprocess.run(["git", "-C", git, "ls-tree", "-r", "--name-only", tag],
                               check=True, capture_output=True, text=True).stdout.split()
        for name in names:
            if not name.endswith(".go") or name.endswith("_test.go") or "generated" in name:
                continue
            if any(name.startswith(p) for p in prefixes):
                yield name, subprocess.run(["git", "-C", git, "show", f"{tag}:{name}"],
                                           check=True, capture_output=True, text=True).stdout

    lines = []
    sources = [(api_git, "k8s.io.api.", [""])]
    sources.append((apimachinery_git, "k8s.io.apimachinery.",
                    ["pkg/apis/meta/v1/", "pkg/runtime/", "pkg/util/intstr/", "pkg/api/resource/"]))
    for git, prefix, prefixes in sources:
        for name, text in files(git, prefixes):
            directory = os.path.dirname(name)
            if directory.count("/") > (1 if prefix == "k8s.io.api." else 3):
                continue  # only the package itself, not its sub-packages
            if prefix == "k8s.io.api." and not re.search(r"/v\d+$", directory):
                continue  # GA versions only
            package = prefix + directory.replace("/", ".")
            struct = None
            for line in text.splitlines():
                m = re.match(r"^type (\w+) \[\]\w+", line)
                if m:
                    lines.append(f"{package}.{m.group(1)} array")
                    continue
                m = re.match(r"^type (\w+) struct \{", line)
                if m:
                    struct = package + "." + m.group(1)
                    continue
                if line.startswith("}"):
                    struct = None
                    continue
                if struct is None:
                    continue
                m = re.match(r'^\t(?:\w+\s+)?(\S+)\s+`json:"([^"]*)".*protobuf:"(\w+),(\d+),', line)
                if not m:
                    continue
                go_type, json_tag, number = m.group(1), m.group(2), m.group(4)
                json_name = json_tag.split(",")[0] or "."  # "." marks an inlined (embedded) struct
                flags = ""
                if go_type.startswith("*"):
                    flags += "p"
                if "omitempty" in json_tag.split(",")[1:]:
                    flags += "o"
                lines.append(f"{struct} {number} {json_name} {flags or '-'}")
    with open(TRAITS, "w") as out:
        out.write(f"# Go struct facts of k8s.io/api and k8s.io/apimachinery {tag}, written by\n")
        out.write("# Scripts/generate-protobuf-tables.py extract-go-traits; see that script.\n")
        out.write("# <message> <field number> <json name, . when inlined> <p: pointer, o: omitempty, - neither>\n")
        out.write("# <message> array: a named Go slice wrapped in a message (JSON array)\n")
        for line in sorted(set(lines)):
            out.write(line + "\n")


def read_traits():
    fields, arrays = {}, set()
    for line in open(TRAITS):
        if line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) == 2 and parts[1] == "array":
            arrays.add(parts[0])
        elif len(parts) == 4:
            fields[(parts[0], int(parts[1]))] = (parts[2], parts[3])
    return fields, arrays


# MARK: generate

def generate(reference):
    proto_root = os.path.join(reference, "proto")
    parsed = []
    known = set()
    for directory, _, names in sorted(os.walk(proto_root)):
        for name in sorted(names):
            if name.endswith(".proto"):
                package, messages = parse_proto(os.path.join(directory, name))
                parsed.append((package, messages))
                known.update(messages)
    traits, arrays = read_traits()

    order = sorted(known)
    index = {name: i for i, name in enumerate(order)}
    fields_of = {}
    for package, messages in parsed:
        for name, fields in messages.items():
            fields_of[name] = (package, fields)

    def type_code(type_name, package):
        full = resolve(type_name, package, known)
        return full if full in SCALARS else f"#{index[full]}"

    out = []
    missing = 0
    for name in order:
        package, fields = fields_of[name]
        special = SPECIAL.get(name)
        if special is None and name in arrays:
            special = "array"
        out.append(f"M {short(name)}" + (f" {special}" if special else ""))
        for label, type_name, field_name, number in sorted(fields, key=lambda f: f[3]):
            json_name, go_flags = traits.get((name, number), (field_name, None))
            if go_flags is None:
                missing += 1
                go_flags = "-"
            if label == "map":
                key, value = type_name
                code = f"map:{type_code(key, package)}:{type_code(value, package)}"
            else:
                code = type_code(type_name, package)
            flags = ""
            if label == "repeated":
                flags += "r"
            if json_name == ".":
                flags += "i"
            if "p" in go_flags:
                flags += "p"
            elif "o" in go_flags:
                flags += "z"
            out.append(f"F {number} {json_name} {code} {flags or '-'}")

    definitions = json.load(open(os.path.join(reference, "openapi/definitions.json")))
    definitions = definitions.get("$defs", definitions.get("definitions", definitions))
    kinds = set()
    for key, definition in definitions.items():
        message = proto_name(key)
        if message not in index:
            continue
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds.add(f"K {api_version} {gvk['kind']} #{index[message]}")
    out.extend(sorted(kinds))

    table = "\n".join(out)
    with open(OUTPUT, "w") as swift:
        swift.write("// Generated by Scripts/generate-protobuf-tables.py from the Kubernetes 1.33 generated.proto\n")
        swift.write("// files; do not edit. See the script for the format.\n\n")
        swift.write("extension ProtobufSchema {\n")
        swift.write("    /// Every message, field and kind of the built-in API, one record per line.\n")
        swift.write("    static let table = \"\"\"\n")
        swift.write(table)
        swift.write("\n\"\"\"\n}\n")
    print(f"{len(order)} messages, {sum(1 for l in out if l.startswith('F '))} fields, "
          f"{len(kinds)} kinds, {missing} fields without Go traits -> {os.path.relpath(OUTPUT, ROOT)}")


def short(name):
    """Message names without the common prefixes, to keep the table small."""
    for prefix, replacement in (("k8s.io.api.", ""), ("k8s.io.apimachinery.pkg.apis.", ""),
                                ("k8s.io.apimachinery.pkg.", "")):
        if name.startswith(prefix):
            return replacement + name[len(prefix):]
    return name


def proto_name(definition_key):
    """`io.k8s.api.apps.v1.Deployment` -> `k8s.io.api.apps.v1.Deployment`."""
    if definition_key.startswith("io.k8s."):
        return "k8s.io." + definition_key[len("io.k8s."):]
    return definition_key


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "extract-go-traits":
        extract_go_traits(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(__doc__)
