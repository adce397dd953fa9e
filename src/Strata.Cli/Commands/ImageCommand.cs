namespace Strata.Cli.Commands;

using System.CommandLine;
using Strata.Core;
using Strata.Core.Scanning;
using Strata.Core.Targets;
using Strata.Oci;
using Strata.Oci.Extraction;
using Strata.Oci.FileSystem;
using Strata.Oci.Resolution;

/// <summary><c>strata image inspect|files|extract TARGET</c>: look inside an image without a container engine.</summary>
internal static class ImageCommand
{
    private const string TargetHelp = "The image: oci:DIR[:TAG|@DIGEST], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], dir:DIR, docker://REF, a bare REF (= docker://REF), or a directory holding an OCI layout.";

    public static Command Create(GlobalOptions global, CliIo io)
    {
        var command = new Command("image", "Inspect an image, list its files, or extract its root filesystem; no container engine needed.");

        var inspectTarget = new Argument<string>("target") { Description = TargetHelp };
        var inspectAccess = new ImageAccessArguments();
        var inspect = new Command("inspect", "Show the manifest, platform, config (env values redacted) and every layer with what it changed and the bytes it wastes.") { inspectTarget };
        inspectAccess.AddTo(inspect);
        inspect.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(global.Debug), () => InspectAsync(parse, global, io, parse.GetValue(inspectTarget)!, inspectAccess.Read(parse), ct)));
        command.Subcommands.Add(inspect);

        var filesTarget = new Argument<string>("target") { Description = TargetHelp };
        var filesAccess = new ImageAccessArguments();
        var layer = new Option<int?>("--layer") { HelpName = "N", Description = "Only paths layer N (0 = the base layer, as numbered by 'image inspect') added, changed or deleted.", CustomParser = ParseLayer };
        var deleted = new Option<bool>("--deleted") { Description = "Only paths a layer deleted (they are still shipped in a lower layer)." };
        var files = new Command("files", "List the image's files: type, mode, owner, size, link target, the layer that added it and the layers that changed or deleted it.") { filesTarget, layer, deleted };
        filesAccess.AddTo(files);
        files.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(global.Debug), () => FilesAsync(parse, global, io, parse.GetValue(filesTarget)!, filesAccess.Read(parse), parse.GetValue(layer), parse.GetValue(deleted), ct)));
        command.Subcommands.Add(files);

        var extractTarget = new Argument<string>("target") { Description = TargetHelp };
        var directory = new Argument<string>("directory") { Description = "Where to write the root filesystem: a new or empty directory (a non-empty one is refused)." };
        var extractAccess = new ImageAccessArguments();
        var extract = new Command("extract", "Write the image's merged root filesystem (whiteouts applied) into DIR; nothing is ever written outside it.") { extractTarget, directory };
        extractAccess.AddTo(extract);
        extract.SetAction((parse, ct) => StrataCli.GuardAsync(io, parse.GetValue(global.Debug), () => ExtractAsync(parse, global, io, parse.GetValue(extractTarget)!, parse.GetValue(directory)!, extractAccess.Read(parse), ct)));
        command.Subcommands.Add(extract);
        return command;
    }

    /// <summary>The transport reference of an image target, with the same syntax as <c>strata scan</c>.</summary>
    internal static string ResolveImage(string text)
    {
        var target = TargetResolver.Resolve(text);
        return target.Kind == TargetKind.Image
            ? target.Locator
            : throw StrataException.Usage($"{text}: not an image but a {target.Kind.ToName()} target; name an image as oci:DIR[:TAG], oci-archive:FILE, docker-archive:FILE, dir:DIR or docker://REF.");
    }

    private static async Task<int> InspectAsync(ParseResult parse, GlobalOptions global, CliIo io, string text, ImageAccessOptions access, CancellationToken cancellationToken)
    {
        var json = IsJson(parse, global, "image inspect");
        var image = await OpenAsync(text, access, cancellationToken);
        await using (image.Source)
        {
            var summary = await ImageInspector.InspectAsync(image, cancellationToken);
            await ReportOutput.WriteAsync(io, parse.GetValue(global.Output), stream => json
                ? ImageReports.WriteInspectJsonAsync(summary, stream, cancellationToken)
                : ImageReports.WriteInspectTableAsync(image, summary, stream, cancellationToken));
        }

        return (int)ExitCode.Clean;
    }

    private static async Task<int> FilesAsync(ParseResult parse, GlobalOptions global, CliIo io, string text, ImageAccessOptions access, int? layer, bool deletedOnly, CancellationToken cancellationToken)
    {
        var json = IsJson(parse, global, "image files");
        if (layer is < 0)
        {
            throw StrataException.Usage($"--layer {layer}: layers are numbered from 0.");
        }

        var image = await OpenAsync(text, access, cancellationToken);
        await using (image.Source)
        {
            if (layer is int index && index >= image.Layers.Count)
            {
                throw StrataException.Usage($"--layer {index}: {image.Reference} (manifest {image.ManifestDigest}) has {image.Layers.Count} layers, numbered 0 to {image.Layers.Count - 1}.");
            }

            var fileSystem = await LayeredFileSystem.BuildAsync(image, cancellationToken);
            var listing = ImageInspector.ListFiles(fileSystem, layer, includeDeleted: deletedOnly);
            if (deletedOnly)
            {
                listing = [.. listing.Where(f => !f.Exists)];
            }

            var query = new FileQuery(layer, deletedOnly);
            await ReportOutput.WriteAsync(io, parse.GetValue(global.Output), stream => json
                ? ImageReports.WriteFilesJsonAsync(image, query, listing, stream, cancellationToken)
                : ImageReports.WriteFilesTableAsync(query, listing, stream, cancellationToken));
        }

        return (int)ExitCode.Clean;
    }

    private static async Task<int> ExtractAsync(ParseResult parse, GlobalOptions global, CliIo io, string text, string directory, ImageAccessOptions access, CancellationToken cancellationToken)
    {
        var json = IsJson(parse, global, "image extract");
        var full = Path.GetFullPath(directory, io.WorkingDirectory);

        // Checked before anything is pulled; the extractor checks again. Merging into existing content is refused
        // on purpose: what is already there (a symlink, a stale file) would change what the image means.
        if (File.Exists(full))
        {
            throw StrataException.Usage($"{directory}: exists and is not a directory.");
        }

        var existed = Directory.Exists(full);
        if (existed && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw StrataException.Usage($"{directory}: directory is not empty; extract into a new or empty directory.");
        }

        var image = await OpenAsync(text, access, cancellationToken);
        await using (image.Source)
        {
            ExtractionReport report;
            try
            {
                report = await ImageExtractor.ExtractAsync(image, full, ExtractOptions.Default, cancellationToken);
            }
            catch when (!existed)
            {
                RemoveIfEmpty(full);
                throw;
            }

            if (!parse.GetValue(global.Quiet))
            {
                await io.Error.WriteLineAsync(ImageReports.ExtractionLine(image, directory, report));
                foreach (var skipped in report.Skipped)
                {
                    await io.Error.WriteLineAsync($"skipped: {skipped}");
                }
            }

            var output = parse.GetValue(global.Output);
            if (json || output is not null)
            {
                await ReportOutput.WriteAsync(io, output, stream => json
                    ? ImageReports.WriteExtractionJsonAsync(image, full, report, stream, cancellationToken)
                    : ImageReports.WriteTextAsync(ImageReports.ExtractionLine(image, directory, report) + "\n", stream, cancellationToken));
            }
        }

        return (int)ExitCode.Clean;
    }

    // The default parser's error names the CLR type (System.Nullable`1[System.Int32]); say what a layer number is.
    private static int? ParseLayer(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        result.AddError($"--layer '{text}': not a layer number (0 = the base layer, as numbered by 'image inspect').");
        return null;
    }

    private static async Task<ResolvedImage> OpenAsync(string text, ImageAccessOptions access, CancellationToken cancellationToken)
    {
        var locator = ResolveImage(text);
        return await ImageResolver.OpenAsync(locator, access.ToOpenOptions(), cancellationToken);
    }

    private static bool IsJson(ParseResult parse, GlobalOptions global, string name) => parse.GetValue(global.Format) switch
    {
        "json" => true,
        "table" => false,
        var other => throw StrataException.Usage($"{name} supports --format table or json, not {other}."),
    };

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

/// <summary>What <c>image files</c> was asked for, echoed in its output.</summary>
internal sealed record FileQuery(int? Layer, bool DeletedOnly);

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

    public void AddTo(Command command)
    {
        command.Options.Add(Platform);
        command.Options.Add(Credentials);
        command.Options.Add(AuthFile);
        command.Options.Add(TlsVerify);
    }

    /// <summary>Reads and checks the options: a malformed platform or credentials is a usage error before anything is opened.</summary>
    public ImageAccessOptions Read(ParseResult parse)
    {
        var access = new ImageAccessOptions
        {
            Platform = parse.GetValue(Platform),
            Credentials = parse.GetValue(Credentials),
            AuthFile = parse.GetValue(AuthFile),
            TlsVerify = parse.GetValue(TlsVerify),
        };
        _ = access.ToOpenOptions();
        return access;
    }
}
