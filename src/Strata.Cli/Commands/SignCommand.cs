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
using Strata.Signing.SimpleSigning;

/// <summary><c>strata sign --key cosign.key IMAGE</c>: a cosign signature stored beside the image.</summary>
internal static class SignCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var image = new Argument<string>("image") { Description = $"The image to sign: {ImageDestinations.Syntaxes} (a bare REF is docker://REF)." };
        var key = new Option<string?>("--key") { HelpName = "file", Description = "cosign: the private key (cosign.key as 'strata key generate' or cosign writes it, or an unencrypted PKCS#8/EC/RSA PEM key)." };
        var gpgKey = new Option<string?>("--gpg-key") { HelpName = "file", Description = "GPG simple signing instead of cosign: an OpenPGP secret key or keyring (armored or binary); the signature goes to the lookaside (registries.d or --lookaside) or a dir: copy's signature-N." };
        var signBy = new Option<string?>("--sign-by") { HelpName = "fingerprint", Description = "With --gpg-key: the key to sign with, when the keyring holds several." };
        var simple = new SimpleSigningArguments();
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
            image, key, gpgKey, signBy, annotations, identity, passphraseFile,
        };
        access.AddTo(command);
        simple.AddTo(command);
        SharedOptions.Add(command, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var optional = ParseAnnotations(parse.GetValue(annotations) ?? []);
            var target = Target(parse.GetValue(image)!, io);
            if ((parse.GetValue(key) is null) == (parse.GetValue(gpgKey) is null))
            {
                throw StrataException.Usage("give one of --key (cosign) or --gpg-key (GPG simple signing).");
            }

            if (parse.GetValue(gpgKey) is { } gpgPath)
            {
                var gpgFull = Path.GetFullPath(gpgPath, io.WorkingDirectory);
                SimpleSigner signer;
                try
                {
                    // An unprotected key needs no passphrase: ask for one only when the key says so.
                    signer = SimpleSigner.Load(gpgFull, parse.GetValue(signBy), ReadOnlySpan<char>.Empty);
                }
                catch (Signing.SignatureException e) when (e.Message.Contains("is protected by a passphrase", StringComparison.Ordinal))
                {
                    signer = SimpleSigner.Load(gpgFull, parse.GetValue(signBy), KeyCommand.Passphrase(parse, passphraseFile, io).Get(confirm: false));
                }

                var options = simple.Read(parse, ImageOpenOptions.Default with { Registry = access.Read(parse) }, io);
                var done = await SimpleSigningWorkflow.SignAsync(target, signer, parse.GetValue(identity), options, ct);
                await io.Out.WriteAsync(Encoding.UTF8.GetBytes($"Signed {target} ({done.ManifestDigest}) for {done.DockerReference} with GPG key {done.SignerFingerprint}; stored at {done.Location}.\n"), ct);
                return (int)ExitCode.Clean;
            }

            var signingKey = SigningKey.Load(Path.GetFullPath(parse.GetValue(key)!, io.WorkingDirectory), () => KeyCommand.Passphrase(parse, passphraseFile, io).Get(confirm: false));
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
