#!/usr/bin/env python3
"""Generates the typed Kubernetes models (Sources/Models/*/Generated) from the OpenAPI definitions.

Usage:
    Scripts/generate-models.py --kubernetes-version 1.33 \
        --definitions ../shared/reference/kubernetes-1.33/openapi/definitions.json

The output is committed; nothing reads the definitions at build or run time. Only facts are
carried over (type, field and kind names, field types, required fields, enum values); the
schemas' description texts are not. See docs/models.md.
"""

import argparse
import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "Sources", "Models")

# Definition-name package -> (module directory, API group as served, group as named in the reference page anchors).
PACKAGES = {
    "io.k8s.apimachinery.pkg.apis.meta.v1": ("MetaV1", None, "meta"),
    "io.k8s.api.core.v1": ("CoreV1", "", "core"),
    "io.k8s.api.apps.v1": ("AppsV1", "apps", "apps"),
    "io.k8s.api.batch.v1": ("BatchV1", "batch", "batch"),
    "io.k8s.api.networking.v1": ("NetworkingV1", "networking.k8s.io", "networking-k8s-io"),
    "io.k8s.api.rbac.v1": ("RBACV1", "rbac.authorization.k8s.io", "rbac-authorization-k8s-io"),
    "io.k8s.api.policy.v1": ("PolicyV1", "policy", "policy"),
    "io.k8s.api.autoscaling.v1": ("AutoscalingV1", "autoscaling", "autoscaling"),
    "io.k8s.api.autoscaling.v2": ("AutoscalingV2", "autoscaling", "autoscaling"),
    "io.k8s.api.coordination.v1": ("CoordinationV1", "coordination.k8s.io", "coordination-k8s-io"),
    "io.k8s.api.discovery.v1": ("DiscoveryV1", "discovery.k8s.io", "discovery-k8s-io"),
    "io.k8s.api.events.v1": ("EventsV1", "events.k8s.io", "events-k8s-io"),
    "io.k8s.api.storage.v1": ("StorageV1", "storage.k8s.io", "storage-k8s-io"),
    "io.k8s.api.scheduling.v1": ("SchedulingV1", "scheduling.k8s.io", "scheduling-k8s-io"),
    "io.k8s.api.node.v1": ("NodeV1", "node.k8s.io", "node-k8s-io"),
    "io.k8s.api.certificates.v1": ("CertificatesV1", "certificates.k8s.io", "certificates-k8s-io"),
    "io.k8s.api.admissionregistration.v1": (
        "AdmissionRegistrationV1", "admissionregistration.k8s.io", "admissionregistration-k8s-io"),
}

# Definitions with a hand-written Swift counterpart (in RoperatorModelsMetaV1 or RoperatorClient).
SPECIAL = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "MicroTime",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "JSONValue",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "JSONValue",
    # Same six fields as RoperatorClient's OwnerReference, which is made Codable for the models.
    "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": "OwnerReference",
}

# Kinds served at cluster scope (everything else listed as a resource is namespaced).
CLUSTER_SCOPED = {
    "Namespace", "Node", "PersistentVolume", "ComponentStatus", "ClusterRole", "ClusterRoleBinding",
    "StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "PriorityClass", "RuntimeClass",
    "CertificateSigningRequest", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "IngressClass", "IPAddress", "ServiceCIDR",
}
# Kinds that are only sent to a subresource or a virtual endpoint, not stored resources.
NOT_RESOURCES = {"Scale", "Eviction", "Binding"}

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
    "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else",
    "fallthrough", "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any",
    "catch", "false", "is", "nil", "super", "self", "Self", "throw", "throws", "true", "try", "Type",
}


def init_order(field):
    """Memberwise initializer order: required fields, then `metadata`, then the rest (stable by name)."""
    return (not field[3], field[0] != "metadata")


def plural_of(kind):
    lower = kind.lower()
    if kind == "Endpoints":
        return "endpoints"
    if lower.endswith("s"):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


