namespace Strata.Fuzz.Targets;

using Strata.Oci.Registry;

/// <summary>A credentials file (containers auth.json, Docker config.json, the legacy ~/.dockercfg) looked up as a pull does.</summary>
public sealed class AuthFileTarget : IFuzzTarget
{
    public string Name => "authfile";

    public string Covers => "Oci/Registry/CredentialStore (auths keys and their normalisation, auth/username/password/identitytoken, credHelpers/credsStore notes), JsonStrings";

    public ValueTask RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        // The same bytes read as config.json and as .dockercfg (the bare auths map), for a Docker Hub image and another.
        foreach (var name in (ReadOnlySpan<string>)["config.json", ".dockercfg"])
        {
            var store = new CredentialStore([ScratchDirectory.Write(name, input)], explicitFile: true);
            store.Find("docker.io", "library/alpine");
            store.Find("registry.example:5000", "team/app");
        }

        return ValueTask.CompletedTask;
    }
}
