namespace Strata.Cli.Commands;

using System.CommandLine;
using Strata.Core;
using Strata.Core.Findings;
using Strata.Oci;
using Strata.Oci.Extraction;
using Strata.Oci.FileSystem;
using Strata.Oci.Resolution;
using Strata.Oci.Transports;
using Strata.Reporting;
using Strata.Reporting.Images;
using Strata.Secrets;

/// <summary><c>strata image inspect|files|extract TARGET</c>: look inside an image without a container engine.</summary>
internal static class ImageCommand
{
    private static readonly string TargetHelp = $"The image: {ImageTransports.Syntaxes}, a bare REF (= docker://REF), or a local layout, archive or dir: copy without its prefix.";

    public static Command Create(SharedOptions shared, CliIo io)
    {
        var command = new Command("image", "Inspect an image, list its files, or extract its root filesystem; no container engine needed.");
        var settings = io.ReportSettings;

        var inspectTarget = new Argument<string>("target") { Description = TargetHelp };
        var inspectAccess = new ImageAccessArguments();
        var inspectReport = new ReportOptions<ImageInspectDocument>(ReportWriterFactory.ForImageInspect(settings), shared);
        var inspect = new Command("inspect", "Show the manifest, platform, config (env values redacted) and every image layer with what it changed and the bytes it wastes.") { inspectTarget };
        inspectReport.AddTo(inspect);
        SharedOptions.Add(inspect, shared.Limits, shared.Debug);
        inspectAccess.AddTo(inspect);
        inspect.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => InspectAsync(parse, inspectReport, io, parse.GetValue(inspectTarget)!, inspectAccess.Read(parse, parse.GetValue(shared.Limits) ?? Limits.Default), ct)));
        command.Subcommands.Add(inspect);

        var filesTarget = new Argument<string>("target") { Description = TargetHelp };
        var filesAccess = new ImageAccessArguments();
        var filesReport = new ReportOptions<ImageFilesDocument>(ReportWriterFactory.ForImageFiles(settings), shared);
        var imageLayer = new Option<int?>("--image-layer") { HelpName = "N", Description = "Only paths image layer N (0 = the base, as numbered by 'image inspect') added, changed or deleted.", CustomParser = ParseImageLayer };
        var deleted = new Option<bool>("--deleted") { Description = "Only paths an image layer deleted (they are still shipped in a lower image layer)." };
        var files = new Command("files", "List the image's files: type, mode, owner, size, link target, the image layer that added it and the image layers that changed or deleted it.") { filesTarget, imageLayer, deleted };
        filesReport.AddTo(files);
        SharedOptions.Add(files, shared.Limits, shared.Debug);
        filesAccess.AddTo(files);
        files.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => FilesAsync(parse, filesReport, io, parse.GetValue(filesTarget)!, filesAccess.Read(parse, parse.GetValue(shared.Limits) ?? Limits.Default), parse.GetValue(imageLayer), parse.GetValue(deleted), ct)));
        command.Subcommands.Add(files);

        var extractTarget = new Argument<string>("target") { Description = TargetHelp };
        var directory = new Argument<string>("directory") { Description = "Where to write the root filesystem: a new or empty directory (a non-empty one is refused)." };
        var extractAccess = new ImageAccessArguments();
        var extractReport = new ReportOptions<ImageExtractDocument>(ReportWriterFactory.ForImageExtract(settings), shared);
        var extract = new Command("extract", "Write the image's merged root filesystem (whiteouts applied) into DIR and a summary to stderr; nothing is ever written outside DIR.") { extractTarget, directory };
        extractReport.AddTo(extract);
        SharedOptions.Add(extract, shared.Limits, shared.Quiet, shared.Debug);
        extractAccess.AddTo(extract);
        extract.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(shared.Debug), () => ExtractAsync(parse, shared, extractReport, io, parse.GetValue(extractTarget)!, parse.GetValue(directory)!, extractAccess.Read(parse, parse.GetValue(shared.Limits) ?? Limits.Default), ct)));
        command.Subcommands.Add(extract);
        return command;
    }

    private static async Task<int> InspectAsync(ParseResult parse, ReportOptions<ImageInspectDocument> report, CliIo io, string text, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        var image = await OpenAsync(text, options, cancellationToken);
        await using (image.Source)
        {
            var summary = Safe(await ImageInspector.InspectAsync(image, cancellationToken));
            summary = summary with
            {
                Layers = [.. summary.Layers.Select(l => l.Encryption is { } encryption
                    ? l with { Encryption = encryption with { Recipients = Encryption.EncryptedLayerInfo.Recipients(image.Layers[l.Index].Descriptor, $"{image.Reference}: {image.Layers[l.Index].Describe()}") } }
                    : l)],
            };
            await report.WriteAsync(parse, io, new ImageInspectDocument(image, summary), cancellationToken);
        }

        return (int)ExitCode.Clean;
    }

    private static async Task<int> FilesAsync(ParseResult parse, ReportOptions<ImageFilesDocument> report, CliIo io, string text, ImageOpenOptions options, int? layer, bool deletedOnly, CancellationToken cancellationToken)
    {
        if (layer is < 0)
        {
            throw StrataException.Usage($"--image-layer {layer}: image layers are numbered from 0.");
        }

        var image = await OpenAsync(text, options, cancellationToken);
        await using (image.Source)
        {
            if (layer is int index && index >= image.Layers.Count)
            {
                throw StrataException.Usage($"--image-layer {index}: {image.Reference} (manifest {image.ManifestDigest}) has {image.Layers.Count} image layers, numbered 0 to {image.Layers.Count - 1}.");
            }

            var fileSystem = await LayeredFileSystem.BuildAsync(image, cancellationToken);
            var listing = ImageInspector.ListFiles(fileSystem, layer, includeDeleted: deletedOnly)
                .Select(f => f with { CreatedBy = BuildStepText.Safe(f.CreatedBy, BuildSteps.Scanner) }).ToList();
            if (deletedOnly)
            {
                listing = [.. listing.Where(f => !f.Exists)];
            }

            await report.WriteAsync(parse, io, new ImageFilesDocument(image, layer, deletedOnly, listing), cancellationToken);
        }

        return (int)ExitCode.Clean;
    }

    private static async Task<int> ExtractAsync(ParseResult parse, SharedOptions shared, ReportOptions<ImageExtractDocument> report, CliIo io, string text, string directory, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(directory, io.WorkingDirectory);

        // Checked before anything is pulled; the extractor checks again. Merging into existing content is refused
        // on purpose: what is already there (a symlink, a stale file) would change what the image means.
        if (File.Exists(full))
        {
            throw StrataException.Usage($"{Redaction.Quote(directory, 200)}: exists and is not a directory.");
        }

        var existed = Directory.Exists(full);
        if (existed && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw StrataException.Usage($"{Redaction.Quote(directory, 200)}: directory is not empty; extract into a new or empty directory.");
        }

        var image = await OpenAsync(text, options, cancellationToken);
        await using (image.Source)
        {
            ExtractionReport extraction;
            try
            {
                extraction = await ImageExtractor.ExtractAsync(image, full, ExtractOptions.Default, cancellationToken);
            }
            catch when (!existed)
            {
                RemoveIfEmpty(full);
                throw;
            }

            var document = new ImageExtractDocument(image, directory, full, extraction);
            if (!parse.GetValue(shared.Quiet))
            {
                await io.Error.WriteLineAsync(ImageExtractTextWriter.Line(document));
                foreach (var skipped in extraction.Skipped)
                {
                    await io.Error.WriteLineAsync($"skipped: {skipped}");
                }
            }

            // The summary is on stderr already; stdout gets a document only when one was asked for.
            if (report.Writer(parse) is not ImageExtractTextWriter || parse.GetValue(report.Output) is not null)
            {
                await report.WriteAsync(parse, io, document, cancellationToken);
            }
        }

        return (int)ExitCode.Clean;
    }

    // The default parser's error names the CLR type (System.Nullable`1[System.Int32]); say what an image layer number is.
    private static int? ParseImageLayer(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        result.AddError($"--image-layer '{Redaction.Quote(text)}': not an image layer number (0 = the base, as numbered by 'image inspect').");
        return null;
    }

    /// <summary>The built-in secret rules, for the build steps and labels these commands show.</summary>
    private static readonly SecretScannerProvider BuildSteps = new();

    /// <summary>
    /// Build steps record build-argument values (<c>|1 TOKEN=…</c>) and labels are free text: each is shown masked, as
    /// <c>strata scan</c> shows them, so inspecting an image never prints a secret its history holds.
    /// </summary>
    private static ImageSummary Safe(ImageSummary summary)
    {
        var scanner = BuildSteps.Scanner;
        var labels = summary.Config.Labels.ToDictionary(
            l => l.Key,
            l => BuildStepText.HoldsSecret($"{l.Key}={l.Value}", scanner) ? Redaction.Redact(l.Value) : SecretText.Mask(l.Value),
            StringComparer.Ordinal);
        return summary with
        {
            Config = summary.Config with { Labels = labels },
            Layers = [.. summary.Layers.Select(l => l with { CreatedBy = BuildStepText.Safe(l.CreatedBy, scanner) })],
        };
    }

    private static async Task<ResolvedImage> OpenAsync(string text, ImageOpenOptions options, CancellationToken cancellationToken)
    {
        return await ImageResolver.OpenAsync(ImageTransports.Locate(text), options, cancellationToken);
    }

    private static void RemoveIfEmpty(string directory)
    {
        try
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }
        catch (IOException)
        {
            // Best effort: an empty directory left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>
/// <c>--platform</c>, <c>--creds</c>, <c>--authfile</c> and <c>--tls-verify</c>, shared by <c>strata image</c> and
/// <c>strata scan</c>; each command gets its own instances (an option belongs to one command).
/// </summary>
internal sealed class ImageAccessArguments
{
    public Option<string?> Platform { get; } = new("--platform")
    {
        HelpName = "os/arch[/variant]",
        Description = "Choose from a multi-platform image: os/arch[/variant], e.g. linux/arm64/v8 (default linux/amd64, or the only one).",
    };

    public Option<string?> Credentials { get; } = new("--creds")
    {
        HelpName = "user:pass",
        Description = "USERNAME:PASSWORD for the registry; wins over credential files. Never printed.",
    };

    public Option<string?> AuthFile { get; } = new("--authfile")
    {
        HelpName = "file",
        Description = "Read registry credentials only from this file (containers auth.json or docker config.json format).",
    };

    public Option<bool> TlsVerify { get; } = new("--tls-verify")
    {
        Description = "Verify registry certificates and use https only (default true); --tls-verify=false also allows plain http.",
        DefaultValueFactory = _ => true,
    };

    public Option<string[]> DecryptionKeys { get; } = new("--decryption-key")
    {
        HelpName = "file[:password]",
        Description = "Open ocicrypt-encrypted layers with this key (repeatable; as for 'strata decrypt --key'); without one, encrypted layers are not read.",
        Arity = ArgumentArity.OneOrMore,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Platform);
        command.Options.Add(Credentials);
        command.Options.Add(AuthFile);
        command.Options.Add(TlsVerify);
        command.Options.Add(DecryptionKeys);
    }

    /// <summary>Reads and checks the options: a malformed platform or credentials is a usage error before anything is opened.</summary>
    /// <param name="limits">The run's <c>--limits</c> (default <see cref="Limits.Default"/>).</param>
    public ImageOpenOptions Read(ParseResult parse, Limits? limits = null) =>
        ImageOpenOptions.FromCommandLine(parse.GetValue(Platform), parse.GetValue(Credentials), parse.GetValue(AuthFile), parse.GetValue(TlsVerify), ImageOpenOptions.Default with { Limits = limits ?? Limits.Default }) with
        {
            // The keys live as long as the command (one process): they are not disposed earlier.
            LayerDecryptor = parse.GetValue(DecryptionKeys) is { Length: > 0 } keys ? new Encryption.LayerDecryptor(Encryption.Keys.DecryptionKeys.Parse(keys)) : null,
        };
}
