namespace Strata.Images.Dockerfile.Checks;

/// <summary>How a package manager writes versions (see <see cref="PackageVersions"/>).</summary>
internal enum VersionSyntax
{
    /// <summary><c>pkg=1.2</c>, <c>pkg=1.2*</c>; .deb files.</summary>
    Apt,

    /// <summary><c>pkg=1.2</c>, <c>pkg~1.2</c>, <c>pkg&gt;=1.2</c>; .apk files.</summary>
    Apk,

    /// <summary><c>pkg==1.2</c>, <c>~=</c>, <c>&gt;=</c> …; requirement files, local paths, URLs, archives, VCS URLs with <c>@ref</c>.</summary>
    Pip,

    /// <summary><c>pkg@1.2</c>, <c>@scope/pkg@1.2</c>; git URLs with <c>#ref</c>, tarballs, folders.</summary>
    Npm,

    /// <summary><c>pkg:1.2</c> or <c>-v 1.2</c>; .gem files.</summary>
    Gem,

    /// <summary><c>pkg-1.2</c>, <c>pkg-1:1.2-3.el9</c>; .rpm files; modules <c>name:stream</c>.</summary>
    Rpm,

    /// <summary><c>pkg=1.2</c>, <c>pkg&gt;=1.2</c>; .rpm files.</summary>
    Zypper,

    /// <summary><c>module@v1.2.3</c> or a commit; not <c>@latest</c>; local packages.</summary>
    Go,
}

/// <summary>
/// One package manager as its command lines are written: the data every package rule reads (program names,
/// subcommands, options that take a value, the switches that answer yes, the cache and how it is emptied, the version syntax).
/// </summary>
internal sealed record PackageManager
{
    /// <summary>Short name for messages and docs.</summary>
    public required string Name { get; init; }

    /// <summary>Program file names that are this manager (<c>/usr/bin/apt-get</c> and <c>sudo apt-get</c> are <c>apt-get</c>).</summary>
    public required IReadOnlyList<string> Programs { get; init; }

    /// <summary>True when a version suffix is the same program: <c>pip3</c>, <c>pip3.12</c>.</summary>
    public bool VersionedProgramNames { get; init; }

    /// <summary>The module that runs this manager under <c>python -m</c> (<c>pip</c>), when it has one.</summary>
    public string? PythonModule { get; init; }

    /// <summary>
    /// Programs that install packages through this manager without being it (tonistiigi/xx's <c>xx-apt-get</c>, Bitnami's
    /// <c>install_packages</c>): they bring their own switches and clean-up, so no rule about this manager's command line
    /// applies to them, but they do change packages.
    /// </summary>
    public IReadOnlyList<string> Wrappers { get; init; } = [];

    /// <summary>Options whose value is the next word (<c>-o Foo=bar</c>, <c>-t bookworm-backports</c>).</summary>
    public IReadOnlySet<string> ValueOptions { get; init; } = new HashSet<string>();

    /// <summary>
    /// When set, an option not in this list takes the next word as its value (gem: an unknown <c>--flag value</c> after the
    /// gems is an extension option, as hadolint reads it); the listed ones take none.
    /// </summary>
    public IReadOnlySet<string>? FlagOptions { get; init; }

    /// <summary>Words that start a two-word subcommand (<c>dnf group install</c>, <c>yarn global add</c>, <c>apk cache clean</c>).</summary>
    public IReadOnlySet<string> SubcommandGroups { get; init; } = new HashSet<string>();

    /// <summary>True when the words after <c>--</c> are no longer packages (gem passes them to the extension build).</summary>
    public bool DoubleDashEndsPackages { get; init; }

    /// <summary>Subcommands whose operands are packages to install, for the pinning rule.</summary>
    public IReadOnlySet<string> InstallSubcommands { get; init; } = new HashSet<string>();

    /// <summary>Subcommands whose operands are modules (<c>name:stream</c>), pinned by a stream.</summary>
    public IReadOnlySet<string> ModuleSubcommands { get; init; } = new HashSet<string>();

    /// <summary>Subcommands that ask for confirmation unless a yes switch is given.</summary>
    public IReadOnlySet<string> ConfirmingSubcommands { get; init; } = new HashSet<string>();

