namespace Strata.Cli.Tests;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Strata.Core.Documents;
using Strata.Kubernetes.Live;
using Strata.Testing;
using YamlDotNet.RepresentationModel;

/// <summary>
/// <c>strata k8s scan</c> against <see cref="K8sRecordedApiServer"/>, which stands in for a Kubernetes API server (none
/// can run on these machines): it serves list responses written here in the shape a real API server gives them
/// (<c>PodList</c> etc. with <c>metadata.resourceVersion</c>, items without <c>kind</c>/<c>apiVersion</c>, managedFields, a
/// <c>continue</c> token on the paginated pod list, a 403 Status for ClusterRoles), over http or TLS with a CA and
/// certificates made by the test, to a kubeconfig written by the test.
/// </summary>
public sealed class K8sScanTests : IDisposable
{
    private const string Token = "k8s-test-bearer-7f3a9c1e5b2d4068a1c3e5f7091b2d4f";
    private const string ContinueToken = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDgyMTMsInN0YXJ0Ijoid2ViLTVkOGY5In0";
    private const string SecretValue = "s3cr3t-Pa55w0rd-for-the-db";

    private readonly TempDirectory directory = new("strata-k8s");

    public void Dispose() => directory.Dispose();

    [Fact]
    public async Task ReportsEachWorkloadOnceAndGoesOnPastForbiddenLists()
    {
        await using var server = new K8sRecordedApiServer(Cluster());
        var kubeconfig = Kubeconfig(server.Url, $"token: {Token}");
        var before = LeftoverSnapshots();

        var result = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", kubeconfig, "--format", "json", "--fail-on", "HIGH");

        Assert.True(result.ExitCode == 1, result.StdErr);
        using var report = JsonDocument.Parse(result.StdOut);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToList();
        var privileged = findings.Where(f => f.GetProperty("ruleId").GetString() == "PSS-001").ToList();
        var only = Assert.Single(privileged);
        Assert.Equal("cluster:test-ctx", only.GetProperty("target").GetString());
        Assert.Equal("Deployment/shop/web", only.GetProperty("location").GetProperty("subject").GetString());
        Assert.StartsWith("$.spec.template.spec.containers[0]", only.GetProperty("location").GetProperty("jsonPath").GetString(), StringComparison.Ordinal);
        Assert.False(only.GetProperty("location").TryGetProperty("line", out _));

        // The second page of pods was read: its unowned pod shares the host's PID namespace.
        Assert.Contains(findings, f => f.GetProperty("ruleId").GetString() == "PSS-002" && f.GetProperty("location").GetProperty("subject").GetString() == "Pod/shop/tools");
        Assert.DoesNotContain(findings, f => f.GetProperty("location").GetProperty("subject").GetString() is { } s && (s.StartsWith("ReplicaSet/", StringComparison.Ordinal) || s.Contains("web-5d8f", StringComparison.Ordinal)));

        Assert.Contains("clusterroles: not listed: forbidden", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(report.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("clusterroles: not listed: forbidden", StringComparison.Ordinal));
        Assert.Contains("objects listed from http://127.0.0.1:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/pods?limit=500&continue={ContinueToken}", server.Requests.Select(r => r.Target));
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));

        Assert.DoesNotContain(Token, result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("strata-cluster-", result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, LeftoverSnapshots());

        var clean = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", kubeconfig, "--quiet");
        Assert.True(clean.ExitCode == 0, clean.StdErr);
        Assert.Contains("PSS-001", clean.StdOut, StringComparison.Ordinal);
        Assert.Empty(clean.StdErr);
    }

