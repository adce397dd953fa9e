namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Secrets;

/// <summary>Secrets passed by ARG or ENV: secret-looking names, or values in a known credential format.</summary>
/// <param name="secrets">The run's secret scanner, which tells a known credential format (with the run's configuration).</param>
public sealed partial class SecretInArgOrEnv(SecretScannerProvider secrets) : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-002",
        Title = "Secret passed by ARG or ENV",
        Severity = Severity.High,
        Layer = StackLayer.Image,
        Explanation = "ENV values are stored in the image configuration and visible to anyone who can pull the image (`docker inspect`); ARG values and build arguments are recorded in the image history of every RUN that sees them (`docker history`), and defaults written in the Dockerfile are in the source. A token, password or key passed this way leaks with the image. Names are judged by their words (PASSWORD, SECRET, TOKEN, API_KEY, a KEY after a qualifier, AWS_ACCESS_KEY_ID …), ONBUILD ENV and ARG included. Unlike hadolint, a name that only describes a secret (`*_FILE`, `*_PATH`, `*_URL`, `*_USER`, `*_USERNAME`, public `GPG_KEY`) is not reported, and an ENV whose value is empty or a switch (`true`, `0`) holds no secret and is not reported either; an ARG with an empty default still takes a secret build argument and is.",
        Remediation = "Pass secrets to the build with a secret mount, which is never written to a layer or the history: `RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci` and `docker build --secret id=npm_token,env=NPM_TOKEN .` (or `,target=/run/secrets/…`). Give runtime secrets to the container at run time (orchestrator secrets, a mounted file such as `*_FILE`), never in ENV. Rotate any secret that was already built into an image.",
        References = ["https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/reference/dockerfile/#run---mounttypesecret"],
        Equivalents = ["Hadolint DL3064", "Dockle CIS-DI-0010", "Trivy DS-0031"],
        Examples =
        [
            new RuleExample("FROM alpine:3.20\nENV DB_PASSWORD=s3cr3t-Passw0rd", true),
            new RuleExample("FROM alpine:3.20\nARG NPM_TOKEN\nRUN npm ci", true, "build argument recorded in the history"),
            new RuleExample("ARG AWS_ACCESS_KEY_ID\nARG AWS_SECRET_ACCESS_KEY=\nFROM alpine:3.20", true, "AWS credentials, an empty default included"),
            new RuleExample("FROM alpine:3.20\nENV OKTA_OAUTH2_CLIENTSECRET=Zx8Kq2Lm", true, "a word that ends in SECRET"),
            new RuleExample("FROM alpine:3.20\nONBUILD ARG GITHUB_TOKEN", true, "an ONBUILD trigger"),
            new RuleExample("FROM alpine:3.20\nARG GITHUB_TOKEN=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\nENV API_TOKEN=$GITHUB_TOKEN", true),
            new RuleExample("FROM alpine:3.20\nLABEL deploy.key=AKIA37HPOLVISB47CTNL", true, "a value in a known credential format, whatever the name"),
            new RuleExample("FROM alpine:3.20\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", false, "a path to a secret; a public key fingerprint"),
            new RuleExample("FROM alpine:3.20\nRUN --mount=type=secret,id=token,env=TOKEN ./fetch.sh", false),
            new RuleExample("FROM alpine:3.20\nENV DB_USERNAME=app TOKENIZERS_PARALLELISM=false DB_PASSWORD=\"\"", false, "a user name, a switch, an empty value"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var placed = subject.GlobalArguments.Select(i => ((DockerfileStage?)null, i))
            .Concat(subject.Stages.SelectMany(s => DockerfileFindings.WithTriggers(s).Select(i => ((DockerfileStage?)s, i))));
        foreach (var (stage, instruction) in placed)
        {
            if (instruction.Keyword is not ("ARG" or "ENV" or "LABEL"))
            {
                continue;
            }

            foreach (var pair in instruction.Pairs)
            {
                var written = pair.RawValue ?? string.Empty;
                // Credentials of a known format, by the shared secret rule catalog (the match's evidence is already redacted).
                var scanner = secrets.Scanner;
                var known = scanner.ScanText(written, context.Target).Concat(pair.Value is null ? [] : scanner.ScanText(pair.Value, context.Target)).FirstOrDefault();
                if (known is not null)
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"{instruction.Keyword} {pair.Key} holds what looks like a {known.Rule.Title} ({known.Rule.Id}).", Severity.Critical, known.Evidence);
                    continue;
                }

                if (instruction.Keyword == "LABEL" || !IsSecretName(pair.Key))
                {
                    continue;
                }

                // An ARG whose default is empty or a switch is still filled in with --build-arg.
                if (instruction.Keyword == "ARG" && (pair.RawValue is null || pair.RawValue.Trim('"', '\'').Length == 0))
                {
                    yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"ARG {pair.Key} takes a secret-looking build argument; its value is recorded in the history of every RUN that uses it.", Severity.Medium, Evidence.Plain("ARG " + pair.Key));
                    continue;
                }

                var value = pair.Value ?? written;
                if (!SecretText.IsPlausibleSecretValue(value) && !SecretText.IsPlausibleSecretValue(written.Trim('"', '\'')))
                {
                    continue;
                }

                var where = instruction.Keyword == "ENV" ? "is stored in the image configuration" : "is written in the Dockerfile and the image history";
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, instruction, $"{instruction.Keyword} {pair.Key} sets a secret-looking value that {where}.", evidence: Evidence.Secret(SecretText.IsPlausibleSecretValue(value) ? value : written));
            }
        }
    }

    /// <summary>
    /// A secret-looking variable name: <see cref="SecretText.IsSecretName"/>, an access key ID (AWS_ACCESS_KEY_ID: half
    /// of a credential pair), or a word that ends in a secret word (CLIENTSECRET, DBPASSWORD, AUTHTOKEN).
    /// </summary>
    internal static bool IsSecretName(string name)
    {
        if (SecretText.IsSecretName(name))
        {
            return true;
        }

        var words = CamelBoundary().Replace(name, "$1_$2").ToUpperInvariant().Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries);
        if (words is [.., "ACCESS", "KEY", "ID"] or [.., "ACCESSKEY", "ID"] or [.., "ACCESSKEYID"])
        {
            return true;
        }

        // Split compound words before their secret suffix and ask again, so descriptive endings (_FILE, _URL) still count.
        var split = words.Select(w => SecretSuffixes.FirstOrDefault(s => w.Length > s.Length && w.EndsWith(s, StringComparison.Ordinal)) is { } suffix ? w[..^suffix.Length] + "_" + suffix : w);
        var rewritten = string.Join('_', split);
        return rewritten != string.Join('_', words) && SecretText.IsSecretName(rewritten);
    }

    private static readonly string[] SecretSuffixes = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "PASSPHRASE"];

    [System.Text.RegularExpressions.GeneratedRegex(@"([a-z])([A-Z])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CamelBoundary();
}
