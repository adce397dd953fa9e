namespace Strata.Kubernetes.Tests;

using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Kubernetes.Objects;
using Strata.Testing;

/// <summary>The checks beyond the Pod Security Standards (K8S-), run through <see cref="KubernetesObjectScanner"/> on manifests shaped like real ones.</summary>
public sealed class KubernetesObjectScannerTests
{
    /// <summary>The pod of issue 14: hostPath /, SYS_ADMIN added, seccomp Unconfined, a hostPort, procMount Unmasked.</summary>
    private const string EscapePod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: escape
          namespace: dev
        spec:
          securityContext:
            seccompProfile:
              type: Unconfined
          containers:
          - name: shell
            image: busybox
            securityContext:
              procMount: Unmasked
              capabilities:
                add: ["SYS_ADMIN"]
            ports:
            - containerPort: 8080
              hostPort: 80
            volumeMounts:
            - name: host
              mountPath: /host
          volumes:
          - name: host
            hostPath:
              path: /
        """;

    /// <summary>Shaped after a well-known microservices demo: no securityContext, no seccomp, untagged images, a public LoadBalancer.</summary>
    private const string MicroservicesDemo = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: frontend
        spec:
          selector:
            matchLabels:
              app: frontend
          template:
            metadata:
              labels:
                app: frontend
            spec:
              containers:
                - name: server
                  image: gcr.io/google-samples/microservices-demo/frontend
                  ports:
                  - containerPort: 8080
                  env:
                  - name: PORT
                    value: "8080"
                  - name: PRODUCT_CATALOG_SERVICE_ADDR
                    value: "productcatalogservice:3550"
                  resources:
                    requests:
                      cpu: 100m
                      memory: 64Mi
                    limits:
                      cpu: 200m
                      memory: 128Mi
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: frontend-external
        spec:
          type: LoadBalancer
          selector:
            app: frontend
          ports:
          - name: http
            port: 80
            targetPort: 8080
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: redis-cart
        spec:
          selector:
            matchLabels:
              app: redis-cart
          template:
            metadata:
              labels:
                app: redis-cart
            spec:
              containers:
              - name: redis
                image: redis:alpine
                ports:
                - containerPort: 6379
                volumeMounts:
                - mountPath: /data
                  name: redis-data
              volumes:
              - name: redis-data
                emptyDir: {}
        """;

    private static readonly KubernetesObjectScanner Scanner = new(BuiltInSecrets.Provider);

    [Fact]
    public async Task The_issue_pod_is_flagged_by_the_workload_rules_at_their_paths_and_lines()
    {
        var findings = await ScanAsync(EscapePod);

        var hostPath = Assert.Single(findings, f => f.RuleId == "K8S-004");
        Assert.Equal(Severity.Critical, hostPath.Severity);
        Assert.Equal("$.spec.volumes[0].hostPath.path", hostPath.Location.JsonPath);
        Assert.Equal(26, hostPath.Location.Line);
        Assert.Equal("Pod/dev/escape", hostPath.Location.Subject);
        Assert.Contains("shell (writable)", hostPath.Message, StringComparison.Ordinal);

        var seccomp = Assert.Single(findings, f => f.RuleId == "K8S-006");
        Assert.Equal("$.spec.securityContext.seccompProfile.type", seccomp.Location.JsonPath);
        Assert.Equal(9, seccomp.Location.Line);

        var port = Assert.Single(findings, f => f.RuleId == "K8S-007");
        Assert.Equal("$.spec.containers[0].ports[0].hostPort", port.Location.JsonPath);
        Assert.Equal(Severity.Medium, port.Severity);

        Assert.Contains(findings, f => f.RuleId == "K8S-003");
        Assert.Contains(findings, f => f.RuleId == "K8S-002" && f.Severity == Severity.Medium);
    }

    [Fact]
    public async Task A_microservices_demo_gets_workload_network_and_exposure_findings()
    {
        var findings = await ScanAsync(MicroservicesDemo);

        Assert.Equal(2, findings.Count(f => f.RuleId == "K8S-003"));
        Assert.Equal(2, findings.Count(f => f.RuleId == "K8S-008"));
        Assert.Equal(2, findings.Count(f => f.RuleId == "K8S-009"));
        var limits = Assert.Single(findings, f => f.RuleId == "K8S-002");
        Assert.Equal("Deployment/redis-cart", limits.Location.Subject);

        var network = Assert.Single(findings, f => f.RuleId == "K8S-021");
        Assert.Contains("2 workloads (first Deployment/frontend)", network.Message, StringComparison.Ordinal);

        var exposed = Assert.Single(findings, f => f.RuleId == "K8S-022");
        Assert.Equal(Severity.Low, exposed.Severity);
        Assert.Equal("$.spec.type", exposed.Location.JsonPath);
        Assert.Contains("80/TCP → 8080", exposed.Message, StringComparison.Ordinal);
        Assert.Contains("app=frontend", exposed.Message, StringComparison.Ordinal);

        // The demo writes no credential: the plain-text secret rule must stay quiet.
        Assert.DoesNotContain(findings, f => f.RuleId == "K8S-011");
    }

