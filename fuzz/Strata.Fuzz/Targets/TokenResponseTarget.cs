namespace Strata.Fuzz.Targets;

using System.Reflection;
using Strata.Oci.Registry;

/// <summary>A token endpoint's answer (<c>{"token": …, "expires_in": …}</c> or OAuth2's <c>access_token</c>), read as after a 401 challenge.</summary>
public sealed class TokenResponseTarget : IFuzzTarget
{
    // ParseTokenResponse is internal to Strata.Oci and reached only through HTTP; the delegate calls it directly,
    // without adding the fuzz project to the library's friends. The test over the corpus fails if it is renamed.
    private static readonly TokenParser Parse = typeof(RegistryClient).Assembly
        .GetType("Strata.Oci.Registry.RegistryAuthenticator", throwOnError: true)!
        .GetMethod("ParseTokenResponse", BindingFlags.NonPublic | BindingFlags.Static)!
        .CreateDelegate<TokenParser>();

    private delegate (string Token, TimeSpan Lifetime) TokenParser(byte[] body, string endpoint, string context);

    public string Name => "token-response";

    public string Covers => "Oci/Registry/RegistryAuthenticator.ParseTokenResponse (token, access_token, expires_in), JsonStrings";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        Parse(input, "https://auth.example/token", "registry.example");
        return ValueTask.CompletedTask;
    }
}
