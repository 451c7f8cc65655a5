import RoperatorClient

/// A Deployment as a user writes it: no field the server defaults.
func deployment(_ name: String, image: String = "nginx:1.25", cpu: String? = nil, memory: String? = nil) -> JSONValue {
    var container: JSONValue = [
        "name": "web", "image": .string(image), "ports": [["containerPort": 80, "name": "http"]],
    ]
    var requests: [String: JSONValue] = [:]
    if let cpu { requests["cpu"] = .string(cpu) }
    if let memory { requests["memory"] = .string(memory) }
    if !requests.isEmpty { container["resources"] = ["requests": .object(requests)] }
    return [
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name)],
        "spec": [
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": ["containers": [container]],
            ],
        ],
    ]
}

/// A Service as a user writes it.
func service(_ name: String, port: Int64 = 80) -> JSONValue {
    [
        "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)],
        "spec": ["selector": ["app": .string(name)], "ports": [["port": .int(port)]]],
    ]
}
