namespace Strata.Kernel.Checks;

using Strata.Core.Checks;
using Strata.Core.Findings;
using Strata.Core.Rules;
using Strata.Kernel.Runtimes;

/// <summary>A container runtime on the host (runc, containerd, Docker, crun, CRI-O, Podman) lacks the fix of a container-escape CVE.</summary>
public sealed class RuntimeEscapeCve : Check<HostSnapshot>
{
    public override Rule Rule { get; } = new()
    {
        Id = "KRN-024",
        Title = "A container runtime on the host has a container-escape CVE",
        Severity = Severity.High,
        Layer = StackLayer.Kernel,
        Explanation = "runc underlies Docker, containerd, CRI-O and Podman, so one runc bug opens every container on the host: CVE-2019-5736 (overwrite the host's runc through /proc/self/exe), CVE-2021-30465 (mount race), CVE-2024-21626 ('Leaky Vessels', a leaked host directory), CVE-2025-31133 (procfs masking raced into a write of core_pattern). containerd (CVE-2020-15257 shim socket, CVE-2022-23648 host file copy), CRI-O (CVE-2022-0811 'cr8escape') and Docker (CVE-2019-14271 docker cp) had their own. Strata finds the runtimes in the dpkg database, in the RPM database (read with the rpm tool, for Fedora, RHEL and SUSE hosts) and, on the real host, by asking the binaries for their version, and compares the upstream release they are built from with the first fixed release of its branch. A distribution package may carry a backported fix below that release: it is 'possibly affected' unless the distribution's fixed package version is known (Debian's are), and the message says which.",
        Remediation = "Update the runtime package (`apt-get install --only-upgrade runc containerd docker.io`, `dnf upgrade runc containerd moby-engine cri-o podman`, or the docker-ce/containerd.io packages) to a release with the fix, then restart the daemons; running containers keep the old shim until they restart. Check a 'possibly affected' package in the distribution's security tracker.",
        References =
        [
            "https://github.com/opencontainers/runc/security/advisories",
            "https://github.com/containerd/containerd/security/advisories",
            "https://snyk.io/blog/leaky-vessels-docker-runc-container-breakout-vulnerabilities/",
            "https://www.crowdstrike.com/blog/cr8escape-new-vulnerability-discovered-in-cri-o-container-engine-cve-2022-0811/",
        ],
        Equivalents = ["docker-bench-security 1.x (keep Docker up to date, related)"],
        Examples =
        [
            new RuleExample("/var/lib/dpkg/status = Package: docker-ce\\nStatus: install ok installed\\nVersion: 5:19.03.0~3-0~debian-buster", true, "Docker's own build, below 19.03.1: affected by CVE-2019-14271"),
            new RuleExample("/etc/os-release = ID=debian\n/var/lib/dpkg/status = Package: runc\\nStatus: install ok installed\\nVersion: 1.1.5+ds1-1", true, "affected by CVE-2024-21626: Debian fixed it in 1.1.5+ds1-1+deb12u1"),
            new RuleExample("/etc/os-release = ID=debian\n/var/lib/dpkg/status = Package: runc\\nStatus: install ok installed\\nVersion: 1.3.3+ds1-1", false, "a release with every fix"),
        ],
    };

    public override IEnumerable<Finding> Evaluate(HostSnapshot subject, CheckContext context)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(context);
        var debian = subject.Read("/etc/os-release")?.Split('\n').Any(line => line.Trim() is "ID=debian" or "ID=\"debian\"") == true;
        foreach (var runtime in RuntimeInventory.Find(subject, RuntimeCve.Packages, probeBinaries: subject.IsRealHost))
        {
            foreach (var cve in RuntimeCve.All.Where(c => c.Runtime == runtime.Runtime))
            {
                if (cve.Missing(runtime.Upstream) is not { } missing)
                {
                    continue;
                }

                var severity = cve.Severity;
                string verdict;
                if (runtime.Package is { } package)
                {
                    if (debian && cve.DistributionFixes.TryGetValue("debian", out var fixedPackage))
                    {
                        if (package.Version >= fixedPackage)
                        {
                            continue;
                        }

                        verdict = $"affected: Debian fixed it in {package.Name} {fixedPackage}";
                    }
                    else
                    {
                        verdict = $"possibly affected: the distribution package may carry a backported fix, check its security tracker for {cve.Id}";
                        severity = Severity.Medium;
                    }
                }
                else
                {
                    verdict = "affected";
                }

                yield return Finding.For(
                    Rule,
                    context.Target,
                    new Location { File = runtime.Source.StartsWith("dpkg", StringComparison.Ordinal) ? "/var/lib/dpkg/status" : runtime.Source.StartsWith("rpm", StringComparison.Ordinal) ? "rpm database" : runtime.Source.Split(' ')[0], Subject = $"{runtime.Runtime} {cve.Id}" },
                    $"{runtime.Runtime} {runtime.Upstream} ({runtime.Source}), {cve.Id}, {verdict} ({missing}). {cve.ExploitClass}",
                    Evidence.Plain($"{runtime.Runtime} {runtime.Upstream}"),
                    severity);
            }
        }
    }
}
