namespace Strata.Secrets;

using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>
/// An environment variable of the image config, or a build argument recorded in the history (<c>|2 NAME=value … RUN</c>),
/// whose name says it holds a secret and whose value is set, when no secret rule recognised the value itself.
/// </summary>
public static partial class SecretNamedVariable
{
    public static Rule Rule { get; } = new()
    {
        Id = "SEC-IMAGE-SECRET-VARIABLE",
        Title = "Secret-named variable set in the image config or build history",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "An environment variable of the image config (`docker inspect`) or a build argument that a RUN step saw (recorded as `|N NAME=value` at the start of its history entry, `docker history`) is readable by anyone who can pull the image. Its name (PASSWORD, TOKEN, SECRET, API_KEY …) says it holds a secret even when the value has no recognisable format.",
        Remediation = "Pass build secrets with a secret mount (`RUN --mount=type=secret,id=token,env=TOKEN …`, `docker build --secret id=token,env=TOKEN`), which writes nothing to the image or its history, and give runtime secrets to the container when it starts (orchestrator secrets, a mounted `*_FILE`). Rotate the value: it has already been published with the image.",
        References = ["https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/reference/dockerfile/#arg"],
        Equivalents = ["Dockle CIS-DI-0010", "Trivy secret scanning of image config"],
        Examples =
        [
            new RuleExample("$.config.Env[1]: DB_PASSWORD=quokkapie", true, "a bare word: only the name says it is a password"),
            new RuleExample("$.history[3].created_by: |1 DEPLOY_TOKEN=c7f2e9a1 /bin/sh -c ./deploy.sh", true, "a build argument recorded by the RUN that saw it"),
            new RuleExample("$.config.Env[1]: POSTGRES_PASSWORD_FILE=/run/secrets/db", false, "a path to a secret"),
            new RuleExample("$.config.Env[2]: GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", false, "a public key fingerprint"),
            new RuleExample("$.config.Env[3]: AUTH_TOKEN=", false, "empty"),
        ],
    };

    /// <summary>A secret-named assignment and where its value starts in the text (zero-based).</summary>
    public readonly record struct Assignment(string Name, string Value, int ValueStart, bool IsBuildArgument);

    /// <summary>
    /// Secret-named assignments of an Env entry (<c>NAME=value</c>) or of the build-argument prefix of a history line.
    /// </summary>
    /// <param name="jsonPath">Where the text is in the image config, e.g. <c>$.config.Env[2]</c> or <c>$.history[3].created_by</c>.</param>
    public static IEnumerable<Assignment> Find(string jsonPath, string text)
    {
        ArgumentNullException.ThrowIfNull(jsonPath);
        ArgumentNullException.ThrowIfNull(text);
        if (jsonPath.StartsWith("$.config.Env[", StringComparison.Ordinal))
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Qualifies(text[..equals], text[(equals + 1)..]))
            {
                yield return new Assignment(text[..equals], text[(equals + 1)..], equals + 1, false);
            }

            yield break;
        }

        if (!jsonPath.EndsWith(".created_by", StringComparison.Ordinal) || BuildArgumentCount().Match(text) is not { Success: true } prefix)
        {
            yield break;
        }

        // Docker and buildah write the arguments unquoted, separated by single spaces, before the command.
        var count = int.Parse(prefix.Groups["count"].Value, CultureInfo.InvariantCulture);
        var position = prefix.Length;
        for (var i = 0; i < count && position < text.Length; i++)
        {
            var end = text.IndexOf(' ', position);
            if (end < 0)
            {
                end = text.Length;
            }

            var token = text[position..end];
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && Qualifies(token[..equals], token[(equals + 1)..]))
            {
                yield return new Assignment(token[..equals], token[(equals + 1)..], position + equals + 1, true);
            }

            position = end + 1;
        }
    }

    private static bool Qualifies(string name, string value) =>
        SecretText.IsSecretName(name) && SecretText.IsPlausibleSecretValue(value) && !value.StartsWith('/') && !value.StartsWith('$');

    [GeneratedRegex(@"^\|(?<count>[0-9]{1,3}) ", RegexOptions.CultureInvariant)]
    private static partial Regex BuildArgumentCount();
}