    [Fact]
    public async Task SnapshotHoldsNamespacesWithTheirLabelsAndHidesSecretValues()
    {
        await using var server = new K8sRecordedApiServer(Cluster());
        using var connection = ClusterConnection.Open(Kubeconfig(server.Url, $"token: {Token}"), null, TimeSpan.FromSeconds(30));
        using var stream = new MemoryStream();
        var problems = new List<string>();

        var listed = await ClusterSnapshot.WriteAsync(connection, new ClusterSnapshotOptions(), stream, problems.Add, CancellationToken.None);

        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var documents = YamlSource.Parse(text, "snapshot").Documents;
        Assert.Equal(listed.Objects, documents.Count);
        Assert.Equal(3, listed.OwnedSkipped);
        var shop = Assert.Single(documents, d => YamlSource.Scalar(d, "kind") == "Namespace" && YamlSource.Scalar(YamlSource.Child(d, "metadata"), "name") == "shop");
        Assert.Equal("v1", YamlSource.Scalar(shop, "apiVersion"));
        Assert.Equal("restricted", YamlSource.Scalar(YamlSource.Child(YamlSource.Child(shop, "metadata"), "labels"), "pod-security.kubernetes.io/enforce"));
        Assert.All(documents, d => Assert.NotNull(YamlSource.Scalar(d, "kind")));
        Assert.DoesNotContain("managedFields", text, StringComparison.Ordinal);

        var secret = Assert.Single(documents, d => YamlSource.Scalar(d, "kind") == "Secret");
        Assert.Equal("Opaque", YamlSource.Scalar(secret, "type"));
        Assert.Null(YamlSource.Child(secret, "data"));
        Assert.DoesNotContain("last-applied-configuration", text, StringComparison.Ordinal);
        Assert.Equal(["clusterroles: not listed: forbidden to these credentials (clusterroles.rbac.authorization.k8s.io is forbidden: User \"system:serviceaccount:default:viewer\" cannot list resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope)."], problems);
    }

