namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Oci.Registry;
using Strata.Signing.Cosign;
using Strata.Signing.Keys;

/// <summary><c>strata sign --key cosign.key IMAGE</c>: a cosign signature stored beside the image.</summary>
internal static class SignCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var image = new Argument<string>("image") { Description = $"The image to sign: {ImageDestinations.Syntaxes} (a bare REF is docker://REF)." };
        var key = new Option<string>("--key") { HelpName = "file", Description = "The private key (cosign.key as 'strata key generate' or cosign writes it, or an unencrypted PKCS#8/EC/RSA PEM key).", Required = true };
        var annotations = new Option<string[]>("--annotation", "-a") { HelpName = "key=value", Description = "Add key=value to the payload's 'optional' object, as cosign -a. Repeatable." };
        var identity = new Option<string?>("--identity")
        {
            HelpName = "reference",
            Description = "The docker-reference the signature claims (cosign's --sign-container-identity). Default: the image reference as given without its digest (registry/repo:tag, or registry/repo for a digest); required for oci: layouts.",
        };
        var passphraseFile = KeyCommand.PassphraseFileOption();
        var access = new RegistryAccessArguments();
        var command = new Command(
            "sign",
            "Sign an image as cosign does: the payload {critical: {identity: {docker-reference}, image: {docker-manifest-digest}, type: 'cosign container image signature'}, optional} signed with the key, "
            + "stored as a layer (media type application/vnd.dev.cosign.simplesigning.v1+json, signature in annotation dev.cosignproject.cosign/signature) of the tag sha256-HEX.sig in the image's repository or OCI layout; re-signing appends a layer.")
        {
            image, key, annotations, identity, passphraseFile,
        };
        access.AddTo(command);
        SharedOptions.Add(command, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var optional = ParseAnnotations(parse.GetValue(annotations) ?? []);
            var signingKey = SigningKey.Load(Path.GetFullPath(parse.GetValue(key)!, io.WorkingDirectory), () => KeyCommand.Passphrase(parse, passphraseFile, io).Get(confirm: false));
            var target = Target(parse.GetValue(image)!, io);
            await using var store = ImageDestinations.Open(target, access.Read(parse));
            var signed = await CosignSigner.SignAsync(store, signingKey, parse.GetValue(identity), optional, ct);
            var text = signed.Stored.Added
                ? $"Signed {store.Reference} ({signed.ImageDigest}) for {signed.DockerReference} with {signingKey.PublicKey.Algorithm} key SHA-256 {signingKey.PublicKey.Fingerprint[..16]}…; stored as signature {signed.Stored.SignatureCount} of tag {signed.Stored.Tag} ({signed.Stored.ManifestDigest}).\n"
                : $"{store.Reference} ({signed.ImageDigest}) already has this key's signature for {signed.DockerReference} in tag {signed.Stored.Tag}; nothing added.\n";
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
            return (int)ExitCode.Clean;
        }));
        return command;
    }

    /// <summary>An <c>oci:</c> path relative to the working directory, made absolute; other references as given.</summary>
    internal static string Target(string text, CliIo io)
    {
        foreach (var prefix in new[] { "oci:", CosignImage.DirPrefix })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                // As containers/image: an oci: path ends at the first ':' (a tag follows); a dir: path is all path.
                var rest = text[prefix.Length..];
                var colon = prefix == "oci:" ? rest.IndexOf(':', StringComparison.Ordinal) : -1;
                var path = colon < 0 ? rest : rest[..colon];
                return path.Length == 0 ? text : prefix + Path.GetFullPath(path, io.WorkingDirectory) + (colon < 0 ? string.Empty : rest[colon..]);
            }
        }

        return text;
    }

    private static Dictionary<string, string> ParseAnnotations(string[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw StrataException.Usage($"--annotation '{Redaction.Quote(value)}': expected key=value.");
            }

            var name = value[..equals];
            if (name is "creator" or "timestamp")
            {
                throw StrataException.Usage($"--annotation {name}: this key has a fixed meaning in the payload; use another.");
            }

            result[name] = value[(equals + 1)..];
        }

        return result;
    }
}

/// <summary><c>--creds</c>, <c>--authfile</c>, <c>--tls-verify</c> for commands that talk to a registry (no platform choice).</summary>
internal sealed class RegistryAccessArguments
{
    private readonly ImageAccessArguments image = new();

    public void AddTo(Command command)
    {
        command.Options.Add(image.Credentials);
        command.Options.Add(image.AuthFile);
        command.Options.Add(image.TlsVerify);
    }

    public RegistryOptions Read(ParseResult parse) =>
        ImageOpenOptions.FromCommandLine(null, parse.GetValue(image.Credentials), parse.GetValue(image.AuthFile), parse.GetValue(image.TlsVerify)).Registry;
}
