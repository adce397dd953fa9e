namespace Strata.Images.Dockerfile.Context;

using Strata.Secrets;

/// <summary>A build context opened for a Dockerfile: where it is, how findings name it, its ignore file and what is sent.</summary>
/// <param name="Directory">The context directory.</param>
/// <param name="Name">The directory as findings name it.</param>
public sealed record BuildContext(string Directory, string Name, DockerignoreFile Ignore, SentContext Sent)
{
    /// <summary>How findings name a file of the context: <c>app/.env</c>.</summary>
    public string DisplayPath(string contextPath)
    {
        ArgumentNullException.ThrowIfNull(contextPath);
        return Name is "." or "./" or "" ? contextPath : Name.TrimEnd('/') + "/" + contextPath;
    }

    /// <summary>The ignore file as messages name it, or null without one.</summary>
    public string? IgnoreFileName => Ignore.Path is { } path ? DisplayPath(System.IO.Path.GetRelativePath(Directory, path).Replace('\\', '/')) : null;
}

/// <summary>
/// What the build-context checks read: the Dockerfile, and when the build context is known, what each COPY and ADD
/// brings from it and the secrets found in the files copied. Without a context, <see cref="Copies"/> holds only the
/// sources the Dockerfile names.
/// </summary>
public sealed record DockerfileBuild(DockerfileDocument Dockerfile)
{
    /// <summary>The build context, or null when only the Dockerfile was given.</summary>
    public BuildContext? Context { get; init; }

    /// <summary>Every COPY and ADD from the context, in Dockerfile order.</summary>
    public IReadOnlyList<ContextCopy> Copies { get; init; } = [];

    /// <summary>Secrets found in copied files, by context path (only files that hold some).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SecretMatch>> Secrets { get; init; } = new Dictionary<string, IReadOnlyList<SecretMatch>>();

    /// <summary>The Dockerfile alone: the sources it names, no context.</summary>
    public static DockerfileBuild Of(DockerfileDocument dockerfile) => new(dockerfile) { Copies = ContextCopies.Resolve(dockerfile, null) };

    /// <summary>The copies of <paramref name="stage"/>.</summary>
    public IEnumerable<ContextCopy> CopiesOf(DockerfileStage stage) => Copies.Where(c => ReferenceEquals(c.Stage, stage));
}
