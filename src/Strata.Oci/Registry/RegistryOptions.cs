namespace Strata.Oci.Registry;

/// <summary>How to reach registries: the <c>docker://</c> options of the command line.</summary>
public sealed record RegistryOptions
{
    /// <summary>From <c>--creds USER:PASS</c>; wins over every credentials file.</summary>
    public RegistryCredential? Credentials { get; init; }

    /// <summary>
    /// <c>--tls-verify</c>. When false (as in skopeo) certificates are not verified and a registry that does not
    /// speak TLS is reached over plain http; otherwise only verified https is used.
    /// </summary>
    public bool TlsVerify { get; init; } = true;

    /// <summary><c>--authfile</c>: when set, the only credentials file read (it must exist).</summary>
    public string? AuthFilePath { get; init; }

    /// <summary>Longest wait for a response's headers, a whole manifest, or any single read of a blob.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per request on connection failures, timeouts, 429 and 5xx (at least 1).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Largest manifest or index accepted (distribution's own default limit).</summary>
    public long MaxManifestBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Reads environment variables (REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, HOME, DOCKER_CONFIG); replaceable in tests.</summary>
    public Func<string, string?> EnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
