namespace Strata.Images.Dockerfile.Checks;

using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>yarn install whose cache stays in the layer.</summary>
public sealed class YarnCacheNotCleaned : PackageCacheCheck
{
    public override Rule Rule { get; } = new()
    {
        Id = "DKF-046",
        Title = "yarn cache left in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "`yarn install` (also bare `yarn`, `yarn add`, `yarn global add`) keeps a copy of every package it downloads in its cache (~/.cache/yarn, /usr/local/share/.cache/yarn for root): the same dependencies twice in the image. Only the stages that ship and ONBUILD triggers are reported. Hadolint (DL3060) reads only `yarn install`.",
        Remediation = "Finish the RUN with `&& yarn cache clean`, or use a cache mount: `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile`.",
        References = ["https://classic.yarnpkg.com/en/docs/cli/cache", "https://github.com/hadolint/hadolint/wiki/DL3060"],
        Equivalents = ["Hadolint DL3060"],
        Examples =
        [
            new RuleExample("FROM node:22-slim\nRUN yarn install --frozen-lockfile", true),
            new RuleExample("FROM node:22-slim\nRUN yarn install --frozen-lockfile && yarn cache clean", false),
            new RuleExample("FROM node:22-slim\nRUN yarn cache clean && yarn install --frozen-lockfile", true, "cleaned before the install"),
            new RuleExample("FROM node:22-slim\nRUN yarn", true, "bare yarn installs"),
            new RuleExample("FROM node:22-slim\nRUN yarn global add typescript@5.6.3", true),
            new RuleExample("FROM node:22-slim\nRUN yarn build", false, "runs a script"),
            new RuleExample("FROM node:22-slim\nRUN yarn --version", false, "prints its version"),
            new RuleExample("FROM node:22-slim\nRUN --mount=type=cache,target=/root/.cache/yarn yarn install", false),
            new RuleExample("FROM node:22-slim\nRUN --mount=type=tmpfs,target=/usr/local/share/.cache/yarn yarn install", false),
            new RuleExample("FROM node:22-slim\nRUN --mount=type=cache,target=/var/lib/foobar yarn install", true, "the mount is somewhere else"),
            new RuleExample("FROM node:22-slim\nRUN yarn install && rm -rf /usr/local/share/.cache/yarn", false),
            new RuleExample("FROM node:22-slim AS build\nRUN yarn install\nFROM node:22-slim\nCOPY --from=build /app/dist /app", false, "the build stage does not ship"),
            new RuleExample("FROM node:22-slim AS base\nRUN yarn install\nFROM base\nRUN true", true, "the final stage is built FROM it"),
            new RuleExample("FROM node:22-slim AS build\nONBUILD RUN yarn install\nFROM scratch\nCOPY --from=build /app /app", true, "an ONBUILD trigger ships in the child images"),
        ],
    };

    private protected override PackageManager Manager => PackageManagers.Yarn;

    /// <summary>Bare <c>yarn --version</c> or <c>yarn --help</c> installs nothing.</summary>
    private protected override bool KeepsNothing(DockerfileStage stage, DockerfileInstruction run, ShellScript script, PackageCommandLine line) =>
        line.Verb.Length == 0 && line.Options.Any(o => o is "-v" or "--version" or "-h" or "--help");

    private protected override string Message(PackageCommandLine line) => $"{(line.Verb.Length == 0 ? "yarn" : "yarn " + line.Verb)} keeps every downloaded package in the yarn cache: no `yarn cache clean` after it in the same RUN.";
}
