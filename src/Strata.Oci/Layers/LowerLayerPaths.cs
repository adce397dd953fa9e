namespace Strata.Oci.Layers;

/// <summary>Whether the layer being applied wrote a resolved path.</summary>
internal delegate bool UpperPathTest(ReadOnlySpan<char> resolvedPath);

/// <summary>
/// Resolves a whiteout's path among what lower layers left, for the extractor and the layered filesystem alike:
/// symlinks are followed, except one the current layer wrote, which replaced whatever lower layers had at that path
/// (the answer is then null: nothing of theirs is left there).
/// </summary>
internal sealed class LowerLayerPaths
{
    private readonly SymlinkTargetLookup symlinkTarget;
    private readonly SymlinkTargetLookup lowerSymlinkTarget;
    private readonly UpperPathTest isUpper;
    private bool metUpperSymlink;

    /// <param name="symlinkTarget">The target of the symlink at a resolved path as the tree stands now, or null.</param>
    /// <param name="upperPaths">The paths the current layer wrote (and their parents).</param>
    public LowerLayerPaths(SymlinkTargetLookup symlinkTarget, HashSet<string> upperPaths)
        : this(symlinkTarget, upperPaths.GetAlternateLookup<ReadOnlySpan<char>>().Contains)
    {
    }

    /// <param name="symlinkTarget">The target of the symlink at a resolved path as the tree stands now, or null.</param>
    /// <param name="isUpper">Whether the current layer wrote a path (or a path below it).</param>
    public LowerLayerPaths(SymlinkTargetLookup symlinkTarget, UpperPathTest isUpper)
    {
        this.symlinkTarget = symlinkTarget;
        lowerSymlinkTarget = LowerSymlinkTarget;
        this.isUpper = isUpper;
    }

    /// <summary>The resolved path (its last component followed when <paramref name="followLast"/>), or null when it leads through a symlink of the current layer.</summary>
    public string? Resolve(string path, bool followLast, string what)
    {
        metUpperSymlink = false;
        var resolved = followLast ? ScopedPath.Resolve(path, lowerSymlinkTarget, what) : ScopedPath.ResolveParent(path, lowerSymlinkTarget, what);
        return metUpperSymlink ? null : resolved;
    }

    private string? LowerSymlinkTarget(ReadOnlySpan<char> path)
    {
        if (metUpperSymlink)
        {
            return null;
        }

        var target = symlinkTarget(path);
        if (target is not null && isUpper(path))
        {
            metUpperSymlink = true;
            return null;
        }

        return target;
    }
}
