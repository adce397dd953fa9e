namespace Strata.Images.Dockerfile.Context;

/// <summary>A kind of credential file a build step reads: what it holds and the programs that read it.</summary>
/// <param name="Holds">What it holds, for messages: "npm registry credentials".</param>
/// <param name="Readers">Programs that read it on their own (besides a command that names the file).</param>
/// <param name="IsSshKey">True for an SSH private key: the remedy is an SSH mount, not a secret mount.</param>
public sealed record CredentialFile(string Holds, IReadOnlyList<string> Readers, bool IsSshKey = false)
{
    private static readonly CredentialFile Npm = new("npm registry credentials", ["npm", "npx", "yarn", "pnpm", "corepack"]);
    private static readonly CredentialFile PyPi = new("PyPI upload credentials", ["twine", "python", "python3", "flit", "poetry", "hatch", "pdm"]);
    private static readonly CredentialFile Pip = new("Python package index credentials", ["pip", "pip3", "python", "python3", "uv", "pipenv", "poetry"]);
    private static readonly CredentialFile Netrc = new("machine passwords (netrc)", ["curl", "wget", "git", "pip", "pip3", "python", "python3", "go", "ftp", "lftp"]);
    private static readonly CredentialFile Git = new("Git credentials", ["git", "go"]);
    private static readonly CredentialFile Ssh = new("an SSH private key", ["git", "ssh", "scp", "sftp", "rsync", "go"], IsSshKey: true);
    private static readonly CredentialFile PrivateKey = new("a private key", []);
    private static readonly CredentialFile Gcloud = new("cloud service account credentials", ["gcloud", "gsutil", "bq", "terraform"]);
    private static readonly CredentialFile Aws = new("AWS credentials", ["aws", "terraform", "sam", "cdk"]);
    private static readonly CredentialFile Registry = new("container registry credentials", ["docker", "skopeo", "crane", "buildah", "podman", "helm", "oras"]);
    private static readonly CredentialFile Postgres = new("PostgreSQL passwords", ["psql", "pg_dump", "pg_dumpall", "pg_restore"]);
    private static readonly CredentialFile Vault = new("a Vault token", ["vault"]);
    private static readonly CredentialFile Kubernetes = new("Kubernetes cluster credentials", ["kubectl", "helm", "kustomize"]);

    private static readonly Dictionary<string, CredentialFile> ByName = new(StringComparer.Ordinal)
    {
        [".npmrc"] = Npm,
        [".yarnrc"] = Npm,
        [".yarnrc.yml"] = Npm,
        [".pypirc"] = PyPi,
        ["pip.conf"] = Pip,
        ["pip.ini"] = Pip,
        [".netrc"] = Netrc,
        ["_netrc"] = Netrc,
        [".git-credentials"] = Git,
        ["id_rsa"] = Ssh,
        ["id_dsa"] = Ssh,
        ["id_ecdsa"] = Ssh,
        ["id_ed25519"] = Ssh,
        ["credentials.json"] = Gcloud,
        [".dockercfg"] = Registry,
        [".pgpass"] = Postgres,
        [".vault-token"] = Vault,
        ["kubeconfig"] = Kubernetes,
    };

    /// <summary>
    /// The kind of credential file at <paramref name="path"/> (a context or image path), or null. A <c>.pem</c> counts
    /// only when it is known to hold a private key (<paramref name="holdsPrivateKey"/>): most are public certificates.
    /// </summary>
    public static CredentialFile? Classify(string path, bool holdsPrivateKey = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = GoPath.Base(path);
        if (ByName.TryGetValue(name, out var known))
        {
            return known;
        }

        var parent = GoPath.Base(GoPath.Parent(path));
        return (parent, name) switch
        {
            (".aws", "credentials") => Aws,
            (".docker", "config.json") => Registry,
            (".kube", "config") => Kubernetes,
            _ when name.EndsWith(".key", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || (holdsPrivateKey && name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase)) => PrivateKey,
            _ => null,
        };
    }

    /// <summary>The id a secret mount of this file would take: its name in lower case, letters and digits only (<c>.npmrc</c> → <c>npmrc</c>).</summary>
    public static string SecretId(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var id = new string([.. GoPath.Base(path).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]).Trim('_');
        return id.Length == 0 ? "secret" : id;
    }
}
