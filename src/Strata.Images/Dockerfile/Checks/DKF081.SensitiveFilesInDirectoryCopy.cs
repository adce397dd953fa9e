namespace Strata.Images.Dockerfile.Checks;

using System.Globalization;
using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Images.Dockerfile.Context;

/// <summary>
/// <c>COPY . .</c> (or another directory copy) brings <c>.git</c>, <c>.env</c> files, private keys or <c>node_modules</c>
/// from the context because no ignore file keeps them out.
/// </summary>
public sealed class SensitiveFilesInDirectoryCopy : ContextCheck
{
    /// <summary>Names of .env files that are templates, not configuration.</summary>
    private static readonly string[] TemplateSuffixes = [".example", ".sample", ".template", ".dist", ".defaults", ".tmpl", ".tpl"];

    public override Rule Rule { get; } = new()
    {
        Id = "DKF-081",
        Title = "Directory copy without a .dockerignore for .git, .env, keys or node_modules",
        Severity = Severity.Medium,
        Layer = StackLayer.Image,
        Explanation = "`COPY . .` and other copies of a whole directory take everything the build context sends. Without a `.dockerignore` entry, that includes the `.git` directory (the whole history, deleted secrets and all, and remote URLs that may carry tokens), `.env` files with local credentials, private keys, and `node_modules` (host-built dependencies that may not match the image's platform, and megabytes of size). Every one of these ends up in the image's layer, and a change to any of them breaks the build cache. In the examples, `# context: PATH = CONTENT` comment lines are the files of the build context (`strata scan Dockerfile --context DIR`).",
        Remediation = "Add a `.dockerignore` at the root of the context (or a `Dockerfile.dockerignore` beside the Dockerfile) that keeps them out:\n\n```\n.git\n.env*\n!.env.example\n*.pem\n*.key\nid_*\nnode_modules\n```\n\nor copy only what the image needs (`COPY package*.json ./` then `COPY src/ ./src/`).",
        References = ["https://docs.docker.com/build/concepts/context/#dockerignore-files", "https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nWORKDIR /app\nCOPY . .\n# context: package.json = {}\n# context: .git/HEAD = ref: refs/heads/main\n# context: node_modules/left-pad/index.js = module.exports = 1", true, "no .dockerignore at all"),
            new RuleExample("FROM python:3.12-slim\nCOPY . /srv/\n# context: .dockerignore = .git\n# context: app.py = print(1)\n# context: .env.local = DEBUG=1", true, ".dockerignore forgets .env files"),
            new RuleExample("FROM alpine:3.20\nCOPY deploy /opt/deploy\n# context: deploy/run.sh = echo run\n# context: deploy/keys/id_ed25519 = placeholder", true, "a subdirectory holding a private key"),
            new RuleExample("FROM node:22-slim\nCOPY . /app/\n# context: .dockerignore = **/.git\\n**/node_modules\\n.env*\\n!.env.example\n# context: .git/HEAD = ref: refs/heads/main\n# context: web/node_modules/x.js = 1\n# context: .env = DEBUG=1\n# context: .env.example = DEBUG=0", false, "all excluded; the template is sent back on purpose"),
            new RuleExample("FROM node:22-slim\nCOPY package.json /app/\nCOPY .env /app/.env\n# context: package.json = {}\n# context: .env = DEBUG=1\n# context: .git/HEAD = ref: refs/heads/main", false, "files named one by one, not a directory copy"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileBuild subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var build = subject.Context!;
        var shipped = subject.Dockerfile.ShippedStages;
        foreach (var copy in subject.Copies.Where(c => c.FromContext && c.CopiesDirectory))
        {
            var found = new List<(string What, bool Sensitive)>();
            var counted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in copy.Paths.Where(p => !p.NamedBySource && p.ContextPath is not null))
            {
                var name = GoPath.Base(path.ContextPath!);
                if (path.Kind == CopiedKind.Directory && name is ".git" or "node_modules" && !IsInside(path.ContextPath!, counted))
                {
                    counted.Add(path.ContextPath!);
                    var files = copy.Paths.Count(p => p.Kind == CopiedKind.File && p.ContextPath!.StartsWith(path.ContextPath + "/", StringComparison.Ordinal));
                    found.Add((string.Create(CultureInfo.InvariantCulture, $"{build.DisplayPath(path.ContextPath!)}/ ({files} file{(files == 1 ? string.Empty : "s")})"), name == ".git"));
                }
                else if (path.Kind == CopiedKind.File && !IsInside(path.ContextPath!, counted) && IsSensitiveFile(path.ContextPath!, subject))
                {
                    found.Add((build.DisplayPath(path.ContextPath!), true));
                }
            }

            if (found.Count == 0)
            {
                continue;
            }

            var ships = shipped.Contains(copy.Stage);
            var severity = !ships || !found.Any(f => f.Sensitive) ? Severity.Low : Severity.Medium;
            var listed = string.Join(", ", found.Take(5).Select(f => f.What)) + (found.Count > 5 ? string.Create(CultureInfo.InvariantCulture, $" and {found.Count - 5} more") : string.Empty);
            var ignore = build.IgnoreFileName is { } file ? $"{file} does not exclude them" : $"the context {build.Name} has no .dockerignore";
            var stage = ships ? string.Empty : $" (stage {copy.Stage.Label} does not end up in the image)";
            yield return DockerfileFindings.At(Rule, subject.Dockerfile, context.Target, copy.Stage, copy.Instruction, $"{copy.Instruction.Keyword} copies {listed} from the build context: {ignore}{stage}.", severity);
        }
    }

    private static bool IsInside(string path, HashSet<string> directories) =>
        directories.Any(d => path.StartsWith(d + "/", StringComparison.Ordinal));

    private static bool IsSensitiveFile(string path, DockerfileBuild build)
    {
        var name = GoPath.Base(path);
        if (name == ".env" || (name.StartsWith(".env.", StringComparison.Ordinal) && !TemplateSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal))))
        {
            return true;
        }

        var holdsKey = build.Secrets.TryGetValue(path, out var matches) && matches.Any(m => m.Rule.Id.StartsWith("SEC-PRIVATE-KEY", StringComparison.Ordinal));
        return CredentialFile.Classify(path, holdsKey) is { } credential && (credential.IsSshKey || credential.Holds == "a private key");
    }
}
