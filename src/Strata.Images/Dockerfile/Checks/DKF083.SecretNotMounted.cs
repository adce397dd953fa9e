namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Images.Dockerfile.Context;
using Strata.Secrets;

/// <summary>
/// A RUN uses a secret that reached the build as a build argument or as a copied credential file, where a secret
/// mount (<c>RUN --mount=type=secret</c>, or <c>--mount=type=ssh</c> for an SSH key) would keep it out of the image.
/// </summary>
public sealed partial class SecretNotMounted : Check<DockerfileBuild>
{
    private const int MaxShown = 240;

    /// <summary>Commands that name a file without reading what it holds.</summary>
    private static readonly HashSet<string> NotReaders = new(StringComparer.Ordinal) { "rm", "unlink", "shred", "chmod", "chown", "chgrp", "ls", "stat", "test", "[", "touch", "mv" };

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-083",
        Title = "Secret used in RUN without a secret mount",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "A build step that needs a credential (a registry token for `npm ci`, a `.netrc` for `pip`, an SSH key for `git clone`) often gets it as a build argument or by copying a credential file. A build argument is recorded with every RUN that uses it in the image history (`docker history --no-trunc`) and in the build cache; a copied file is stored in the COPY's layer, even if a later step deletes it. A secret mount gives the step the credential for its duration only: it is never written to a layer, the history or the cache key. With the build context (`--context`), credential files a directory copy brings in are found too. In the examples, `# context: PATH = CONTENT` comment lines are the files of the build context (`strata scan Dockerfile --context DIR`).",
        Remediation = "Mount the secret into the one RUN that needs it and drop the ARG or the COPY: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` (Dockerfile syntax 1.10+; older builders: `--mount=type=secret,id=npm_token` and read `/run/secrets/npm_token`), or for a file `RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci`; build with `docker build --secret id=npm_token,env=NPM_TOKEN` or `--secret id=npmrc,src=$HOME/.npmrc`. For an SSH key use `RUN --mount=type=ssh git clone …` and `docker build --ssh default`. Each finding shows its instruction rewritten.",
        References = ["https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/reference/dockerfile/#run---mounttypesecret", "https://docs.docker.com/reference/dockerfile/#run---mounttypessh"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nARG NPM_TOKEN\nRUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci", true, "a build argument, in the history of the RUN"),
            new RuleExample("FROM python:3.12-slim\nARG PYPI_PASSWORD\nRUN pip install --index-url https://ci:$PYPI_PASSWORD@pypi.example.com/simple app", true),
            new RuleExample("FROM node:22-slim\nWORKDIR /app\nCOPY .npmrc package.json package-lock.json ./\nRUN npm ci", true, "a credential file copied for npm"),
            new RuleExample("FROM alpine:3.20\nCOPY id_ed25519 /root/.ssh/id_ed25519\nRUN apk add git openssh && git clone git@github.com:example/private.git", true, "an SSH key: use an SSH mount"),
            new RuleExample("FROM python:3.12-slim\nWORKDIR /src\nCOPY . .\nRUN pip install .\n# context: setup.py = print(1)\n# context: .netrc = machine pypi.example.com login ci password hunter22", true, "a .netrc that COPY . . brought"),
            new RuleExample("FROM node:22-slim\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci", false, "the secret mount"),
            new RuleExample("FROM node:22-slim\nARG NODE_ENV=production\nARG TOKEN_URL\nRUN npm ci && curl $TOKEN_URL", false, "arguments that are not secrets"),
            new RuleExample("FROM node:22-slim\nARG NPM_TOKEN\nRUN npm ci", false, "declared, never used in a RUN (DKF-002 reports the ARG)"),
            new RuleExample("FROM node:22-slim\nCOPY .npmrc /app/\nRUN echo done", false, "no RUN reads the file (DKF-080 reports a secret in it)"),
            new RuleExample("FROM python:3.12-slim\nCOPY . /src\nRUN pip install /src\n# context: .dockerignore = .netrc\n# context: setup.py = print(1)\n# context: .netrc = machine pypi.example.com login ci password hunter22", false, "kept out by .dockerignore"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileBuild subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var shipped = subject.Dockerfile.ShippedStages;
        foreach (var stage in subject.Dockerfile.Stages)
        {
            var arguments = new List<string>();
            var files = new List<(CopiedPath Path, CredentialFile Kind, ContextCopy Copy)>();
            var copies = subject.CopiesOf(stage).ToList();
            foreach (var instruction in stage.Instructions)
            {
                if (instruction.Keyword == "ARG")
                {
                    arguments.AddRange(instruction.Pairs.Select(p => p.Key).Where(SecretText.IsSecretName));
                    continue;
                }

                if (copies.FirstOrDefault(c => ReferenceEquals(c.Instruction, instruction)) is { } copied)
                {
                    foreach (var path in copied.Paths.Where(p => p.Kind is CopiedKind.File or CopiedKind.Unknown))
                    {
                        var holdsKey = path.ContextPath is not null && subject.Secrets.TryGetValue(path.ContextPath, out var matches) && matches.Any(m => m.Rule.Id.StartsWith("SEC-PRIVATE-KEY", StringComparison.Ordinal));
                        if (CredentialFile.Classify(path.ContextPath ?? path.ImagePath, holdsKey) is { } kind)
                        {
                            files.Add((path, kind, copied));
                        }
                    }

                    continue;
                }

                if (instruction.Keyword != "RUN" || instruction.Script is not { } script)
                {
                    continue;
                }

                var ships = shipped.Contains(stage);
                foreach (var argument in arguments.Distinct(StringComparer.Ordinal))
                {
                    if (MountsSecretAs(instruction, argument) || script.Commands.FirstOrDefault(c => c.Words.Any(w => References(w, argument))) is not { } user)
                    {
                        continue;
                    }

                    var id = argument.ToLowerInvariant();
                    var rewritten = Rewrite(instruction, $"--mount=type=secret,id={id},env={argument}");
                    var finding = DockerfileFindings.AtCommand(Rule, subject.Dockerfile, context.Target, stage, instruction, user, $"RUN uses the build argument {argument}, whose value is recorded in the image history: use a secret mount instead ({rewritten.Split('\n')[0]}), drop ARG {argument}, and build with --secret id={id},env={argument}.", Severity.Medium);
                    yield return finding with { Remediation = $"Rewrite the instruction as:\n\n    {rewritten}\n\nremove `ARG {argument}`, and build with `docker build --secret id={id},env={argument} .`.\n\n{Rule.Remediation}" };
                }

                foreach (var (path, kind, copy) in files)
                {
                    var name = GoPath.Base(path.ImagePath);
                    var user = script.Commands.FirstOrDefault(c => kind.Readers.Contains(c.Program, StringComparer.Ordinal) || (!NotReaders.Contains(c.Program) && c.Arguments.Any(w => Names(w, name))));
                    if (user is null || MountsAt(instruction, path.ImagePath))
                    {
                        continue;
                    }

                    var id = CredentialFile.SecretId(path.ImagePath);
                    var mount = kind.IsSshKey ? "--mount=type=ssh" : $"--mount=type=secret,id={id},target={path.ImagePath}";
                    var rewritten = Rewrite(instruction, mount);
                    var build = kind.IsSshKey ? "docker build --ssh default" : $"docker build --secret id={id},src=<path of {name}>";
                    var drop = path.NamedBySource ? $"drop it from the {copy.Instruction.Keyword} at line {copy.Instruction.StartLine.ToString(CultureInfo.InvariantCulture)}" : $"keep {name} out with .dockerignore";
                    var severity = !ships ? Severity.Low : kind.IsSshKey || (path.ContextPath is not null && subject.Secrets.ContainsKey(path.ContextPath)) ? Severity.High : Severity.Medium;
                    var where = ships ? "stored in the layer of" : $"in the build cache and stage {stage.Label}'s layers (the stage does not ship), copied by";
                    var finding = DockerfileFindings.AtCommand(Rule, subject.Dockerfile, context.Target, stage, instruction, user, $"{user.Program} reads {path.ImagePath} ({kind.Holds}), {where} the {copy.Instruction.Keyword} at line {copy.Instruction.StartLine.ToString(CultureInfo.InvariantCulture)}: use {mount} instead and {drop}.", severity);
                    yield return finding with { Location = finding.Location with { Path = path.ImagePath }, Remediation = $"Rewrite the instruction as:\n\n    {rewritten}\n\n{drop}, and build with `{build} .`.\n\n{Rule.Remediation}" };
                }
            }
        }
    }

    /// <summary>True when <paramref name="word"/> is a path to a file named <paramref name="name"/> (alone, after a slash or an option's <c>=</c>).</summary>
    private static bool Names(string word, string name) =>
        word.EndsWith(name, StringComparison.Ordinal) && (word.Length == name.Length || word[^(name.Length + 1)] is '/' or '=');

    /// <summary>True when <paramref name="word"/> expands the variable: <c>$NAME</c> or <c>${NAME…}</c>.</summary>
    private static bool References(string word, string name)
    {
        foreach (Match match in VariableReference().Matches(word))
        {
            if (match.Groups["name"].Value == name)
            {
                return true;
            }
        }

        return false;
    }

    private static bool MountsSecretAs(DockerfileInstruction run, string variable) =>
        run.Mounts.Any(m => m.GetValueOrDefault("type") == "secret" && m.GetValueOrDefault("env") == variable);

    private static bool MountsAt(DockerfileInstruction run, string path) =>
        run.Mounts.Any(m => m.GetValueOrDefault("type") is "secret" or "bind" && (m.GetValueOrDefault("target") ?? m.GetValueOrDefault("dst") ?? m.GetValueOrDefault("destination")) == path);

    /// <summary>The instruction as written with <paramref name="mount"/> after its keyword, secrets masked, cut short when long.</summary>
    private static string Rewrite(DockerfileInstruction run, string mount)
    {
        var original = run.Original.Trim();
        var keyword = original.IndexOf(' ', StringComparison.Ordinal);
        var text = keyword < 0 ? $"RUN {mount}" : $"{original[..keyword]} {mount}{original[keyword..]}";
        text = SecretText.Mask(text);
        return text.Length <= MaxShown ? text : text[..MaxShown] + " …";
    }

    [GeneratedRegex(@"\$(?:\{(?<name>[A-Za-z_][A-Za-z0-9_]*)|(?<name>[A-Za-z_][A-Za-z0-9_]*))", RegexOptions.CultureInvariant)]
    private static partial Regex VariableReference();
}