    [Fact]
    public async Task List_items_are_objects_with_their_own_json_paths()
    {
        const string list = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: settings
              data:
                LOG_LEVEL: info
            - apiVersion: apps/v1
              kind: DaemonSet
              metadata:
                name: agent
                namespace: monitoring
              spec:
                template:
                  spec:
                    containers:
                    - name: agent
                      image: agent:1.2
                    volumes:
                    - name: sock
                      hostPath:
                        path: /run/containerd/containerd.sock
            - apiVersion: rbac.authorization.k8s.io/v1
              kind: ClusterRole
              metadata:
                name: agent
              rules:
              - apiGroups: [""]
                resources: ["nodes/proxy"]
                verbs: ["get"]
            """;
        var findings = await ScanAsync(list);

        var socket = Assert.Single(findings, f => f.RuleId == "K8S-004");
        Assert.Equal("$.items[1].spec.template.spec.volumes[0].hostPath.path", socket.Location.JsonPath);
        Assert.Equal(Severity.Critical, socket.Severity);
        Assert.Equal(24, socket.Location.Line);
        var proxy = Assert.Single(findings, f => f.RuleId == "K8S-017");
        Assert.Equal("$.items[2].rules[0]", proxy.Location.JsonPath);
        Assert.Equal("ClusterRole/agent", proxy.Location.Subject);
    }

    [Fact]
    public async Task Multi_document_yaml_with_anchors_is_read_whole()
    {
        const string anchors = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
            spec:
              template:
                spec:
                  containers:
                  - name: api
                    image: shop/api:2.1
                    securityContext: &hardened
                      readOnlyRootFilesystem: true
                  - name: sidecar
                    image: envoy:v1.30
                    securityContext: *hardened
                    env:
                    - name: ADMIN_TOKEN
                      value: 8f2c1e9a7b
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            """;
        var findings = await ScanAsync(anchors);

        Assert.DoesNotContain(findings, f => f.RuleId == "K8S-003");
        var secret = Assert.Single(findings, f => f.RuleId == "K8S-011");
        Assert.Equal("$.spec.template.spec.containers[1].env[0].value", secret.Location.JsonPath);
        Assert.Equal(19, secret.Location.Line);
        Assert.DoesNotContain("8f2c1e9a7b", secret.Message, StringComparison.Ordinal);
        Assert.True(secret.Evidence?.IsRedacted);
        Assert.Single(findings, f => f.RuleId == "K8S-021" && f.Message.StartsWith("Namespace shop:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_input_is_read_as_yaml()
    {
        const string json = """
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
             "metadata": {"name": "everyone"},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
             "subjects": [{"kind": "Group", "name": "system:unauthenticated", "apiGroup": "rbac.authorization.k8s.io"}]}
            """;
        var findings = await ScanAsync(json, "binding.json");

        Assert.Single(findings, f => f.RuleId == "K8S-018");
        var open = Assert.Single(findings, f => f.RuleId == "K8S-019");
        Assert.Equal(Severity.Critical, open.Severity);
        Assert.Equal("$.subjects[0]", open.Location.JsonPath);
        Assert.Equal(4, open.Location.Line);
    }

    [Fact]
    public async Task A_service_account_path_to_cluster_admin_is_followed_across_documents_in_any_order()
    {
        const string manifests = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: deployer
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: deployer
            subjects:
            - kind: ServiceAccount
              name: ci
              namespace: build
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: runner
              namespace: build
            spec:
              template:
                spec:
                  serviceAccountName: ci
                  containers:
                  - name: runner
                    image: ci/runner:3.0
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: deployer
            rules:
            - apiGroups: ["apps"]
              resources: ["deployments"]
              verbs: ["get", "list"]
            - apiGroups: [""]
              resources: ["users", "groups"]
              verbs: ["impersonate"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata:
              name: viewer
              namespace: build
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: view
            subjects:
            - kind: ServiceAccount
              name: ci
              namespace: build
            """;
        var findings = await ScanAsync(manifests);

        var path = Assert.Single(findings, f => f.RuleId == "K8S-020");
        Assert.Equal("$.subjects[0]", path.Location.JsonPath);
        Assert.Equal(10, path.Location.Line);
        Assert.Equal("ClusterRoleBinding/deployer", path.Location.Subject);
        Assert.Contains("ServiceAccount build/ci → ClusterRoleBinding/deployer → ClusterRole deployer → ClusterRole/deployer.rules[1]", path.Message, StringComparison.Ordinal);
        Assert.Contains("Deployment/build/runner runs as it", path.Message, StringComparison.Ordinal);
        Assert.Single(findings, f => f.RuleId == "K8S-016");
    }

    [Fact]
    public async Task A_cluster_wide_binding_to_a_built_in_role_not_in_the_input_is_followed()
    {
        const string binding = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: argo-edit
            roleRef:
              apiGroup: rbac.authorization.k8s.io
              kind: ClusterRole
              name: edit
            subjects:
            - kind: ServiceAccount
              name: argo
              namespace: argo
            """;
        var findings = await ScanAsync(binding);

        var path = Assert.Single(findings, f => f.RuleId == "K8S-020");
        Assert.Contains("ServiceAccount argo/argo → ClusterRoleBinding/argo-edit → ClusterRole edit → the built-in ClusterRole edit", path.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rbac_rules_name_the_power_and_skip_kubernetes_own_roles()
    {
        const string roles = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata:
              name: operator
              namespace: shop
            rules:
            - apiGroups: ["*"]
              resources: ["*"]
              verbs: ["*"]
            - apiGroups: [""]
              resources: ["secrets"]
              verbs: ["watch"]
            - apiGroups: [""]
              resources: ["pods/attach"]
              verbs: ["get"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: system:controller:replicaset-controller
            rules:
            - apiGroups: [""]
              resources: ["pods"]
              verbs: ["create", "delete"]
            """;
        var findings = await ScanAsync(roles);

        var wildcard = Assert.Single(findings, f => f.RuleId == "K8S-012");
        Assert.Equal(Severity.High, wildcard.Severity);
        Assert.Equal("$.rules[0]", wildcard.Location.JsonPath);
        Assert.Equal(2, findings.Count(f => f.RuleId == "K8S-013"));
        Assert.Equal(["$.rules[0]", "$.rules[2]"], findings.Where(f => f.RuleId == "K8S-015").Select(f => f.Location.JsonPath));
        Assert.Single(findings, f => f.RuleId == "K8S-014");
        Assert.DoesNotContain(findings, f => f.Location.Subject?.Contains("system:", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Secret_values_are_reported_once_configmaps_and_annotations_included()
    {
        const string manifests = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: shop
              annotations:
                example.com/api-key: 9c1d44e0aa
            data:
              DB_SECRET: postgres://admin:s3cretP4ss@db:5432/shop
              SMTP_PASSWORD: quokkapie77
              LOG_LEVEL: info
            """;
        var findings = await ScanAsync(manifests);
        var manifestFindings = await ScanAsync(manifests, scanner: new KubernetesManifestScanner(BuiltInSecrets.Provider));

        var plain = findings.Where(f => f.RuleId == "K8S-011").ToList();
        Assert.Equal(["$.metadata.annotations['example.com/api-key']", "$.data.SMTP_PASSWORD"], plain.Select(f => f.Location.JsonPath));

        // The database URL is a SEC- rule's finding (the text scan), not K8S-011's.
        Assert.Contains(manifestFindings, f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal) && f.Location.Line == 8);
        Assert.DoesNotContain(plain, f => f.Location.Line == 8);
    }

    [Fact]
    public void Exposure_is_recorded_as_facts_for_the_cross_layer_report()
    {
        const string ingress = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: shop
              namespace: web
            spec:
              tls:
              - hosts: [shop.example.com]
                secretName: shop-tls
              rules:
              - host: shop.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: frontend
                        port:
                          number: 80
              - host: admin.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: admin
                        port:
                          name: http
            """;
        var node = YamlSource.Parse(ingress, "ingress.yaml").Documents[0];
        var endpoint = Assert.Single(ExposedEndpoint.Of(KubernetesObject.From("ingress.yaml", node)!));

        Assert.Equal(ExposureKind.Ingress, endpoint.Kind);
        Assert.Equal("Ingress/web/shop", endpoint.ObjectName);
        Assert.Equal(["shop.example.com", "admin.example.com"], endpoint.Hosts);
        Assert.Equal(["service/frontend:80", "service/admin:http"], endpoint.Selector);
        Assert.False(endpoint.Tls);
        Assert.Equal("$.spec.rules", endpoint.JsonPath);
    }

    [Fact]
    public async Task Findings_of_many_objects_are_folded_past_the_per_rule_limit()
    {
        var documents = string.Join("---\n", Enumerable.Range(0, 300).Select(i => $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n  - name: c\n    image: app:1.0\n"));
        var findings = await ScanAsync(documents, context: new ScanContext { Limits = Core.Limits.Default with { MaxFindingsPerRule = 10 } });

        var writable = findings.Where(f => f.RuleId == "K8S-003").ToList();
        Assert.Equal(11, writable.Count);
        Assert.Equal(290, writable.Sum(f => f.Folded));
        Assert.Single(findings, f => f.RuleId == "K8S-021" && f.Message.Contains("300 workloads", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<Finding>> ScanAsync(string text, string name = "manifest.yaml", ScanContext? context = null, Core.Scanning.ITargetScanner? scanner = null)
    {
        using var directory = new TempDirectory("strata-k8s-objects");
        var path = directory.WriteFile(name, text);
        return await (scanner ?? Scanner).ScanAsync(new ScanTarget(TargetKind.KubernetesManifest, path, path), context ?? new ScanContext(), CancellationToken.None);
    }
}