    [Fact]
    public async Task IncludeSecretsRunsTheSecretRulesOverTheirValues()
    {
        await using var server = new K8sRecordedApiServer(Cluster());
        var kubeconfig = Kubeconfig(server.Url, $"token: {Token}");

        var result = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", kubeconfig, "--include-secrets", "--namespace", "shop", "--format", "json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.DoesNotContain(SecretValue, result.StdOut + result.StdErr, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(result.StdOut);
        var secret = Assert.Single(report.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("location").TryGetProperty("jsonPath", out var p) && p.GetString() == "$.data.password");
        Assert.StartsWith("SEC-", secret.GetProperty("ruleId").GetString(), StringComparison.Ordinal);
        Assert.Equal("Secret/shop/db", secret.GetProperty("location").GetProperty("subject").GetString());
        Assert.Contains("cluster:test-ctx Secret/shop/db", secret.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("/api/v1/namespaces/shop/secrets?limit=500", server.Requests.Select(r => r.Target));
        Assert.Contains("/api/v1/namespaces/shop", server.Requests.Select(r => r.Target));
        Assert.DoesNotContain("/api/v1/pods?limit=500", server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task TlsWithCaDataAndClientCertificate()
    {
        using var ca = Authority();
        using var serverCertificate = Issue(ca, "127.0.0.1", server: true);
        using var clientCertificate = Issue(ca, "strata-viewer", server: false);
        await using var server = new K8sRecordedApiServer(Cluster(), serverCertificate, clientCertificate);
        var caData = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
        var certData = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(clientCertificate.ExportCertificatePem()));
        var keyData = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(clientCertificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem()));

        var trusted = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", Kubeconfig(server.Url, $"client-certificate-data: {certData}\n    client-key-data: {keyData}", $"certificate-authority-data: {caData}"), "--format", "json");
        Assert.True(trusted.ExitCode == 0, trusted.StdErr);
        Assert.Contains("PSS-001", trusted.StdOut, StringComparison.Ordinal);
        Assert.All(server.Requests, r => Assert.True(r.ClientCertificate));

        var untrusted = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", Kubeconfig(server.Url, $"client-certificate-data: {certData}\n    client-key-data: {keyData}"));
        Assert.True(untrusted.ExitCode == 3, untrusted.StdErr);
        Assert.Contains("cannot reach the API server", untrusted.StdErr, StringComparison.Ordinal);

        var skipped = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", Kubeconfig(server.Url, $"client-certificate-data: {certData}\n    client-key-data: {keyData}", "insecure-skip-tls-verify: true"));
        Assert.True(skipped.ExitCode == 0, skipped.StdErr);
    }

    [Fact]
    public async Task ExecCredentialPluginGivesTheToken()
    {
        await using var server = new K8sRecordedApiServer(Cluster());
        var plugin = directory.WriteFile("plugin.sh", $$$"""
            printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"{{{Token}}}"}}'
            """);
        var kubeconfig = Kubeconfig(server.Url, $"exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n      args: [{plugin}]\n      interactiveMode: Never");

        var result = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", kubeconfig, "--format", "json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
        Assert.DoesNotContain(Token, result.StdOut + result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitCodesForBadConfigurationAndUnreachableOrRefusingServers()
    {
        await using var server = new K8sRecordedApiServer(new() { ["/api/v1/namespaces"] = (401, K8sRecordedApiServer.Status(401, "Unauthorized", "Unauthorized")) });
        var refused = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", Kubeconfig(server.Url, $"token: {Token}"));
        Assert.True(refused.ExitCode == 3, refused.StdErr);
        Assert.Contains("401 Unauthorized", refused.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, refused.StdErr, StringComparison.Ordinal);

        var missing = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", directory.Combine("nope"));
        Assert.Equal(2, missing.ExitCode);

        var context = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", Kubeconfig(server.Url, $"token: {Token}"), "--context", "other");
        Assert.Equal(2, context.ExitCode);
        Assert.Contains("no such context", context.StdErr, StringComparison.Ordinal);

        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var unreachable = await CliRunner.RunAsync("k8s", "scan", "--kubeconfig", Kubeconfig($"http://127.0.0.1:{port}", $"token: {Token}"));
        Assert.True(unreachable.ExitCode == 3, unreachable.StdErr);
        Assert.Contains("cannot reach the API server", unreachable.StdErr, StringComparison.Ordinal);
    }

    private static HashSet<string> LeftoverSnapshots() => [.. Directory.EnumerateFiles(Path.GetTempPath(), "strata-cluster-*")];

    private string Kubeconfig(string server, string user, string? clusterExtra = null)
    {
        var path = directory.Combine($"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: test-ctx
            clusters:
            - name: test
              cluster:
                server: {server}
                {clusterExtra ?? string.Empty}
            contexts:
            - name: test-ctx
              context:
                cluster: test
                user: viewer
            users:
            - name: viewer
              user:
                {user}
            """);
        return path;
    }

    private static X509Certificate2 Authority()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=strata-test-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), Guid.NewGuid().ToByteArray()[..8]);
        using var withKey = issued.CopyWithPrivateKey(key);

        // Through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }

    /// <summary>
    /// The recorded responses: namespace "shop" enforcing restricted, a privileged Deployment with its ReplicaSet and
    /// two Pods (owned), a standalone pod on the second page of pods, a Secret, and ClusterRoles forbidden.
    /// </summary>
    private static Dictionary<string, (int Status, string Body)> Cluster()
    {
        const string Managed = """[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1","time":"2026-11-02T09:14:03Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]""";
        const string Template = """{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"Always","securityContext":{"privileged":true}}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}}""";
        const string PodSpec = """{"containers":[{"name":"web","image":"nginx","resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"Always","securityContext":{"privileged":true}}],"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default","nodeName":"node-1","securityContext":{},"schedulerName":"default-scheduler","priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"}""";
        static string Empty(string kind, string apiVersion) => $$$$"""{"kind":"{{{{kind}}}}","apiVersion":"{{{{apiVersion}}}}","metadata":{"resourceVersion":"48213"},"items":[]}""";
        string OwnedPod(string name) => $$$$"""{"metadata":{"name":"{{{{name}}}}","generateName":"web-5d8f9c746d-","namespace":"shop","uid":"0b9e6c1a-{{{{name.Length}}}}","resourceVersion":"48110","creationTimestamp":"2026-11-02T09:14:05Z","labels":{"app":"web","pod-template-hash":"5d8f9c746d"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-5d8f9c746d","uid":"7c1d2e3f-0000-4000-8000-000000000002","controller":true,"blockOwnerDeletion":true}]},"spec":{{{{PodSpec}}}},"status":{"phase":"Running","qosClass":"BestEffort"}}""";

        var lastApplied = $$$$"""{"apiVersion":"v1","data":{"password":"{{{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SecretValue))}}}}"},"kind":"Secret","metadata":{"name":"db","namespace":"shop"}}""";
        var secrets = $$$$"""{"kind":"SecretList","apiVersion":"v1","metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"db","namespace":"shop","uid":"5e5e5e5e-0000-4000-8000-000000000009","resourceVersion":"1201","creationTimestamp":"2026-11-02T09:10:00Z","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{{{{lastApplied.Replace("\"", "\\\"", StringComparison.Ordinal)}}}}"}},"data":{"password":"{{{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SecretValue))}}}}"},"type":"Opaque"}]}""";
        var namespaceShop = """{"metadata":{"name":"shop","uid":"9a8b7c6d-0000-4000-8000-000000000001","resourceVersion":"310","creationTimestamp":"2026-11-01T08:00:00Z","labels":{"kubernetes.io/metadata.name":"shop","pod-security.kubernetes.io/enforce":"restricted","pod-security.kubernetes.io/enforce-version":"latest"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""";
        var forbidden = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"clusterroles.rbac.authorization.k8s.io is forbidden: User \"system:serviceaccount:default:viewer\" cannot list resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope","reason":"Forbidden","details":{"group":"rbac.authorization.k8s.io","kind":"clusterroles"},"code":403}""";
        var responses = new Dictionary<string, (int Status, string Body)>
        {
            ["/api/v1/namespaces"] = (200, $$$$"""{"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"kube-system","uid":"9a8b7c6d-0000-4000-8000-000000000000","resourceVersion":"4","creationTimestamp":"2026-11-01T07:59:00Z","labels":{"kubernetes.io/metadata.name":"kube-system"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}},{{{{namespaceShop}}}}]}"""),
            ["/api/v1/namespaces/shop"] = (200, namespaceShop.Replace("{\"metadata\"", "{\"kind\":\"Namespace\",\"apiVersion\":\"v1\",\"metadata\"", StringComparison.Ordinal)),
            ["/apis/apps/v1/deployments"] = (200, $$$$"""{"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"web","namespace":"shop","uid":"7c1d2e3f-0000-4000-8000-000000000001","resourceVersion":"48120","generation":1,"creationTimestamp":"2026-11-02T09:14:03Z","labels":{"app":"web"},"annotations":{"deployment.kubernetes.io/revision":"1"},"managedFields":{{{{Managed}}}}},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{{{{Template}}}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},"revisionHistoryLimit":10,"progressDeadlineSeconds":600},"status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"readyReplicas":2,"availableReplicas":2}}]}"""),
            ["/apis/apps/v1/replicasets"] = (200, $$$$"""{"kind":"ReplicaSetList","apiVersion":"apps/v1","metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"web-5d8f9c746d","namespace":"shop","uid":"7c1d2e3f-0000-4000-8000-000000000002","resourceVersion":"48119","generation":1,"creationTimestamp":"2026-11-02T09:14:03Z","labels":{"app":"web","pod-template-hash":"5d8f9c746d"},"annotations":{"deployment.kubernetes.io/desired-replicas":"2","deployment.kubernetes.io/max-replicas":"3","deployment.kubernetes.io/revision":"1"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"7c1d2e3f-0000-4000-8000-000000000001","controller":true,"blockOwnerDeletion":true}]},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web","pod-template-hash":"5d8f9c746d"}},"template":{{{{Template}}}}},"status":{"replicas":2,"fullyLabeledReplicas":2,"readyReplicas":2,"availableReplicas":2,"observedGeneration":1}}]}"""),
            ["/api/v1/pods?limit=500"] = (200, $$$$"""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"48213","continue":"{{{{ContinueToken}}}}","remainingItemCount":2},"items":[{{{{OwnedPod("web-5d8f9c746d-x7k2p")}}}}]}"""),
            [$"/api/v1/pods?limit=500&continue={ContinueToken}"] = (200, $$$$"""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"48213"},"items":[{{{{OwnedPod("web-5d8f9c746d-q9w4z")}}}},{"metadata":{"name":"tools","namespace":"shop","uid":"0b9e6c1a-0000-4000-8000-00000000000f","resourceVersion":"48111","creationTimestamp":"2026-11-02T10:00:00Z"},"spec":{"hostPID":true,"containers":[{"name":"tools","image":"busybox:1.36","command":["sleep","3600"],"resources":{},"imagePullPolicy":"IfNotPresent"}],"restartPolicy":"Always","dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"},"status":{"phase":"Running"}}]}"""),
            ["/apis/rbac.authorization.k8s.io/v1/clusterroles"] = (403, forbidden),
            ["/api/v1/secrets"] = (200, secrets),
            ["/api/v1/namespaces/shop/secrets"] = (200, secrets),
            ["/api/v1/serviceaccounts"] = (200, """{"kind":"ServiceAccountList","apiVersion":"v1","metadata":{"resourceVersion":"48213"},"items":[{"metadata":{"name":"default","namespace":"shop","uid":"1a1a1a1a-0000-4000-8000-000000000003","resourceVersion":"311","creationTimestamp":"2026-11-01T08:00:00Z"}}]}"""),
        };
        foreach (var resource in ClusterResource.All)
        {
            responses.TryAdd(resource.ListPath(null), (200, Empty(resource.Kind + "List", resource.ApiVersion)));
            responses.TryAdd(resource.ListPath("shop"), (200, Empty(resource.Kind + "List", resource.ApiVersion)));
        }

        return responses;
    }
}
