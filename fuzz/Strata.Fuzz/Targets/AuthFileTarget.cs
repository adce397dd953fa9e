namespace Strata.Fuzz.Targets;

using Strata.Oci.Registry;

/// <summary>A credentials file (containers auth.json, Docker config.json, the legacy ~/.dockercfg) looked up as a pull does.</summary>
public sealed class AuthFileTarget : IFuzzTarget
{
    public string Name => "authfile";

    public string Covers => "Oci/Registry/CredentialStore (auths keys and their normalisation, auth/username/password/identitytoken, credHelpers/credsStore names, helpers never run), JsonStrings";

    public async ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        // The same bytes read as config.json and as .dockercfg (the bare auths map), for a Docker Hub image and another.
        // No PATH: a credential helper the input names is never run, only looked for.
        foreach (var name in new[] { "config.json", ".dockercfg" })
        {
            var store = new CredentialStore([ScratchDirectory.Write(name, input)], explicitFile: true, environmentVariable: _ => null);
            await store.FindAsync("docker.io", "library/alpine", cancellationToken);
            await store.FindAsync("registry.example:5000", "team/app", cancellationToken);
        }
    }
}