def hand_written_names():
    """Public type names declared by the client and the runtime, which generated names must not shadow."""
    names = set()
    pattern = re.compile(r"^public (?:final )?(?:struct|enum|class|actor|protocol|typealias) (\w+)", re.M)
    for module in ("RoperatorClient", "Roperator"):
        for dirpath, _, files in os.walk(os.path.join(ROOT, "Sources", module)):
            for f in files:
                if f.endswith(".swift"):
                    with open(os.path.join(dirpath, f)) as fh:
                        names.update(pattern.findall(fh.read()))
    return names


class Generator:
    def __init__(self, defs, version, codable="explicit"):
        self.defs = defs
        self.version = version
        self.codable = codable
        self.experiment = False
        self.taken = hand_written_names()
        self.names = {}  # definition key -> (module, swift name)
        self.selected = []
        self.renamed = []

    def package_of(self, key):
        return key.rsplit(".", 1)[0]

    def select(self):
        pending = [k for k in self.defs if self.package_of(k) in PACKAGES and k not in SPECIAL]
        seen = set()
        while pending:
            key = pending.pop()
            if key in seen or key in SPECIAL:
                continue
            if self.package_of(key) not in PACKAGES:
                sys.exit(f"{key} is used by a selected type but its package is not listed in PACKAGES")
            seen.add(key)
            for ref in self.refs(self.defs[key]):
                pending.append(ref)
        self.selected = sorted(seen)
        for key in self.selected:
            module = PACKAGES[self.package_of(key)][0]
            name = key.rsplit(".", 1)[1]
            if name in self.taken or name in SWIFT_KEYWORDS:
                renamed = module[:-2] + name  # e.g. MetaLabelSelector
                self.renamed.append((name, renamed))
                name = renamed
            self.names[key] = (module, name)

    def refs(self, schema):
        if isinstance(schema, dict):
            if "$ref" in schema:
                yield schema["$ref"].split("/")[-1]
            for value in schema.values():
                yield from self.refs(value)
        elif isinstance(schema, list):
            for value in schema:
                yield from self.refs(value)

    def swift_type(self, schema, module, imports):
        """(Swift type, short schema description for the doc comment)."""
        if "$ref" in schema:
            key = schema["$ref"].split("/")[-1]
            if key in SPECIAL:
                return SPECIAL[key], SPECIAL[key]
            ref_module, name = self.names[key]
            if ref_module != module:
                imports.add(ref_module)
            return name, name
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = [k for k in kind if k != "null"][0]
        fmt = schema.get("format")
        if kind == "string":
            return "String", "string" + (f" ({fmt})" if fmt else "")
        if kind == "integer":
            return ("Int32", "integer (int32)") if fmt == "int32" else ("Int64", "integer (int64)")
        if kind == "number":
            return "Double", "number (double)"
        if kind == "boolean":
            return "Bool", "boolean"
        if kind == "array":
            inner, text = self.swift_type(schema["items"], module, imports)
            return f"[{inner}]", f"array of {text}"
        if kind == "object":
            if "additionalProperties" in schema:
                inner, text = self.swift_type(schema["additionalProperties"], module, imports)
                return f"[String: {inner}]", f"map of string to {text}"
            return "JSONValue", "any JSON object"
        sys.exit(f"unsupported schema {schema}")

    def anchor(self, key, kind=None):
        module_dir, _, page_group = PACKAGES[self.package_of(key)]
        version = self.package_of(key).rsplit(".", 1)[1]
        name = (kind or key.rsplit(".", 1)[1]).lower()
        return (f"https://kubernetes.io/docs/reference/generated/kubernetes-api/v{self.version}/"
                f"#{name}-{version}-{page_group}")

    def render(self, key):
        schema = self.defs[key]
        module, name = self.names[key]
        imports = set()
        required = set(schema.get("required", []))
        gvks = schema.get("x-kubernetes-group-version-kind", [])
        single_gvk = gvks[0] if len(gvks) == 1 else None
        properties = schema.get("properties", {})
        fields = []  # (json name, swift name, type, required, is container, doc)
        for json_name, prop in sorted(properties.items()):
            if single_gvk and json_name in ("apiVersion", "kind"):
                continue
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", json_name):
                sys.exit(f"{key}.{json_name} is not a Swift identifier")
            swift_type, text = self.swift_type(prop, module, imports)
            enum = prop.get("enum")
            if enum and swift_type == "String":
                text += ", one of " + ", ".join(f"`{v}`" for v in enum)
            is_required = json_name in required
            container = swift_type.startswith("[")
            swift_name = f"`{json_name}`" if json_name in SWIFT_KEYWORDS else json_name
            fields.append((json_name, swift_name, swift_type, is_required, container, text))

        resource = (single_gvk is not None and module != "MetaV1" and not single_gvk["kind"].endswith("List")
                    and single_gvk["kind"] not in NOT_RESOURCES)
        conformances = ["Codable", "Sendable", "Equatable"]
        if resource:
            conformances = ["K8sResource", "Equatable"]
        out = []
        out.append("// Generated by Scripts/generate-models.py from the Kubernetes "
                   f"{self.version} OpenAPI definitions. Do not edit.")
        out.append("")
        needs_client = resource or any("JSONValue" in f[2] or "OwnerReference" in f[2] for f in fields)
        imports_lines = []
        # `public import` only where a public declaration mentions the module's types.
        meta_types = {n for m, n in self.names.values() if m == "MetaV1"} | {"Quantity", "IntOrString", "Time", "MicroTime"}
        uses_meta = any(t in meta_types for f in fields for t in re.findall(r"\w+", f[2]))
        if needs_client:
            imports_lines.append("public import RoperatorClient")
        if module != "MetaV1":
            imports_lines.append(("public import" if uses_meta else "import") + " RoperatorModelsMetaV1")
        for other in sorted(imports - {"MetaV1"}):
            imports_lines.append(f"public import RoperatorModels{other}")
        out.extend(imports_lines)
        if imports_lines:
            out.append("")
        if single_gvk:
            gv = (single_gvk["group"] + "/" if single_gvk["group"] else "") + single_gvk["version"]
            out.append(f"/// The `{gv}` `{single_gvk['kind']}` kind (`{key}`).")
        else:
            out.append(f"/// `{key}`.")
        out.append("///")
        out.append(f"/// Kubernetes API reference: <{self.anchor(key, single_gvk['kind'] if single_gvk else None)}>")
        out.append(f"public struct {name}: {', '.join(conformances)} {{")
        if single_gvk:
            group, version, kind = single_gvk["group"], single_gvk["version"], single_gvk["kind"]
            if resource:
                plural = plural_of(kind)
                namespaced = "false" if kind in CLUSTER_SCOPED else "true"
                out.append(f"    public static let group = \"{group}\"")
                out.append(f"    public static let version = \"{version}\"")
                out.append(f"    public static let kind = \"{kind}\"")
                out.append(f"    public static let plural = \"{plural}\"")
                out.append(f"    public static let namespaced = {namespaced}")
            else:
                gv = (group + "/" if group else "") + version
                out.append("    /// The `apiVersion` every encoded value carries.")
                out.append(f"    public static let apiVersion = \"{gv}\"")
                out.append("    /// The `kind` every encoded value carries.")
                out.append(f"    public static let kind = \"{kind}\"")
            out.append("")
        for json_name, swift_name, swift_type, is_required, container, text in fields:
            optional = "" if is_required else "?"
            out.append(f"    /// `{json_name}`: {text}{'' if is_required else ', optional'}.")
            out.append(f"    public var {swift_name}: {swift_type}{optional}")
        if fields:
            out.append("")
        # Memberwise initializer.
        params = []
        # Required fields first (so `Container(name: "web", image: "nginx")` reads naturally), then
        # `metadata`, then the rest by name.
        for json_name, swift_name, swift_type, is_required, container, _ in sorted(fields, key=init_order):
            label = json_name
            if is_required:
                default = (" = [:]" if swift_type.startswith("[String:") else " = []") if container else ""
                params.append(f"{label}: {swift_type}{default}")
            else:
                params.append(f"{label}: {swift_type}? = nil")
        out.append("    /// A value from its fields; optional fields default to absent.")
        if params:
            out.append("    public init(")
            for i, p in enumerate(params):
                out.append(f"        {p}{',' if i < len(params) - 1 else ''}")
            out.append("    ) {")
            for json_name, swift_name, *_ in sorted(fields, key=init_order):
                out.append(f"        self.{swift_name} = {swift_name}")
            out.append("    }")
        else:
            out.append("    public init() {}")
        out.append("")
        if self.codable == "synthesized":
            # For build-time comparisons only (--codable synthesized): what the compiler derives.
            # It cannot write the constant apiVersion/kind, so its output is not a usable model.
            out.pop()
        else:
            # Decoding: unknown keys are ignored; absent or null optional fields stay nil; absent or null
            # required lists and maps (which Go writes as null when empty) decode as empty.
            out.append("    public init(from decoder: any Decoder) throws {")
            if fields:
                out.append("        let c = try decoder.container(keyedBy: ModelCodingKey.self)")
                for json_name, swift_name, swift_type, is_required, container, _ in fields:
                    if is_required and container:
                        empty = "[:]" if swift_type.startswith("[String:") else "[]"
                        out.append(f"        {swift_name} = try c.decodeIfPresent({swift_type}.self, forKey: \"{json_name}\") ?? {empty}")
                    elif is_required:
                        out.append(f"        {swift_name} = try c.decode({swift_type}.self, forKey: \"{json_name}\")")
                    else:
                        out.append(f"        {swift_name} = try c.decodeIfPresent({swift_type}.self, forKey: \"{json_name}\")")
            out.append("    }")
            out.append("")
            out.append("    public func encode(to encoder: any Encoder) throws {")
            if fields or single_gvk:
                out.append("        var c = encoder.container(keyedBy: ModelCodingKey.self)")
            if single_gvk:
                out.append("        try c.encode(Self.apiVersion, forKey: \"apiVersion\")")
                out.append("        try c.encode(Self.kind, forKey: \"kind\")")
            for json_name, swift_name, swift_type, is_required, container, _ in fields:
                verb = "encode" if is_required else "encodeIfPresent"
                out.append(f"        try c.{verb}({swift_name}, forKey: \"{json_name}\")")
            out.append("    }")
        out.append("}")
        return module, name, "\n".join(out) + "\n", imports

    def run(self):
        self.select()
        module_deps = {}
        counts = {}
        for module, *_ in PACKAGES.values():
            directory = os.path.join(MODELS, module, "Generated")
            if os.path.isdir(directory):
                shutil.rmtree(directory)
            os.makedirs(directory)
        for key in self.selected:
            module, name, text, imports = self.render(key)
            with open(os.path.join(MODELS, module, "Generated", name + ".swift"), "w") as fh:
                fh.write(text)
            module_deps.setdefault(module, set()).update(imports - {module})
            counts[module] = counts.get(module, 0) + 1
        for module in sorted(counts):
            deps = sorted(module_deps[module] | ({"MetaV1"} if module != "MetaV1" else set()))
            print(f"{module}: {counts[module]} types; depends on {', '.join(deps) or 'RoperatorClient only'}")
        if not self.experiment:
            self.write_samples()
        umbrella = os.path.join(MODELS, "RoperatorModels")
        os.makedirs(umbrella, exist_ok=True)
        with open(os.path.join(umbrella, "RoperatorModels.swift"), "w") as fh:
            fh.write("// Generated by Scripts/generate-models.py. Do not edit.\n\n")
            fh.write("/// Every typed Kubernetes model; import a single group's module to compile less.\n")
            for module in sorted(counts):
                fh.write(f"@_exported public import RoperatorModels{module}\n")
        print("Package.swift table (modelModules):")
        for module in sorted(counts, key=lambda m: (m != "MetaV1", m != "CoreV1", m)):
            deps = sorted(module_deps[module] - {"MetaV1"})
            print(f'    ("{module}", [{", ".join(chr(34) + d + chr(34) for d in deps)}]),')
        for old, new in self.renamed:
            print(f"renamed {old} -> {new} (the name is taken by RoperatorClient or Roperator)")


