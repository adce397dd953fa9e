namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Signing.Identity;
using Strata.Signing.Lookaside;
using Strata.Signing.SimpleSigning;

/// <summary>
/// The GPG simple-signing side of <c>strata sign</c> and <c>strata verify</c> (containers/image "atomic container
/// signatures", as <c>skopeo standalone-sign</c> and podman write them): where signatures are stored (registries.d
/// lookaside, an explicit <c>--lookaside</c> base, or a <c>dir:</c> copy's signature-N files).
/// </summary>
internal sealed class SimpleSigningArguments
{
    public Option<string?> Lookaside { get; } = new("--lookaside")
    {
        HelpName = "url",
        Description = "GPG signatures: the lookaside base (file:// to write; file:// or http(s):// to read) instead of the one registries.d names.",
    };

    public Option<string?> RegistriesDirectory { get; } = new("--registries.d")
    {
        HelpName = "dir",
        Description = "GPG signatures: the registries.d directory (default ~/.config/containers/registries.d, then /etc/containers/registries.d).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Lookaside);
        command.Options.Add(RegistriesDirectory);
    }

    public SimpleSigningOptions Read(ParseResult parse, ImageOpenOptions image, CliIo io)
    {
        Uri? lookaside = null;
        if (parse.GetValue(Lookaside) is { } text)
        {
            lookaside = Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
                : Uri.TryCreate(Path.GetFullPath(text, io.WorkingDirectory), UriKind.Absolute, out var path) ? path
                : throw StrataException.Usage($"--lookaside '{Redaction.Quote(text)}': not a URL or path.");
        }

        var directory = parse.GetValue(RegistriesDirectory) is { } d ? Path.GetFullPath(d, io.WorkingDirectory) : null;
        return new SimpleSigningOptions { Image = image, Lookaside = lookaside, Registries = RegistriesConfiguration.Load(directory) };
    }

    /// <summary>The image's Docker identity: --image-identity, else the registry reference of a docker:// (or bare) image.</summary>
    public static ImageReference? DockerIdentity(string target, ImageReference? given)
    {
        if (given is not null || target.StartsWith("oci:", StringComparison.Ordinal) || target.StartsWith("dir:", StringComparison.Ordinal))
        {
            return given;
        }

        var text = target.StartsWith("docker://", StringComparison.Ordinal) ? target["docker://".Length..] : target;
        return ImageReference.TryParse(text, out var reference, out _) ? reference : null;
    }

    public static async Task<int> VerifyAsync(string target, string[] keyrings, ImageReference? identityOf, SignedIdentity identity, SimpleSigningOptions options, CliIo io, CancellationToken cancellationToken)
    {
        var keyring = OpenPgpKeyring.Load(keyrings);
        var result = await SimpleSigningWorkflow.VerifyAsync(
            target,
            keyring,
            signed => identityOf is null
                ? "the image has no Docker identity to match the signature's (give --image-identity)"
                : identity.Matches(identityOf, signed, out var reason) ? null : reason,
            options,
            cancellationToken);
        var text = new StringBuilder();
        text.Append(target).Append(result.ManifestDigest is { } digest ? $" ({digest})" : string.Empty).Append(": GPG simple signatures, identity ").Append(identity)
            .Append(identityOf is null ? string.Empty : $" against {identityOf}").Append('\n');
        foreach (var check in result.Signatures)
        {
            text.Append(check.Accepted ? "  VERIFIED " : "  REJECTED ").Append(check.Location).Append(": ")
                .Append(check.Accepted ? $"signed by {check.SignerFingerprint} for {check.Payload!.DockerReference}" : Redaction.Quote(check.Problem ?? string.Empty, 400)).Append('\n');
        }

        var valid = result.Signatures.Count(s => s.Accepted);
        text.Append(result.Accepted
            ? $"verified: {valid} of {result.Signatures.Count} signatures valid\n"
            : $"not verified: {Redaction.Quote(result.Problem ?? (result.Signatures.Count == 0 ? "no GPG simple signatures found" : "no valid signature"), 400)}\n");
        await io.Out.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
        return (int)(result.Accepted ? ExitCode.Clean : ExitCode.Findings);
    }
}
