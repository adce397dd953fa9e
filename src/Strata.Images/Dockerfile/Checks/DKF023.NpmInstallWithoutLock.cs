namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>npm install of a project's dependencies instead of npm ci.</summary>
public sealed class NpmInstallWithoutLock : Check<DockerfileDocument>
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-023",
        Title = "npm install instead of npm ci",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`npm install` resolves version ranges from package.json and may update the lock file, so two builds of the same commit can ship different dependency trees, including a freshly published malicious version. `npm ci` installs exactly what package-lock.json records, verifies integrity hashes, and fails if the lock file is out of date.",
        Remediation = "Copy package.json and package-lock.json, then `RUN npm ci --omit=dev` (use a cache mount on /root/.npm to keep builds fast).",
        References = ["https://docs.npmjs.com/cli/commands/npm-ci"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nCOPY package*.json ./\nRUN npm install --production", true),
            new RuleExample("FROM node:22-slim\nCOPY package*.json ./\nRUN npm ci --omit=dev", false),
            new RuleExample("FROM node:22-slim\nRUN npm install -g npm@10.8.2", false, "installs a named, pinned package"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            var install = script.Running("npm").FirstOrDefault(c => c.Subcommand("--prefix", "-C", "--workspace", "-w", "--omit", "--include") is "install" or "i" or "add" && !c.Arguments.Skip(1).Any(a => !a.StartsWith('-')));
            if (install is not null)
            {
                yield return DockerfileFindings.At(Rule, subject, context.Target, stage, run, "npm install resolves dependencies anew at build time; npm ci installs exactly the lock file.");
            }
        }
    }
}
