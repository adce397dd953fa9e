namespace Strata.Oci.Registry;

using Strata.Core;
using Strata.Core.Findings;

/// <summary>
/// A user name with a password, or an identity (refresh) token, for one registry. The secret never appears
/// in <see cref="ToString"/>, so a credential can be named in messages safely.
/// </summary>
public sealed class RegistryCredential
{
    public RegistryCredential(string username, string password, string source, string? identityToken = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(source);
        Username = username;
        Password = password;
        Source = source;
        IdentityToken = string.IsNullOrEmpty(identityToken) ? null : identityToken;
    }

    public string Username { get; }

    /// <summary>The secret; empty when only an identity token is known.</summary>
    public string Password { get; }

    /// <summary>An OAuth2 refresh token (docker's <c>identitytoken</c>), exchanged at the token endpoint.</summary>
    public string? IdentityToken { get; }

    /// <summary>Where it came from: <c>--creds</c> or the credentials file path, for messages.</summary>
    public string Source { get; }

    /// <summary>Parses <c>--creds USERNAME:PASSWORD</c>. The message on error never repeats the text (it holds a password).</summary>
    public static RegistryCredential ParseUserPassword(string text, string source = "--creds")
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw StrataException.Usage($"{source}: expected USERNAME:PASSWORD (the value given is not repeated here).");
        }

        return new RegistryCredential(text[..colon], text[(colon + 1)..], source);
    }

    /// <summary>e.g. <c>user 'alice' (from --creds)</c>; never the secret.</summary>
    public override string ToString() =>
        Username.Length > 0 ? $"user '{Username}' (from {Source})" : $"identity token {Redaction.Redact(IdentityToken ?? string.Empty)} (from {Source})";
}
