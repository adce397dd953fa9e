namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>curl or wget output run directly by a shell or interpreter (curl … | sh, sh -c "$(curl …)", bash &lt;(curl …)).</summary>
public sealed class DownloadPipedToShell : Check<DockerfileDocument>
{
    private static readonly HashSet<string> Downloaders = new(StringComparer.Ordinal) { "curl", "wget", "fetch" };

    private static readonly HashSet<string> Interpreters = new(StringComparer.Ordinal)
    {
        "sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox", "python", "python2", "python3", "perl", "ruby", "node", "php", "pwsh", "powershell",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-007",
        Title = "Download piped to a shell",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "`curl … | sh` runs whatever the server sends at build time, as root, with nothing checking it: a compromised host, CDN or DNS, or a script changed upstream, executes in your build and ends up in the image. A connection cut mid-script can also run half of it.",
        Remediation = "Download to a file, verify it against a pinned checksum or signature, then run it: `curl -fsSLo /tmp/install.sh https://… && echo \"<sha256>  /tmp/install.sh\" | sha256sum -c - && sh /tmp/install.sh`. Better: install a pinned package or copy the tool from a pinned image (`COPY --from=tool@sha256:… /bin/tool /usr/local/bin/`).",
        References = ["https://docs.docker.com/build/building/best-practices/#run"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh", true),
            new RuleExample("FROM debian:12\nRUN wget -qO- https://example.com/setup | sudo -E bash -s -- --yes", true),
            new RuleExample("FROM debian:12\nRUN sh -c \"$(curl -fsSL https://example.com/install.sh)\"", true),
            new RuleExample("FROM debian:12\nRUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt", false, "piped to tar, not run"),
            new RuleExample("FROM debian:12\nRUN curl -fsSLo /tmp/i.sh https://example.com/i.sh && echo \"8f4e…  /tmp/i.sh\" | sha256sum -c - && sh /tmp/i.sh", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            if (Describe(script) is var (command, message))
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, command, message);
            }
        }
    }

    /// <summary>The command that runs the download (the interpreter), and what it does; null when none.</summary>
    private static (ShellCommand Command, string Message)? Describe(ShellScript script)
    {
        foreach (var pipeline in script.Pipelines)
        {
            var download = pipeline.FirstOrDefault(c => Downloaders.Contains(c.Program));
            if (download is not null)
            {
                var runner = pipeline.FirstOrDefault(c => c.PipelinePosition > download.PipelinePosition && Interpreters.Contains(c.Program));
                if (runner is not null)
                {
                    // The evidence spans the pipeline, from the download to the interpreter.
                    return (download with { End = runner.End }, $"The output of {download.Program} is piped to {runner.Program}, which runs it unverified.");
                }
            }
        }

        foreach (var command in script.Commands.Where(c => Interpreters.Contains(c.Program)))
        {
            foreach (var argument in command.Arguments)
            {
                foreach (var downloader in Downloaders)
                {
                    if (argument.Contains("$(" + downloader + " ", StringComparison.Ordinal) || argument.Contains("<(" + downloader + " ", StringComparison.Ordinal) || argument.Contains("`" + downloader + " ", StringComparison.Ordinal))
                    {
                        return (command, $"{command.Program} runs the output of {downloader} unverified.");
                    }
                }
            }
        }

        return null;
    }
}
