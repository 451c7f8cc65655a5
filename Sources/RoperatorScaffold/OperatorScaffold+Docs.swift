extension OperatorScaffold {
    /// `Dockerfile`: a release build with the Swift runtime linked statically, on a slim image.
    var dockerfile: String {
        """
        # Builds \(name) into a small image: docker build -t \(name) .
        FROM swift:6.1-jammy AS build
        WORKDIR /src
        COPY Package.swift Package.resolved* ./
        RUN swift package resolve
        COPY . .
        RUN swift build -c release --product \(name) --static-swift-stdlib \\
            && cp -r "$(swift build -c release --show-bin-path)" /out

        FROM ubuntu:jammy
        RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \\
            && rm -rf /var/lib/apt/lists/*
        # The executable and its resource bundle (the CRD that --print-crd prints).
        COPY --from=build /out/\(name) /usr/local/bin/\(name)
        COPY --from=build /out/\(name)_\(moduleName).resources /usr/local/bin/\(name)_\(moduleName).resources
        USER 65532:65532
        ENTRYPOINT ["/usr/local/bin/\(name)"]

        """
    }

    /// `README.md`: the two commands, then the way to a cluster.
    var readme: String {
        """
        # \(name)

        A Kubernetes operator written with [Roperator](\(dependencyLink)): for every `\(kind)`
        (`\(apiVersion)`) it keeps a ConfigMap `<name>-\(lowerKind)` holding `spec.message`, and reports it
        in the status.

        Run it against an in-process Kubernetes API server (the CRD registered and a sample \(kind)
        created; it prints a `kubectl` line to try, and stops on Ctrl-C):

        ```sh
        swift run \(name) --embedded
        ```

        Test the handler against the same embedded API server:

        ```sh
        swift test
        ```

        ## Layout

        | file | what |
        | --- | --- |
        | `Sources/\(moduleName)/\(kind)Spec.swift`, `\(kind)Status.swift` | the custom resource's Swift types |
        | `Sources/\(moduleName)/crd.yaml` | its CustomResourceDefinition (keep it in step with the types) |
        | `Sources/\(moduleName)/\(kind).swift` | the type and the `OperatorConfig` |
        | `Sources/\(moduleName)/\(kind)Handler.swift` | the reconcile logic |
        | `Sources/\(name)/` | the executable |
        | `Tests/\(moduleName)Tests/` | a TestKit test |
        | `config/rbac.yaml`, `config/deployment.yaml` | ServiceAccount, ClusterRole and Deployment |
        | `config/sample.yaml` | a sample \(kind) |

        ## On a cluster

        ```sh
        swift run \(name) --print-crd | kubectl apply -f -
        swift run \(name)                              # the current kubeconfig's cluster
        kubectl apply -f config/sample.yaml
        ```

        In the cluster, build the image and apply the manifests (set the Deployment's `image`):

        ```sh
        docker build -t \(name) .
        kubectl apply -f config/rbac.yaml -f config/deployment.yaml
        ```

        """
    }

    private var dependencyLink: String {
        switch dependency {
        case .path(let path): return path
        case .url(let url): return url.hasSuffix(".git") ? String(url.dropLast(4)) : url
        }
    }
}