    /// <summary>Switches that answer yes: one letter for a short option (clusters like <c>-qy</c> count), a word for a long one.</summary>
    public IReadOnlyList<string> YesOptions { get; init; } = [];

    /// <summary>Subcommands that leave downloaded indexes or packages in <see cref="CachePaths"/>; the empty string is the bare command (<c>yarn</c>).</summary>
    public IReadOnlySet<string> CachingSubcommands { get; init; } = new HashSet<string>();

    /// <summary>Long options that make a caching subcommand keep nothing (<c>apk add --no-cache</c>).</summary>
    public IReadOnlyList<string> NoCacheOptions { get; init; } = [];

    /// <summary>Subcommands (with their first operand when two words) that empty the cache: <c>clean all</c>, <c>cache clean</c>.</summary>
    public IReadOnlyList<string> CleanSubcommands { get; init; } = [];

    /// <summary>True when each program of the manager has its own cache, so only the same program's clean-up counts (dnf and microdnf).</summary>
    public bool CachePerProgram { get; init; }

    /// <summary>
    /// Where the cache is: absolute directories (a cache or tmpfs mount on one of them or a parent, or an <c>rm</c> of one of
    /// them or a parent, clears it) or fragments like <c>.cache/pip</c> matched anywhere in a path (home directories vary).
    /// </summary>
    public IReadOnlyList<string> CachePaths { get; init; } = [];

    /// <summary>Subcommands that upgrade the whole distribution, adding or removing packages (DKF-015).</summary>
    public IReadOnlySet<string> DistributionUpgrades { get; init; } = new HashSet<string>();

    /// <summary>Subcommands that only refresh the package index (DKF-030).</summary>
    public IReadOnlySet<string> IndexUpdates { get; init; } = new HashSet<string>();

    public VersionSyntax Versions { get; init; }

