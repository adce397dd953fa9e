namespace Strata.Images.Dockerfile.Fixes;

using System.Text.RegularExpressions;
using Strata.Core.Findings;

/// <summary>
/// DKF-002: a secret passed by ARG or ENV becomes a BuildKit secret mount: the ARG/ENV line goes, and each RUN that
/// uses the variable mounts the secret and reads it (<c>RUN --mount=type=secret,id=npm_token,required=true export
/// NPM_TOKEN="$(cat /run/secrets/npm_token)" &amp;&amp; …</c>). Nothing of the secret reaches the history, the layers or
/// the configuration; the build supplies it with <c>--secret id=npm_token,src=FILE</c> (buildah, podman, docker buildx).
/// Only when the variable is used by RUNs of its own stage and nowhere else (not at run time, not by other stages).
/// </summary>
public sealed partial class SecretMountFix : DockerfileFix
{
    public override string RuleId => "DKF-002";

    public override string Description => "pass the secret with RUN --mount=type=secret";

    public override IReadOnlyList<TextEdit> Edits(FixSubject subject, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(finding);
        var (stage, declaration) = subject.InstructionAt(finding);
        if (stage is null || declaration is not { Keyword: "ARG" or "ENV", Pairs: [var pair] } || !stage.Instructions.Contains(declaration))
        {
            return [];
        }

        var name = pair.Key;
        if (!ValidName().IsMatch(name))
        {
            return [];
        }

        var reference = new Regex(@"\$(\{" + Regex.Escape(name) + @"([:}#%/+\-?])|" + Regex.Escape(name) + @"(?![A-Za-z0-9_]))", RegexOptions.CultureInvariant);
        var after = stage.Instructions.SkipWhile(i => !ReferenceEquals(i, declaration)).Skip(1).ToList();
        var users = new List<DockerfileInstruction>();
        foreach (var instruction in after)
        {
            var uses = reference.IsMatch(instruction.Original) || instruction.Heredocs.Any(h => reference.IsMatch(h.Body));
            if (!uses)
            {
                continue;
            }

            if (instruction is not { Keyword: "RUN", IsExecForm: false } || instruction.Heredocs.Count > 0)
            {
                return [];
            }

            users.Add(instruction);
        }

        // A later stage built FROM this one inherits an ENV: it must not use it either.
        if (declaration.Keyword == "ENV" && subject.Document.Stages.Any(s => s.BaseStage == stage && s.Instructions.Any(i => reference.IsMatch(i.Original))))
        {
            return [];
        }

        var source = subject.Source;
        var id = name.ToLowerInvariant();
        // The declaration's lines go, with their line break.
        var removeFrom = source.LineStart(declaration.StartLine);
        var removeTo = declaration.EndLine < source.LineCount ? source.LineStart(declaration.EndLine + 1) : source.Text.Length;
        var edits = new List<TextEdit> { new(removeFrom, removeTo - removeFrom, string.Empty) };
        foreach (var run in users)
        {
            var line = source.Line(run.StartLine);
            var keyword = line.IndexOf("RUN", StringComparison.OrdinalIgnoreCase);
            if (keyword < 0 || run.Script is not { Commands.Count: > 0 } script || subject.Offset(script, script.Commands[0]) is not int scriptStart)
            {
                return [];
            }

            edits.Add(TextEdit.Insert(source.LineStart(run.StartLine) + keyword + 3, $" --mount=type=secret,id={id},required=true"));
            edits.Add(TextEdit.Insert(scriptStart, $"export {name}=\"$(cat /run/secrets/{id})\" && "));
        }

        return edits;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
