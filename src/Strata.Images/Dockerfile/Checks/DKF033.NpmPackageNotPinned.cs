namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>npm install of a named package without a version.</summary>
public sealed class NpmPackageNotPinned : PackagePinningCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-033",
        Title = "npm package installed without a version",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`npm install -g typescript` installs whatever was published last, including a freshly hijacked release: npm packages have been compromised this way many times. A version or range after the name (`express@4.21.1`, `@scope/pkg@^1.2`) counts, as in hadolint (DL3016); so do a git URL with `#ref`, a tarball and a local folder. `@latest`, `@next` and `@*` follow whatever is published next and do not count (hadolint accepts any tag). `npm i` and the other aliases of install are read like `npm install` (hadolint reads only `install`); `npm install` with no package names installs package.json's dependencies (see DKF-023).",
        Remediation = "Name the version: `npm install -g typescript@5.6.3`, or add the tool to package.json and run `npm ci`, which checks the lock file's integrity hashes.",
        References = ["https://docs.npmjs.com/cli/commands/npm-install", "https://github.com/hadolint/hadolint/wiki/DL3016"],
        Equivalents = ["Hadolint DL3016"],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nRUN npm install express", true),
            new RuleExample("FROM node:22-slim\nRUN npm install express@4.21.1", false),
            new RuleExample("FROM node:22-slim\nRUN npm install --global express@\"4.21.1\" sax@1.4.1", false),
            new RuleExample("FROM node:22-slim\nRUN npm install express sax@1.4.1", true, "one of two"),
            new RuleExample("FROM node:22-slim\nRUN npm install -g @myorg/tool@\">=0.1.0 <0.2.0\"", false, "a scoped package with a range"),
            new RuleExample("FROM node:22-slim\nRUN npm install @myorg/tool", true, "the scope's @ is not a version"),
            new RuleExample("FROM node:22-slim\nRUN npm i -g typescript", true, "npm i is npm install"),
            new RuleExample("FROM node:22-slim\nRUN npm add -g typescript@5.6.3", false),
            new RuleExample("FROM node:22-slim\nRUN npm install -g npm@latest", true, "latest is whatever is published next"),
            new RuleExample("FROM node:22-slim\nRUN npm install", false, "package.json's dependencies (DKF-023)"),
            new RuleExample("FROM node:22-slim\nRUN npm install --progress=false", false),
            new RuleExample("FROM node:22-slim\nRUN npm install ./packages/util", false, "a local folder"),
            new RuleExample("FROM node:22-slim\nRUN npm install ../shared ~/lib /opt/plugin", false),
            new RuleExample("FROM node:22-slim\nRUN npm install vendor/plugin-1.2.3.tgz", false, "a tarball"),
            new RuleExample("FROM node:22-slim\nRUN npm install git+https://github.com/npm/cli.git#v10.8.2", false, "a git URL with a ref"),
            new RuleExample("FROM node:22-slim\nRUN npm install git+ssh://git@github.com:npm/cli.git", true, "a git URL without a ref"),
            new RuleExample("FROM node:22-slim\nRUN npm install git://github.com/npm/cli.git", true),
            new RuleExample("FROM node:22-slim\nRUN npm install --registry https://registry.example.com sax@1.4.1", false, "option values are not packages"),
            new RuleExample("FROM node:22-slim\nRUN npm install --registry=https://registry.example.com express", true),
            new RuleExample("FROM node:22-slim\nRUN npm install --loglevel verbose sax@1.4.1", false),
            new RuleExample("FROM node:22-slim\nRUN npm run --silent install", false, "runs a script"),
            new RuleExample("FROM node:22-slim\nONBUILD RUN npm install -g typescript", true),
        ],
    };

    private protected override IReadOnlyList<PackageManager> Managers => [PackageManagers.Npm];

    private protected override string PinnedForm => "express@4.21.1";
}