SAMPLE_SPECIAL = {
    "Quantity": "1536Mi",
    "IntOrString": 8080,
    "Time": "2026-01-02T03:04:05Z",
    "MicroTime": "2026-01-02T03:04:05.123456Z",
    "JSONValue": {"sample": [1, "two", True]},
}


def sample(gen, schema, name, depth):
    """A value for every field of `schema`, so a round trip exercises every modelled field."""
    if "$ref" in schema:
        key = schema["$ref"].split("/")[-1]
        if key in SPECIAL:
            if SPECIAL[key] == "OwnerReference":
                return {"apiVersion": "v1", "kind": "Sample", "name": "owner", "uid": "u-1", "controller": True,
                        "blockOwnerDeletion": True}
            return SAMPLE_SPECIAL[SPECIAL[key]]
        return sample_object(gen, key, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = [k for k in kind if k != "null"][0]
    if kind == "string":
        if schema.get("enum"):
            return schema["enum"][0]
        return "c2FtcGxl" if schema.get("format") == "byte" else f"{name}-value"
    if kind == "integer":
        return 7 if schema.get("format") == "int32" else 9000000000
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(gen, schema["items"], name, depth)]
    if kind == "object":
        if "additionalProperties" in schema:
            return {"key": sample(gen, schema["additionalProperties"], name, depth)}
        return {"free": {"form": 1}}
    raise ValueError(schema)


