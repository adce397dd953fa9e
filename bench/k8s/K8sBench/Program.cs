// Pod Security Standards evaluation speed, for bench/k8s/run.sh:
//   generate N FILE   writes N workloads (a mix of Pods and Deployments, 2 containers each, half of them restricted-compliant)
//   parse FILE        the floor: reads every document of FILE into YAML nodes, nothing else
//   scan FILE         end to end: reads every document and evaluates each pod spec at restricted:latest
//   evaluate FILE S   pre-parsed: parses FILE once, then evaluates its pods at restricted:latest for S seconds
//   evaluate-allowed FILE S   the same over the allowed pods only (no message to build)
// Each prints one line: mode, pods, seconds, pods per second.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Kubernetes;
using Strata.Kubernetes.PodSecurity;

var mode = args[0];
var limits = Limits.Default with { MaxDocumentBytes = 1L << 34, MaxDocumentsPerFile = int.MaxValue };
var policy = PodSecurityPolicy.Default;
var evaluator = PodSecurityEvaluator.Default;
switch (mode)
{
    case "generate":
        Generate(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        break;
    case "parse":
    {
        var watch = Stopwatch.StartNew();
        long nodes = 0;
        YamlSource.Read(File.ReadAllText(args[1]), args[1], limits, "items", unit => nodes++);
        Report("parse", nodes, watch.Elapsed.TotalSeconds);
        break;
    }

    case "scan":
    {
        var watch = Stopwatch.StartNew();
        long pods = 0, denied = 0;
        YamlSource.Read(File.ReadAllText(args[1]), args[1], limits, "items", unit =>
        {
            foreach (var pod in PodSpecView.FromObject(args[1], unit.Node))
            {
                pods++;
                denied += evaluator.Evaluate(pod, policy).Allowed ? 0 : 1;
            }
        });
        Report("scan", pods, watch.Elapsed.TotalSeconds, $"denied={denied}");
        break;
    }

    case "evaluate" or "evaluate-allowed":
    {
        var pods = PodSpecView.FindAll(YamlSource.Parse(File.ReadAllText(args[1]), args[1], limits)).ToArray();
        if (mode == "evaluate-allowed")
        {
            pods = [.. pods.Where(p => evaluator.Evaluate(p, policy).Allowed)];
        }

        var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
        for (var i = 0; i < pods.Length; i++)
        {
            evaluator.Evaluate(pods[i], policy);
        }

        long evaluated = 0, denied = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            foreach (var pod in pods)
            {
                denied += evaluator.Evaluate(pod, policy).Allowed ? 0 : 1;
            }

            evaluated += pods.Length;
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        Report(mode, evaluated, elapsed, $"denied={denied} bytes/pod={(GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)evaluated:F0}");
        break;
    }

    case "per-check":
    {
        var pods = PodSpecView.FindAll(YamlSource.Parse(File.ReadAllText(args[1]), args[1], limits)).Where(p => evaluator.Evaluate(p, policy).Allowed).ToArray();
        foreach (var active in evaluator.ChecksOf(policy))
        {
            for (var round = 0; round < 3; round++)
            {
                foreach (var pod in pods)
                {
                    active.Version.Evaluate(pod);
                }
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            foreach (var pod in pods)
            {
                active.Version.Evaluate(pod);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{active.Check.UpstreamId} {watch.Elapsed.TotalMicroseconds / pods.Length:F2} us/pod {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)pods.Length:F0} bytes/pod"));
        }

        break;
    }

    default:
        throw new ArgumentException($"unknown mode {mode}");
}

static void Report(string mode, long pods, double seconds, string extra = "") =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode} {pods} {seconds:F3} {pods / seconds:F0} {extra}"));

static void Generate(int count, string path)
{
    using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
    for (var i = 0; i < count; i++)
    {
        var compliant = i % 2 == 0;
        var security = compliant
            ? "securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, readOnlyRootFilesystem: true}"
            : (i % 4) switch { 1 => "securityContext: {privileged: true}", _ => "securityContext: {capabilities: {add: [NET_ADMIN]}}" };
        var podSecurity = compliant ? "securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}" : "hostNetwork: true";
        var spec = $$"""
              {{podSecurity}}
              volumes:
              - name: config
                configMap: {name: "app-{{i}}" }
              containers:
              - name: app
                image: registry.example.com/app:{{i}}
                ports: [{containerPort: 8080}]
                {{security}}
                livenessProbe: {httpGet: {path: /healthz, port: 8080} }
                volumeMounts: [{name: config, mountPath: /etc/app}]
              - name: sidecar
                image: registry.example.com/proxy:1
                {{security}}
            """;
        if (i % 3 == 0)
        {
            writer.Write($"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\n  namespace: ns-{i % 10}\nspec:\n{Indent(spec, 0)}\n");
        }
        else
        {
            writer.Write($"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: deploy-{i}\n  namespace: ns-{i % 10}\nspec:\n  replicas: 2\n  template:\n    metadata:\n      labels: {{app: a{i}}}\n    spec:\n{Indent(spec, 4)}\n");
        }
    }

    static string Indent(string text, int spaces) => string.Join('\n', text.Split('\n').Select(line => new string(' ', spaces) + line));
}