    /// <summary>True when <paramref name="program"/> (a file name) is this manager.</summary>
    public bool IsProgram(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        foreach (var name in Programs)
        {
            if (program == name)
            {
                return true;
            }

            if (VersionedProgramNames && program.StartsWith(name, StringComparison.Ordinal) && IsVersionSuffix(program.AsSpan(name.Length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The command line of this manager that <paramref name="command"/> runs, or null when it runs something else.</summary>
    public PackageCommandLine? Read(ShellCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var program = command.Program;
        var arguments = command.Arguments;
        var start = 0;
        if (IsProgram(program))
        {
            // Bare names only: xx-apt-get or my-apt-get are wrappers, never this manager.
        }
        else if (PythonModule is not null && IsPython(program) && ModuleStart(arguments, PythonModule) is int afterModule)
        {
            program = program + " -m " + PythonModule;
            start = afterModule;
        }
        else
        {
            return null;
        }

        var operands = new List<string>();
        var options = new List<string>();
        var afterDoubleDash = false;
        for (var i = start; i < arguments.Count; i++)
        {
            var word = arguments[i];
            if (afterDoubleDash)
            {
                if (!DoubleDashEndsPackages)
                {
                    operands.Add(word);
                }

                continue;
            }

            if (word == "--")
            {
                afterDoubleDash = true;
                continue;
            }

            if (word.Length > 1 && word[0] == '-')
            {
                options.Add(word);
                var takesValue = ValueOptions.Contains(word) || (FlagOptions is not null && !word.Contains('=', StringComparison.Ordinal) && !FlagOptions.Contains(word));
                if (takesValue && i + 1 < arguments.Count && (FlagOptions is null || !arguments[i + 1].StartsWith('-')))
                {
                    options.Add(arguments[++i]);
                }

                continue;
            }

            operands.Add(word);
        }

        var verbLength = operands.Count > 1 && SubcommandGroups.Contains(operands[0]) ? 2 : Math.Min(operands.Count, 1);
        return new PackageCommandLine(this, command, program, string.Join(' ', operands.Take(verbLength)), [.. operands.Skip(verbLength)], options);
    }

    private static bool IsVersionSuffix(ReadOnlySpan<char> suffix)
    {
        if (suffix.Length == 0 || !char.IsAsciiDigit(suffix[0]))
        {
            return false;
        }

        foreach (var c in suffix)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPython(string program) =>
        program == "python" || (program.StartsWith("python", StringComparison.Ordinal) && IsVersionSuffix(program.AsSpan("python".Length)));

    /// <summary>The index after <c>-m module</c> in a python command line (interpreter options may come first).</summary>
    private static int? ModuleStart(IReadOnlyList<string> arguments, string module)
    {
        for (var i = 0; i + 1 < arguments.Count; i++)
        {
            if (arguments[i] == "-m")
            {
                return arguments[i + 1] == module ? i + 2 : null;
            }

            if (!arguments[i].StartsWith('-'))
            {
                return null;
            }
        }

        return null;
    }
}

/// <summary>
/// A package manager's command line, read with its table entry: the subcommand (<see cref="Verb"/>, two words for
/// <c>group install</c>), the operands after it (packages for an install), and the options with their values.
/// </summary>
internal sealed record PackageCommandLine(PackageManager Manager, ShellCommand Command, string Program, string Verb, IReadOnlyList<string> Operands, IReadOnlyList<string> Options)
{
    /// <summary>True when a long option <c>--name</c> (or <c>--name=…</c>) is given.</summary>
    public bool HasLongOption(string name) => Options.Any(o => o == "--" + name || o.StartsWith("--" + name + "=", StringComparison.Ordinal));

    /// <summary>True when one of <paramref name="spellings"/> is given: a letter is a short option (alone or in a cluster), a word a long one.</summary>
    public bool HasAnyOption(IEnumerable<string> spellings) => spellings.Any(s => s.Length == 1 ? Command.HasOption(null, s[0], ShortValueLetters) : HasLongOption(s));

    /// <summary>How often the short option <paramref name="letter"/> is given, clusters included (<c>-qq</c>, <c>-q -q</c>).</summary>
    public int CountShortOption(char letter) =>
        Options.Where(o => o.Length > 1 && o[0] == '-' && o[1] != '-').Sum(o => o.AsSpan(1).Count(letter));

    /// <summary>True when this command empties the manager's cache (<c>yum clean all</c>, <c>yarn cache clean</c>).</summary>
    public bool Cleans => Manager.CleanSubcommands.Any(c => c == Verb || (Operands.Count > 0 && c == Verb + " " + Operands[0]));

    private string ShortValueLetters => string.Concat(Manager.ValueOptions.Where(o => o.Length == 2 && o[0] == '-' && o[1] != '-').Select(o => o[1]));
}

/// <summary>The package managers the package rules know, one entry each.</summary>
internal static class PackageManagers
{
    public static readonly PackageManager Apt = new()
    {
        Name = "apt",
        Programs = ["apt-get", "apt", "aptitude"],
        Wrappers = ["xx-apt-get", "xx-apt", "install_packages", "apt-install"],
        ValueOptions = Set("-o", "--option", "-t", "--target-release", "--default-release", "-c", "--config-file", "-a", "--host-architecture", "-P", "--build-profiles", "-F", "--display-format", "-w", "--width", "-S", "--sort", "--solver"),
        InstallSubcommands = Set("install"),
        ConfirmingSubcommands = Set("install"),
        YesOptions = ["y", "yes", "assume-yes"],
        CachingSubcommands = Set("update"),
        CleanSubcommands = ["dist-clean"],
        CachePaths = ["/var/lib/apt/lists"],
        DistributionUpgrades = Set("dist-upgrade", "full-upgrade"),
        IndexUpdates = Set("update"),
        Versions = VersionSyntax.Apt,
    };

    public static readonly PackageManager Apk = new()
    {
        Name = "apk",
        Programs = ["apk"],
        Wrappers = ["xx-apk"],
        ValueOptions = Set("-t", "--virtual", "-X", "--repository", "--repositories-file", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--cache-max-age", "--timeout"),
        SubcommandGroups = Set("cache"),
        InstallSubcommands = Set("add"),
        CachingSubcommands = Set("add"),
        NoCacheOptions = ["no-cache"],
        CleanSubcommands = ["cache clean", "cache purge"],
        CachePaths = ["/var/cache/apk", "/etc/apk/cache"],
        IndexUpdates = Set("update"),
        Versions = VersionSyntax.Apk,
    };

    public static readonly PackageManager Pip = new()
    {
        Name = "pip",
        Programs = ["pip"],
        VersionedProgramNames = true,
        PythonModule = "pip",
        ValueOptions = Set(
            "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-b", "--build", "-t", "--target", "--prefix", "--root", "--src",
            "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host", "--platform", "--python-version", "--implementation", "--abi",
            "--no-binary", "--only-binary", "--progress-bar", "--proxy", "--python", "--root-user-action", "--upgrade-strategy", "--cache-dir", "--log",
            "--timeout", "--retries", "--exists-action", "--cert", "--client-cert", "--global-option", "--install-option", "-C", "--config-settings",
            "--report", "--keyring-provider", "--use-feature", "--use-deprecated"),
        SubcommandGroups = Set("cache"),
        InstallSubcommands = Set("install"),
        CachingSubcommands = Set("install"),
        NoCacheOptions = ["no-cache-dir"],
        CleanSubcommands = ["cache purge"],
        CachePaths = [".cache/pip"],
        Versions = VersionSyntax.Pip,
    };

    public static readonly PackageManager Pipx = new()
    {
        Name = "pipx",
        Programs = ["pipx"],
        PythonModule = "pipx",
        ValueOptions = Set("--python", "--pip-args", "--index-url", "--suffix", "--preinstall", "--spec"),
        InstallSubcommands = Set("install"),
        Versions = VersionSyntax.Pip,
    };

    public static readonly PackageManager Npm = new()
    {
        Name = "npm",
        Programs = ["npm"],
        ValueOptions = Set("--prefix", "-C", "--workspace", "-w", "--omit", "--include", "--loglevel", "--registry", "--cache", "--userconfig", "--tag", "--install-strategy", "--before", "--location"),
        InstallSubcommands = Set("install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "add"),
        Versions = VersionSyntax.Npm,
    };

    public static readonly PackageManager Yarn = new()
    {
        Name = "yarn",
        Programs = ["yarn"],
        ValueOptions = Set("--cwd", "--modules-folder", "--cache-folder", "--network-timeout", "--registry", "--mutex"),
        SubcommandGroups = Set("global", "cache"),
        CachingSubcommands = Set(string.Empty, "install", "add", "global add"),
        CleanSubcommands = ["cache clean"],
        CachePaths = [".cache/yarn", ".yarn/berry/cache"],
        Versions = VersionSyntax.Npm,
    };

    public static readonly PackageManager Gem = new()
    {
        Name = "gem",
        Programs = ["gem"],
        ValueOptions = Set("-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source", "-P", "--trust-policy", "--platform", "-g", "--file", "--build-root", "--document", "--target-rbconfig"),
        FlagOptions = Set(
            "-N", "--no-document", "--no-ri", "--no-rdoc", "-f", "--force", "--no-force", "-w", "--wrappers", "--no-wrappers", "--user-install", "--no-user-install",
            "-E", "--env-shebang", "--no-env-shebang", "--development", "--development-all", "--conservative", "--minimal-deps", "--prerelease", "--pre",
            "--ignore-dependencies", "--format-executable", "--no-format-executable", "--lock", "--no-lock", "--suggestions", "--no-suggestions",
            "--default", "--post-install-message", "--no-post-install-message", "--explain", "--vendor", "-l", "--local", "-r", "--remote", "-b", "--both",
            "--clear-sources", "-u", "--update-sources", "-V", "--verbose", "--no-verbose", "-q", "--quiet", "--silent", "--backtrace", "--debug", "--norc"),
        DoubleDashEndsPackages = true,
        InstallSubcommands = Set("install", "i"),
        Versions = VersionSyntax.Gem,
    };

    public static readonly PackageManager Go = new()
    {
        Name = "go",
        Programs = ["go"],
        ValueOptions = Set("-C", "-o", "-p", "-ldflags", "-gcflags", "-asmflags", "-gccgoflags", "-tags", "-mod", "-modfile", "-pkgdir", "-buildmode", "-compiler", "-installsuffix", "-overlay", "-pgo", "-exec", "-toolexec", "-covermode", "-coverpkg"),
        InstallSubcommands = Set("install", "get", "run"),
        Versions = VersionSyntax.Go,
    };

    public static readonly PackageManager Yum = new()
    {
        Name = "yum",
        Programs = ["yum"],
        ValueOptions = RpmValueOptions(),
        SubcommandGroups = Set("group", "groups", "module"),
        InstallSubcommands = Set("install", "localinstall", "module install"),
        ModuleSubcommands = Set("module install"),
        ConfirmingSubcommands = Set("install", "groupinstall", "localinstall", "group install", "groups install", "module install"),
        YesOptions = ["y", "assumeyes"],
        CachingSubcommands = Set("install", "localinstall", "groupinstall", "group install", "groups install", "module install", "reinstall", "update", "upgrade", "downgrade"),
        CleanSubcommands = ["clean all", "clean metadata"],
        CachePaths = ["/var/cache/yum", "/var/cache/dnf"],
        DistributionUpgrades = Set("distro-sync", "distribution-synchronization"),
        IndexUpdates = Set("makecache"),
        Versions = VersionSyntax.Rpm,
    };

    public static readonly PackageManager Dnf = new()
    {
        Name = "dnf",
        Programs = ["dnf", "microdnf", "dnf5", "tdnf"],
        ValueOptions = RpmValueOptions(),
        SubcommandGroups = Set("group", "groups", "module"),
        InstallSubcommands = Set("install", "in", "localinstall", "module install"),
        ModuleSubcommands = Set("module install"),
        ConfirmingSubcommands = Set("install", "in", "groupinstall", "localinstall", "group install", "groups install", "module install"),
        YesOptions = ["y", "assumeyes"],
        CachingSubcommands = Set(
            "install", "in", "localinstall", "groupinstall", "group install", "groups install", "module install", "reinstall", "rei",
            "upgrade", "up", "update", "upgrade-minimal", "up-min", "downgrade", "distro-sync"),
        CleanSubcommands = ["clean all", "clean metadata"],
        CachePerProgram = true,
        CachePaths = ["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5", ".cache/libdnf5"],
        DistributionUpgrades = Set("distro-sync", "distrosync", "dsync", "system-upgrade"),
        IndexUpdates = Set("makecache"),
        Versions = VersionSyntax.Rpm,
    };

    public static readonly PackageManager Zypper = new()
    {
        Name = "zypper",
        Programs = ["zypper"],
        ValueOptions = Set(
            "-R", "--root", "-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir",
            "-t", "--type", "-r", "--repo", "--from", "-p", "--plus-repo", "--download"),
        InstallSubcommands = Set("install", "in"),
        ConfirmingSubcommands = Set("install", "in", "remove", "rm", "source-install", "si", "patch"),
        YesOptions = ["n", "non-interactive", "y", "no-confirm"],
        CachingSubcommands = Set("install", "in", "update", "up", "patch", "dist-upgrade", "dup"),
        CleanSubcommands = ["clean", "cc"],
        CachePaths = ["/var/cache/zypp"],
        DistributionUpgrades = Set("dist-upgrade", "dup"),
        IndexUpdates = Set("refresh", "ref"),
        Versions = VersionSyntax.Zypper,
    };

    /// <summary>Every manager, for rules about all of them (index updates, distribution upgrades).</summary>
    public static readonly IReadOnlyList<PackageManager> All = [Apt, Apk, Pip, Pipx, Npm, Yarn, Gem, Go, Yum, Dnf, Zypper];

    /// <summary>The command lines of <paramref name="managers"/> in <paramref name="script"/>, in order.</summary>
    public static IEnumerable<PackageCommandLine> In(ShellScript script, params PackageManager[] managers)
    {
        ArgumentNullException.ThrowIfNull(script);
        foreach (var command in script.Commands)
        {
            foreach (var manager in managers)
            {
                if (manager.Read(command) is { } line)
                {
                    yield return line;
                    break;
                }
            }
        }
    }

    private static HashSet<string> RpmValueOptions() => Set(
        "-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "--installroot", "--enablerepo", "--disablerepo", "-x", "--exclude",
        "--releasever", "--setopt", "--downloaddir", "--destdir", "--rpmverbosity", "-R", "--randomwait", "--color", "--disableplugin",
        "--enableplugin", "--repo", "--repoid", "--repofrompath", "--forcearch");

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);
}