def sample_object(gen, key, depth):
    schema = gen.defs[key]
    if depth > 8:
        # Deep enough: keep only the required fields, which must be present.
        names = schema.get("required", [])
    else:
        names = schema.get("properties", {}).keys()
    gvks = schema.get("x-kubernetes-group-version-kind", [])
    out = {}
    for field in names:
        prop = schema["properties"][field]
        out[field] = sample(gen, prop, field, depth)
    if len(gvks) == 1:
        gvk = gvks[0]
        out["apiVersion"] = (gvk["group"] + "/" if gvk["group"] else "") + gvk["version"]
        out["kind"] = gvk["kind"]
    return out


def write_samples_method(self):
    tests = os.path.join(ROOT, "Tests", "RoperatorModelsTests")
    os.makedirs(os.path.join(tests, "Samples"), exist_ok=True)
    samples = {}
    lines = [
        "// Generated by Scripts/generate-models.py. Do not edit.",
        "",
        "import RoperatorClient",
        "import RoperatorModels",
        "",
        "/// Every generated type with a kind, and how to round-trip a sample of it through the typed model.",
        "let generatedKinds: [(name: String, roundTrip: @Sendable (JSONValue) throws -> JSONValue)] = [",
    ]
    for key in self.selected:
        gvks = self.defs[key].get("x-kubernetes-group-version-kind", [])
        if len(gvks) != 1:
            continue
        module, name = self.names[key]
        samples[key] = sample_object(self, key, 0)
        lines.append(f'    ("{key}", {{ try roundTrip(RoperatorModels{module}.{name}.self, $0) }}),')
    lines.append("]")
    with open(os.path.join(tests, "GeneratedKinds.swift"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(os.path.join(tests, "Samples", "samples.json"), "w") as fh:
        json.dump(samples, fh, indent=None, sort_keys=True, separators=(",", ":"))
        fh.write("\n")


Generator.write_samples = write_samples_method


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kubernetes-version", default="1.33", help="Kubernetes minor version, e.g. 1.33")
    parser.add_argument("--codable", choices=["explicit", "synthesized"], default="explicit",
                        help="explicit init(from:)/encode(to:) (the default), or synthesized, to compare build cost")
    parser.add_argument("--output", help="write the modules here instead of Sources/Models (for experiments)")
    parser.add_argument("--definitions", help="path to definitions.json (default: "
                        "../shared/reference/kubernetes-<version>/openapi/definitions.json)")
    args = parser.parse_args()
    path = args.definitions or os.path.join(
        ROOT, "..", "shared", "reference", f"kubernetes-{args.kubernetes_version}", "openapi", "definitions.json")
    with open(path) as fh:
        document = json.load(fh)
    defs = document.get("$defs") or document.get("definitions")
    if args.output:
        global MODELS
        MODELS = os.path.abspath(args.output)
    generator = Generator(defs, args.kubernetes_version, args.codable)
    generator.experiment = args.output is not None
    generator.run()


if __name__ == "__main__":
    main()
