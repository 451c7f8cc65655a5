import RoperatorClient
import RoperatorAPIServer
import Testing

/// The official Python client creates built-in objects and reads back kube-apiserver's defaults;
/// the objects the server returns validate against the Kubernetes 1.33 schemas of
/// `kubernetes-validate`, strictly.
@Suite("Python kubernetes client on built-in kinds")
struct PythonBuiltInKindsTests {
    static let script = #"""
        import json, sys
        from kubernetes import client, config
        import kubernetes_validate

        config.load_kube_config(config_file=sys.argv[1])
        api = client.ApiClient()
        apps = client.AppsV1Api(api)
        core = client.CoreV1Api(api)
        results = {}

        container = client.V1Container(name="web", image="nginx:1.25",
            ports=[client.V1ContainerPort(container_port=80)],
            resources=client.V1ResourceRequirements(requests={"cpu": "0.5", "memory": "1000Mi"}))
        deployment = client.V1Deployment(
            metadata=client.V1ObjectMeta(name="web"),
            spec=client.V1DeploymentSpec(
                selector=client.V1LabelSelector(match_labels={"app": "web"}),
                template=client.V1PodTemplateSpec(
                    metadata=client.V1ObjectMeta(labels={"app": "web"}),
                    spec=client.V1PodSpec(containers=[container]))))
        apps.create_namespaced_deployment("default", deployment)
        read = apps.read_namespaced_deployment("web", "default")
        c = read.spec.template.spec.containers[0]
        results["replicas"] = read.spec.replicas == 1
        results["strategy"] = read.spec.strategy.type == "RollingUpdate" and read.spec.strategy.rolling_update.max_surge == "25%"
        results["revision_history_limit"] = read.spec.revision_history_limit == 10
        results["progress_deadline"] = read.spec.progress_deadline_seconds == 600
        results["pull_policy"] = c.image_pull_policy == "IfNotPresent"
        results["termination_message"] = c.termination_message_path == "/dev/termination-log" and c.termination_message_policy == "File"
        results["port_protocol"] = c.ports[0].protocol == "TCP"
        results["quantities"] = c.resources.requests == {"cpu": "500m", "memory": "1000Mi"}
        results["pod_spec"] = (read.spec.template.spec.restart_policy == "Always"
            and read.spec.template.spec.dns_policy == "ClusterFirst"
            and read.spec.template.spec.scheduler_name == "default-scheduler"
            and read.spec.template.spec.termination_grace_period_seconds == 30)
        results["generation"] = read.metadata.generation == 1

        core.create_namespaced_service("default", client.V1Service(
            metadata=client.V1ObjectMeta(name="web"),
            spec=client.V1ServiceSpec(selector={"app": "web"}, ports=[client.V1ServicePort(port=80)])))

        # The raw objects, as the server sent them, against the 1.33 schemas.
        raw = {
            "Deployment": apps.read_namespaced_deployment("web", "default", _preload_content=False).data,
            "Service": core.read_namespaced_service("web", "default", _preload_content=False).data,
            "DeploymentList": apps.list_namespaced_deployment("default", _preload_content=False).data,
        }
        for name, data in raw.items():
            try:
                kubernetes_validate.validate(json.loads(data), "1.33", strict=True)
                results["valid_" + name] = True
            except kubernetes_validate.ValidationError as error:
                print("%s: %s at %s" % (name, error.message, list(error.path)), file=sys.stderr)
                results["valid_" + name] = False
        print(json.dumps(results))
        """#

    @Test func deploymentDefaultsAndValidObjects() async throws {
        try await PythonClientTests.runChecks(Self.script, module: "kubernetes_validate", expecting: 13)
    }
}
