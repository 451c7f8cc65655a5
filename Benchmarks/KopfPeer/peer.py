"""The kopf peer of OperatorBenchmark's cold start: the same operator written with kopf.

Every BenchParent gets spec.children ConfigMaps (same names, data and owner reference as the
Roperator benchmark operator) and the status {phase: Ready, children: N, observedGeneration}.

Speaks the driver's worker protocol on stdin/stdout: prints "started"; on "start" runs kopf and
prints "ready" once kopf is watching; answers "stats"; stops at end of input.

    .venv/bin/python Benchmarks/KopfPeer/peer.py --kubeconfig PATH --namespace bench [--concurrency 16]
"""

import argparse
import asyncio
import sys
import threading

import kopf
import kubernetes
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "bench.roperator.io", "v1", "benchparents"

parser = argparse.ArgumentParser()
parser.add_argument("--kubeconfig", required=True)
parser.add_argument("--namespace", default="bench")
parser.add_argument("--concurrency", type=int, default=16)
arguments = parser.parse_args()

kubernetes.config.load_kube_config(config_file=arguments.kubeconfig)
core = kubernetes.client.CoreV1Api()


@kopf.on.startup()
def configure(settings: kopf.OperatorSettings, **_):
    settings.execution.max_workers = arguments.concurrency
    settings.posting.enabled = False  # no Kubernetes Events, as the Roperator worker records none
    settings.watching.server_timeout = 3600


@kopf.on.login()
def login(**kwargs):
    return kopf.login_with_kubeconfig(**kwargs)


@kopf.on.create(GROUP, VERSION, PLURAL)
@kopf.on.update(GROUP, VERSION, PLURAL, field="spec")
@kopf.on.resume(GROUP, VERSION, PLURAL)
def sync(body, spec, name, namespace, meta, patch, **_):
    children = int(spec.get("children", 3))
    for index in range(children):
        child = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"{name}-{index}", "namespace": namespace},
            "data": {"parent": name, "index": str(index), "greeting": spec.get("greeting", "")},
        }
        kopf.adopt(child, owner=body)
        try:
            core.create_namespaced_config_map(namespace, child)
        except ApiException as error:
            if error.status != 409:
                raise
            core.replace_namespaced_config_map(f"{name}-{index}", namespace, child)
    patch.status["phase"] = "Ready"
    patch.status["children"] = children
    patch.status["observedGeneration"] = meta.get("generation")


def main():
    ready = threading.Event()
    stop = threading.Event()

    def commands():
        for line in sys.stdin:
            command = line.strip()
            if command == "start":
                threading.Thread(target=announce_ready, daemon=True).start()
                started.set()
            elif command == "stats":
                print("stats kopf", flush=True)
        stop.set()
        started.set()

    def announce_ready():
        ready.wait()
        print("ready", flush=True)

    started = threading.Event()
    threading.Thread(target=commands, daemon=True).start()
    print("started", flush=True)
    started.wait()
    if stop.is_set():
        return
    kopf.run(
        namespaces=[arguments.namespace],
        standalone=True,
        ready_flag=ready,
        stop_flag=stop,
    )


if __name__ == "__main__":
    main()
