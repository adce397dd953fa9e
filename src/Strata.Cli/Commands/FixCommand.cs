namespace Strata.Cli.Commands;

using System.CommandLine;
using System.Text;
using Strata.Core;
using Strata.Core.Documents;
using Strata.Core.Findings;
using Strata.Engine;
using Strata.Images.Dockerfile;
using Strata.Images.Dockerfile.Fixes;
using Strata.Oci;
using Strata.Oci.Registry;
using Strata.Secrets;

/// <summary><c>strata fix DOCKERFILE</c>: the mechanical fixes of the Dockerfile rules, as a unified diff or written in place.</summary>
internal static class FixCommand
{
    public static Command Create(SharedOptions shared, CliIo io)
    {
        var file = new Argument<string>("dockerfile") { Description = "The Dockerfile or Containerfile to fix." };
        var write = new Option<bool>("--write") { Description = "Write the fixed file in place (atomically) instead of printing the diff." };
        var rules = new Option<string[]>("--rule")
        {
            HelpName = "id",
            Description = "Fix only findings of this rule (repeatable). Default: every rule with a mechanical fix: " + string.Join(", ", DockerfileFixer.BuiltIn.Select(f => f.RuleId).Append("DKF-006").Distinct().Order(StringComparer.Ordinal)) + ".",
        };
        var pin = new Option<bool>("--pin-digests") { Description = "Resolve each FROM image's tag in its registry now and pin it by digest (DKF-006); needs the registry." };
        var imageAccess = new ImageAccessArguments();
        var command = new Command("fix", "Fix what the Dockerfile rules can fix mechanically; prints a unified diff (exit 1 when there is one) or, with --write, rewrites the file.") { file, write, rules, pin };
        imageAccess.AddTo(command);
        SharedOptions.Add(command, shared.Quiet, shared.Debug);
        command.SetAction((parse, cancellationToken) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => RunAsync(io, parse.GetValue(file)!, parse.GetValue(write), parse.GetValue(rules) ?? [], parse.GetValue(pin), parse.GetValue(shared.Quiet), imageAccess.Read(parse), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliIo io, string path, bool write, string[] ruleIds, bool pinDigests, bool quiet, ImageOpenOptions imageOptions, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path, io.WorkingDirectory);
        var text = BoundedFile.ReadAllText(full, DockerfileParser.MaxBytes, "a Dockerfile");
        var name = Path.GetFileName(full);
        var fixes = new List<DockerfileFix>(DockerfileFixer.BuiltIn);
        var known = fixes.Select(f => f.RuleId).Append("DKF-006").ToHashSet(StringComparer.Ordinal);
        var unknown = ruleIds.FirstOrDefault(r => !known.Contains(r.ToUpperInvariant()));
        if (unknown is not null)
        {
            throw StrataException.Usage($"--rule '{Redaction.Quote(unknown)}': no mechanical fix for it; rules with one: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }

        if (pinDigests)
        {
            fixes.Add(new DigestPinFix(await ResolveDigestsAsync(io, DockerfileParser.Parse(text, path), imageOptions, quiet, cancellationToken)));
        }

        var linter = new DockerfileScanner(new SecretScannerProvider());
        var fixer = new DockerfileFixer(linter, fixes);
        var only = ruleIds.Length == 0 ? null : ruleIds.Select(r => r.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        if (!pinDigests)
        {
            // Pinning needs the registry: only when asked for.
            only ??= fixes.Select(f => f.RuleId).ToHashSet(StringComparer.Ordinal);
            only.Remove("DKF-006");
        }

        var result = fixer.Fix(text, path, only, cancellationToken);
        if (!quiet)
        {
            foreach (var applied in result.Applied)
            {
                await io.Error.WriteLineAsync($"{StrataCli.Safe(path)}:{applied.Line}: {applied.RuleId}: {applied.Description}");
            }

            var left = result.Remaining.Where(f => only is null || only.Contains(f.RuleId) || !known.Contains(f.RuleId)).ToList();
            if (left.Count > 0)
            {
                await io.Error.WriteLineAsync($"{left.Count} finding(s) need a manual fix: {string.Join(", ", left.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} x{g.Count()}"))} (strata scan {StrataCli.Safe(path)} shows them).");
            }

            if (result.Applied.Any(a => a.RuleId == "DKF-002"))
            {
                await io.Error.WriteLineAsync("Secrets now come from build secrets: build with --secret id=<id>,src=<file> (buildah, podman) or --secret id=<id>,env=<VAR> (docker buildx); the ids are in the --mount flags.");
            }
        }

        if (!result.Changed)
        {
            return (int)ExitCode.Clean;
        }

        if (write)
        {
            await ReportOutput.WriteAsync(io, full, async stream =>
            {
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(result.FixedText);
                await stream.WriteAsync(bytes, cancellationToken);
            });
            return (int)ExitCode.Clean;
        }

        var diff = UnifiedDiff.Create(result.OriginalText, result.FixedText, Path.GetRelativePath(io.WorkingDirectory, full).Replace('\\', '/'));
        var output = Encoding.UTF8.GetBytes(diff);
        await io.Out.WriteAsync(output, cancellationToken);
        await io.Out.FlushAsync(cancellationToken);
        return (int)ExitCode.Findings;
    }

    /// <summary>The digest each pinnable FROM image's tag names now, read (and verified) from its registry.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> ResolveDigestsAsync(CliIo io, DockerfileDocument document, ImageOpenOptions options, bool quiet, CancellationToken cancellationToken)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        using var client = new RegistryClient(options.Registry);
        foreach (var image in DigestPinFix.Pinnable(document))
        {
            if (!ImageReference.TryParse(image, out var reference, out var error))
            {
                if (!quiet)
                {
                    await io.Error.WriteLineAsync($"warning: FROM {StrataCli.Safe(image)}: {StrataCli.Safe(error)}; not pinned.");
                }

                continue;
            }

            var manifest = await client.GetManifestAsync(reference, cancellationToken);
            digests[image] = manifest.Digest.ToString();
        }

        return digests;
    }
}
