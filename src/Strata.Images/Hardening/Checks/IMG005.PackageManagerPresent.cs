namespace Strata.Images.Hardening.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;

/// <summary>The image has a package manager (OS or language).</summary>
public sealed class PackageManagerPresent : Check<ImageView>
{
    public static readonly IReadOnlySet<string> Managers = new HashSet<string>(StringComparer.Ordinal)
    {
        "apt", "apt-get", "aptitude", "dpkg", "apk", "yum", "dnf", "microdnf", "tdnf", "rpm", "zypper", "pacman",
        "pip", "pipx", "npm", "yarn", "pnpm", "gem", "conda",
    };

    public override Rule Rule { get; } = new()
    {
        Id = "IMG-005",
        Title = "Package manager in the image",
        Severity = Severity.Low,
        Layer = StackLayer.Image,
        Explanation = "A package manager left in the final image lets anyone who gets code execution install whatever they need (compilers, scanners, miners) in one command, and it keeps its own dependencies and metadata in the image. Applications do not need one at run time.",
        Remediation = "Install packages in a build stage and copy only the results into a final stage without a package manager (distroless, scratch, UBI micro); or remove the language package managers (pip, npm, gem) after installing dependencies.",
        References = ["https://docs.docker.com/build/building/multi-stage/"],
        Examples =
        [
            new RuleExample("-rwxr-xr-x 0 0 /usr/bin/apt-get", true),
            new RuleExample("-rwxr-xr-x 0 0 /usr/local/bin/pip3.12", true, "versioned names count"),
            new RuleExample("-rwxr-xr-x 0 0 /usr/bin/python3", false),
        ],
    };

    public override IEnumerable<Finding> Evaluate(ImageView subject, CheckContext context) =>
        ToolPresence.Report(Rule, context.Target, Executables.Find(subject, Classify), tool => $"The package manager {tool.Name} is in the image: {tool.Paths}.");

    internal static string? Classify(string name)
    {
        var baseName = ToolPresence.BaseName(name);
        return Managers.Contains(baseName) ? baseName : null;
    }
}
