namespace Strata.Fuzz.Targets;

using System.Text;
using Strata.Oci.Registry;

/// <summary>A registry's <c>WWW-Authenticate</c> header: through .NET's header parser into <see cref="AuthChallenge.From"/>, and the raw text into the parameter parser.</summary>
public sealed class AuthChallengeTarget : IFuzzTarget
{
    public string Name => "auth-challenge";

    public string Covers => "Oci/Registry/AuthChallenge.From and ParseParameters (as RegistryAuthenticator reads a 401)";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        // Header values reach us as Latin-1 from the wire.
        var text = Encoding.Latin1.GetString(input);
        AuthChallenge.ParseParameters(text);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        foreach (var line in text.Split('\n'))
        {
            response.Headers.TryAddWithoutValidation("WWW-Authenticate", line);
        }

        if (AuthChallenge.From(response.Headers.WwwAuthenticate) is { } challenge)
        {
            _ = (challenge.IsBearer, challenge.IsBasic, challenge.Parameter("realm"), challenge.Parameter("scope"));
        }

        return ValueTask.CompletedTask;
    }
}
