namespace Strata.Fuzz.Targets;

using System.Reflection;
using Strata.Oci.Registry;

/// <summary>A registry's error body (<c>{"errors":[…]}</c>, OAuth2 token errors, or any text) summarised for a message.</summary>
public sealed class RegistryErrorTarget : IFuzzTarget
{
    // RegistryErrorBody is internal to Strata.Oci and reached only through HTTP; the delegate calls it directly,
    // without adding the fuzz project to the library's friends. The test over the corpus fails if it is renamed.
    private static readonly Summarizer Summarize = typeof(RegistryClient).Assembly
        .GetType("Strata.Oci.Registry.RegistryErrorBody", throwOnError: true)!
        .GetMethod("Summarize", BindingFlags.Public | BindingFlags.Static)!
        .CreateDelegate<Summarizer>();

    private delegate string Summarizer(ReadOnlySpan<byte> body, Func<string, string>? redactKnown);

    public string Name => "registry-error";

    public string Covers => "Oci/Registry/RegistryErrorBody.Summarize (as RegistryClient and RegistryAuthenticator report a failed request)";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        Summarize(input, null);
        return ValueTask.CompletedTask;
    }
}
