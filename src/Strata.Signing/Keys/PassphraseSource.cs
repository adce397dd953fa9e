namespace Strata.Signing.Keys;

using System.Text;
using Strata.Core;

/// <summary>
/// Where a private key's passphrase comes from, first match wins: <c>--passphrase-file</c> (its first line),
/// <c>$STRATA_PASSWORD</c>, <c>$COSIGN_PASSWORD</c> (so scripts written for cosign keep working), then a prompt
/// without echo when stdin is a terminal. A variable that is set but empty means an empty passphrase, as in cosign.
/// The passphrase is returned as UTF-8 bytes for the caller to wipe; it is never printed.
/// </summary>
public sealed class PassphraseSource
{
    public const string StrataVariable = "STRATA_PASSWORD";
    public const string CosignVariable = "COSIGN_PASSWORD";

    private readonly string? file;
    private readonly Func<string, string?>? prompt;
    private readonly Func<string, string?> environment;

    /// <param name="file">The <c>--passphrase-file</c> path, if given.</param>
    /// <param name="prompt">Asks on the terminal without echo and returns the line, or null when there is no terminal.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public PassphraseSource(string? file, Func<string, string?>? prompt, Func<string, string?>? environment = null)
    {
        this.file = file;
        this.prompt = prompt;
        this.environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>The passphrase; with <paramref name="confirm"/> a prompt asks twice (when generating a key).</summary>
    public byte[] Get(bool confirm)
    {
        if (file is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw StrataException.Usage($"passphrase file {file}: cannot be read ({e.Message}).");
            }

            var end = text.IndexOfAny(['\r', '\n']);
            return Encoding.UTF8.GetBytes(end < 0 ? text : text[..end]);
        }

        foreach (var variable in new[] { StrataVariable, CosignVariable })
        {
            if (environment(variable) is { } value)
            {
                return Encoding.UTF8.GetBytes(value);
            }
        }

        var first = prompt?.Invoke("Enter passphrase for the private key: ")
            ?? throw StrataException.Usage(
                $"the private key needs a passphrase: give --passphrase-file, set ${StrataVariable}, or run on a terminal to be asked.");
        if (confirm)
        {
            var second = prompt("Enter passphrase for the private key again: ");
            if (!string.Equals(first, second, StringComparison.Ordinal))
            {
                throw StrataException.Usage("the passphrases do not match.");
            }
        }

        return Encoding.UTF8.GetBytes(first);
    }
}
