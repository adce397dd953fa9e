namespace Strata.Core.Scanning;

using Strata.Core.Findings;

/// <summary>
/// How to reach an image, as given on the command line (<c>--platform</c>, <c>--creds</c>, <c>--authfile</c>,
/// <c>--tls-verify</c>). Plain text here, so Core needs no image reader; the image reader parses and checks it.
/// </summary>
public sealed record ImageAccessOptions
{
    /// <summary><c>os/arch[/variant]</c> to pick from an index; null for the default (linux/amd64, or the only entry).</summary>
    public string? Platform { get; init; }

    /// <summary><c>USERNAME:PASSWORD</c> for registries; wins over every credentials file. A secret: never printed.</summary>
    public string? Credentials { get; init; }

    /// <summary>A credentials file (containers auth.json or docker config.json); when set, the only one read.</summary>
    public string? AuthFile { get; init; }

    /// <summary>False allows self-signed certificates and plain-http registries (as skopeo's <c>--tls-verify=false</c>).</summary>
    public bool TlsVerify { get; init; } = true;

    public static ImageAccessOptions Default { get; } = new();

    /// <summary>Names the credentials' user at most; the password is never part of the text.</summary>
    public override string ToString()
    {
        var user = Credentials is null ? "none" : Credentials.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            ? $"user '{Credentials[..colon]}'"
            : Redaction.Redact(Credentials);
        return $"ImageAccessOptions {{ Platform = {Platform ?? "default"}, Credentials = {user}, AuthFile = {AuthFile ?? "default"}, TlsVerify = {TlsVerify} }}";
    }
}
