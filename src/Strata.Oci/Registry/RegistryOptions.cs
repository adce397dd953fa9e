namespace Strata.Oci.Registry;

/// <summary>How to reach registries: the <c>docker://</c> options of the command line, and the retry and timeout policy.</summary>
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

    /// <summary>
    /// Longest wait for a connection, for a response's headers, for a whole manifest, token or error body, and
    /// for any single read of a blob (a blob stalled this long is resumed or fails).
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Attempts per request (at least 1): an idempotent request (manifest, blob, token) that fails transiently
    /// (connection lost, timeout, 408, 429, 5xx, a truncated or corrupt body) is tried at most this often in all,
    /// a blob's resumptions included.
    /// </summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first backoff; each next one doubles, with jitter (half to all of it).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait before a retry, backoff or <c>Retry-After</c> alike. A registry asking to wait longer
    /// than this gets no retry: the request fails at once, naming the wait asked for.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A blob body that, past its first <see cref="Timeout"/>, has averaged fewer bytes per second than this is
    /// treated as stalled (resumed, or failed), so a registry dripping a byte at a time cannot hold a scan.
    /// </summary>
    public long MinBlobBytesPerSecond { get; init; } = 4096;

    /// <summary>Largest manifest or index accepted (distribution's own default limit); set from <see cref="Core.Limits.MaxManifestBytes"/>.</summary>
    public long MaxManifestBytes { get; init; } = Core.Limits.Default.MaxManifestBytes;

    /// <summary>Reads environment variables (REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, HOME, DOCKER_CONFIG); replaceable in tests.</summary>
    public Func<string, string?> EnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
