namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using System.Text.Json;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Oci.Destinations;
using Strata.Signing.Cosign;
using Strata.Signing.Identity;
using Strata.Signing.Keys;
using Strata.Signing.Policy;

/// <summary><c>strata verify --key cosign.pub IMAGE</c>: check an image's cosign signatures.</summary>
internal static class VerifyCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var image = new Argument<string>("image") { Description = $"The image: {ImageDestinations.Syntaxes} (a bare REF is docker://REF), or dir:PATH (a skopeo dir: copy with signature-N files)." };
        var keys = new Option<string[]>("--key") { HelpName = "file", Description = "cosign: a public key (PEM 'PUBLIC KEY', as cosign.pub). Repeatable: any of them may have signed.", AllowMultipleArgumentsPerToken = false };
        var gpgKeyrings = new Option<string[]>("--gpg-keyring") { HelpName = "file", Description = "GPG simple signatures instead of cosign: OpenPGP public keys or keyrings (armored or binary). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var simple = new SimpleSigningArguments();
        var matchRepository = new Option<bool>("--match-repository") { Description = "Accept a signature for the image's repository whatever its tag (signedIdentity matchRepository; cosign itself signs the repository only)." };
        var exactReference = new Option<string?>("--exact-reference") { HelpName = "reference", Description = "Accept only signatures for exactly this reference (signedIdentity exactReference)." };
        var exactRepository = new Option<string?>("--exact-repository") { HelpName = "repository", Description = "Accept only signatures for this repository (signedIdentity exactRepository)." };
        var remap = new Option<string?>("--remap-identity") { HelpName = "prefix=signedPrefix", Description = "Match as if the image's name started with signedPrefix instead of prefix (signedIdentity remapIdentity, for mirrors)." };
        var signedIdentity = new Option<string?>("--signed-identity") { HelpName = "json", Description = "A containers-policy.json signedIdentity object, e.g. '{\"type\":\"matchExact\"}'." };
        var imageIdentity = new Option<string?>("--image-identity")
        {
            HelpName = "reference",
            Description = "The Docker reference the image goes by, for identity checks of oci: and dir: images (a registry image goes by its own reference).",
        };
        var format = new Option<string>("--format", "-f") { HelpName = "format", Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var access = new RegistryAccessArguments();
        var command = new Command(
            "verify",
            "Verify an image's cosign signatures with public keys: each signature (the sha256-HEX.sig tag's layers, OCI referrers, or dir: signature-N files) is checked for the key's signature over the exact payload, "
            + "a strictly valid payload, the image's manifest digest, and the signed identity (default matchRepoDigestOrExact). Prints which key verified which signature, or why each failed; exit 1 when none is valid.")
        {
            image, keys, gpgKeyrings, matchRepository, exactReference, exactRepository, remap, signedIdentity, imageIdentity, format,
        };
        access.AddTo(command);
        simple.AddTo(command);
        SharedOptions.Add(command, shared.Debug);
        command.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), async () =>
        {
            var identity = Identity(parse, matchRepository, exactReference, exactRepository, remap, signedIdentity);
            if ((parse.GetValue(keys) is not { Length: > 0 }) == (parse.GetValue(gpgKeyrings) is not { Length: > 0 }))
            {
                throw StrataException.Usage("give --key (cosign public keys) or --gpg-keyring (GPG simple signing keys), not both.");
            }

            if (parse.GetValue(gpgKeyrings) is { Length: > 0 } keyrings)
            {
                var gpgGiven = parse.GetValue(imageIdentity) is { } gpgText
                    ? ImageReference.TryParse(gpgText, out var gpgParsed, out var gpgError) ? gpgParsed : throw StrataException.Usage($"--image-identity '{Redaction.Quote(gpgText)}': {gpgError}")
                    : null;
                var gpgTarget = SignCommand.Target(parse.GetValue(image)!, io);
                return await SimpleSigningArguments.VerifyAsync(
                    gpgTarget,
                    [.. keyrings.Select(k => Path.GetFullPath(k, io.WorkingDirectory))],
                    SimpleSigningArguments.DockerIdentity(gpgTarget, gpgGiven),
                    identity,
                    simple.Read(parse, ImageOpenOptions.Default with { Registry = access.Read(parse) }, io),
                    io,
                    ct);
            }

            var publicKeys = PublicKeyMaterial.Load((parse.GetValue(keys) ?? []).Select(k => Path.GetFullPath(k, io.WorkingDirectory)));
            var given = parse.GetValue(imageIdentity) is { } text
                ? ImageReference.TryParse(text, out var parsed, out var error) ? parsed : throw StrataException.Usage($"--image-identity '{Redaction.Quote(text)}': {error}")
                : null;
            var target = SignCommand.Target(parse.GetValue(image)!, io);
            var loaded = await CosignImage.LoadAsync(target, access.Read(parse), given, ct);
            var verdicts = CosignImageVerifier.Verify(loaded, publicKeys, signed =>
                identity.Matches(loaded.DockerReference, signed, out var reason) ? null : reason);
            var output = parse.GetValue(format) == "json" ? Json(loaded, identity, verdicts) : Text(loaded, identity, verdicts);
            await io.Out.WriteAsync(Encoding.UTF8.GetBytes(output), ct);
            return (int)(verdicts.Any(v => v.Accepted) ? ExitCode.Clean : ExitCode.Findings);
        }));
        return command;
    }

    private static SignedIdentity Identity(ParseResult parse, Option<bool> matchRepository, Option<string?> exactReference, Option<string?> exactRepository, Option<string?> remap, Option<string?> signedIdentity)
    {
        var chosen = new List<SignedIdentity>();
        try
        {
            if (parse.GetValue(matchRepository))
            {
                chosen.Add(SignedIdentity.MatchRepository);
            }

            if (parse.GetValue(exactReference) is { } reference)
            {
                chosen.Add(SignedIdentity.ExactReference(reference));
            }

            if (parse.GetValue(exactRepository) is { } repository)
            {
                chosen.Add(SignedIdentity.ExactRepository(repository));
            }

            if (parse.GetValue(remap) is { } mapping)
            {
                var equals = mapping.IndexOf('=', StringComparison.Ordinal);
                chosen.Add(equals > 0
                    ? SignedIdentity.RemapIdentity(mapping[..equals], mapping[(equals + 1)..])
                    : throw StrataException.Usage($"--remap-identity '{Redaction.Quote(mapping)}': expected prefix=signedPrefix."));
            }

            if (parse.GetValue(signedIdentity) is { } json)
            {
                chosen.Add(SignedIdentity.Parse(json));
            }
        }
        catch (PolicyFormatException e)
        {
            throw StrataException.Usage($"signed identity: {e.Message}");
        }

        return chosen.Count switch
        {
            0 => SignedIdentity.MatchRepoDigestOrExact,
            1 => chosen[0],
            _ => throw StrataException.Usage("give at most one of --match-repository, --exact-reference, --exact-repository, --remap-identity, --signed-identity."),
        };
    }

    private static string Text(CosignImage image, SignedIdentity identity, IReadOnlyList<CosignImageVerifier.Verdict> verdicts)
    {
        var text = new StringBuilder();
        text.Append(image.Reference);
        if (image.ManifestDigest is { } digest)
        {
            text.Append(" (").Append(digest).Append(')');
        }

        text.Append(": identity ").Append(identity).Append(image.DockerReference is { } docker ? $" against {docker}" : string.Empty).Append('\n');
        if (verdicts.Count == 0)
        {
            text.Append("  no cosign signatures found").Append(image.OtherSignatures > 0 ? $" ({image.OtherSignatures} signatures of another format skipped)" : string.Empty).Append('\n');
        }

        foreach (var verdict in verdicts)
        {
            text.Append(verdict.Accepted ? "  VERIFIED " : "  REJECTED ").Append(verdict.Origin);
            if (verdict.Accepted)
            {
                text.Append(": signed by ").Append(verdict.Key!.Source).Append(" (").Append(verdict.Key.Algorithm).Append(") for ").Append(verdict.Payload!.DockerReference);
            }
            else
            {
                text.Append(": ").Append(Redaction.Quote(verdict.Reason, 400));
            }

            text.Append('\n');
        }

        var accepted = verdicts.Count(v => v.Accepted);
        text.Append(accepted > 0 ? $"verified: {accepted} of {verdicts.Count} signatures valid\n" : "not verified: no valid signature\n");
        return text.ToString();
    }

    private static string Json(CosignImage image, SignedIdentity identity, IReadOnlyList<CosignImageVerifier.Verdict> verdicts)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", image.Reference);
            json.WriteString("manifestDigest", image.ManifestDigest?.ToString());
            json.WriteString("dockerReference", image.DockerReference?.ToString());
            json.WriteString("signedIdentity", identity.Type);
            json.WriteBoolean("verified", verdicts.Any(v => v.Accepted));
            json.WriteStartArray("signatures");
            foreach (var verdict in verdicts)
            {
                json.WriteStartObject();
                json.WriteString("origin", verdict.Origin);
                json.WriteBoolean("accepted", verdict.Accepted);
                json.WriteString("reason", verdict.Reason);
                if (verdict.Key is { } key)
                {
                    json.WriteString("key", key.Source);
                    json.WriteString("keySha256", key.Fingerprint);
                }

                if (verdict.Payload is { } payload)
                {
                    json.WriteString("signedDockerReference", payload.DockerReference);
                    json.WriteString("signedManifestDigest", payload.ManifestDigest.ToString());
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
