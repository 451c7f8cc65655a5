import RoperatorClient

/// The name of the `index`th benchmark object.
func objectName(_ index: Int) -> String {
    let digits = String(index)
    return "bench-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
}

/// The ConfigMap every load creates: object `index` in `namespace`.
func benchmarkConfigMap(_ index: Int, namespace: String) -> JSONValue {
    [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": .string(objectName(index)), "namespace": .string(namespace)],
        "data": ["index": .string(String(index)), "payload": "benchmark"],
    ]
}
