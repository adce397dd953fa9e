namespace Strata.Kubernetes.Live;

using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// A connection to a cluster's API server made by the official client (<c>KubernetesClient.Aot</c>) from a kubeconfig
/// or, in a pod, from the service account: its TLS settings (CA data or file, client certificates,
/// <c>insecure-skip-tls-verify</c>) and credentials (bearer token, client certificate, basic auth, exec plugins).
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    private ClusterConnection(Kubernetes client, string contextName)
    {
        Client = client;
        ContextName = contextName;
    }

    /// <summary>The kubeconfig context used, or <c>in-cluster</c>; the scan's target is named <c>cluster:</c> and this.</summary>
    public string ContextName { get; }

    /// <summary>The API server's base address.</summary>
    public Uri Server => Client.BaseUri;

    internal Kubernetes Client { get; }

    /// <summary>
    /// Connects as kubectl would: <paramref name="kubeconfig"/>, else the files of <c>KUBECONFIG</c>, else
    /// <c>~/.kube/config</c>, else (run in a pod: <c>KUBERNETES_SERVICE_HOST</c> set) the pod's service account.
    /// <paramref name="context"/> chooses a context other than the current one. Nothing is sent before the first request.
    /// </summary>
    public static ClusterConnection Open(string? kubeconfig, string? context, TimeSpan requestTimeout)
    {
        KubernetesClientConfiguration configuration;
        string name;
        try
        {
            var files = KubeconfigFiles(kubeconfig);
            if (files.Count > 0)
            {
                var merged = Merge([.. files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f), useRelativePaths: true))]);
                if (context is not null && merged.Contexts?.Any(c => c.Name == context) != true)
                {
                    throw StrataException.Usage($"--context {Redaction.Quote(context, 100)}: no such context in {Redaction.Quote(string.Join(", ", files), 200)}{ContextList(merged)}.");
                }

                configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
                name = configuration.CurrentContext ?? context ?? "default";
            }
            else if (KubernetesClientConfiguration.IsInCluster())
            {
                if (context is not null)
                {
                    throw StrataException.Usage("--context names a kubeconfig context, and there is no kubeconfig (running in a pod, the service account is used).");
                }

                configuration = KubernetesClientConfiguration.InClusterConfig();
                name = "in-cluster";
            }
            else
            {
                throw StrataException.Usage($"no kubeconfig: give --kubeconfig FILE, set KUBECONFIG, or write {KubernetesClientConfiguration.KubeConfigDefaultLocation} (in a pod, the service account is used).");
            }
        }
        catch (KubeConfigException e)
        {
            throw StrataException.Usage($"kubeconfig: {Redaction.Quote(e.Message, 300)}");
        }

        configuration.HttpClientTimeout = requestTimeout;
        configuration.UserAgent = "strata";
        try
        {
            return new ClusterConnection(new Kubernetes(configuration), name);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or KubeConfigException or FormatException)
        {
            // The client reads the CA and client certificate here.
            throw StrataException.Usage($"kubeconfig context {Redaction.Quote(name, 100)}: cannot load its certificates: {Redaction.Quote(e.Message, 300)}");
        }
    }

    public void Dispose() => Client.Dispose();

    /// <summary>The kubeconfig files to merge, in kubectl's order of precedence; none when there is none.</summary>
    private static List<string> KubeconfigFiles(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? [given] : throw StrataException.Usage($"--kubeconfig {Redaction.Quote(given, 200)}: no such file.");
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable)
        {
            var files = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists).ToList();
            return files.Count > 0 ? files : throw StrataException.Usage($"KUBECONFIG names no file that exists ({Redaction.Quote(variable, 200)}).");
        }

        var home = KubernetesClientConfiguration.KubeConfigDefaultLocation;
        return File.Exists(home) ? [home] : [];
    }

    /// <summary>
    /// Several kubeconfig files as kubectl merges them: the first to name a context, cluster or user, or to set the
    /// current context, wins. Relative file paths in later files resolve against the first file's directory.
    /// </summary>
    private static K8SConfiguration Merge(List<K8SConfiguration> files)
    {
        if (files.Count == 1)
        {
            return files[0];
        }

        var first = files[0];
        first.CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        first.Contexts = [.. files.SelectMany(f => f.Contexts ?? []).DistinctBy(c => c.Name)];
        first.Clusters = [.. files.SelectMany(f => f.Clusters ?? []).DistinctBy(c => c.Name)];
        first.Users = [.. files.SelectMany(f => f.Users ?? []).DistinctBy(u => u.Name)];
        return first;
    }

    private static string ContextList(K8SConfiguration configuration)
    {
        var names = configuration.Contexts?.Select(c => c.Name).Where(n => n is not null).ToList() ?? [];
        return names.Count == 0 ? " (it has none)" : $" (it has: {Redaction.Quote(string.Join(", ", names), 200)})";
    }
}
