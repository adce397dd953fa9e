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
        Explanation = "`npm install` (or `npm i`) with no package names resolves version ranges from package.json and may update the lock file, so two builds of the same commit can ship different dependency trees, including a freshly published malicious version. `npm ci` installs exactly what package-lock.json records, verifies integrity hashes, and fails if the lock file is out of date. Named packages are DKF-033's concern (their versions).",
        Remediation = "Copy package.json and package-lock.json, then `RUN npm ci --omit=dev` (use a cache mount on /root/.npm to keep builds fast).",
        References = ["https://docs.npmjs.com/cli/commands/npm-ci"],
        Equivalents = [],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nCOPY package*.json ./\nRUN npm install --production", true),
            new RuleExample("FROM node:22-slim\nCOPY package*.json ./\nRUN npm i --omit dev", true, "the value of --omit is not a package"),
            new RuleExample("FROM node:22-slim\nCOPY package*.json ./\nRUN npm ci --omit=dev", false),
            new RuleExample("FROM node:22-slim\nRUN npm install -g npm@10.8.2", false, "installs a named, pinned package"),
            new RuleExample("FROM node:22-slim\nRUN npm run --if-present install", false, "runs a script"),
            new RuleExample("FROM node:22-slim\nONBUILD RUN npm install", true),
        ],
    };

    public override IEnumerable<Finding> Evaluate(DockerfileDocument subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var (stage, run, script) in DockerfileFindings.Runs(subject.Stages))
        {
            if (PackageManagers.In(script, PackageManagers.Npm).FirstOrDefault(l => l.Manager.InstallSubcommands.Contains(l.Verb) && l.Operands.Count == 0) is { } install)
            {
                yield return DockerfileFindings.AtCommand(Rule, subject, context.Target, stage, run, install.Command, $"npm {install.Verb} resolves dependencies anew at build time; npm ci installs exactly the lock file.");
            }
        }
    }
}
