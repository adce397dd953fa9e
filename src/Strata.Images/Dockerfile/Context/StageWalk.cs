namespace Strata.Images.Dockerfile.Context;

/// <summary>The instructions of a stage in build order, each with the WORKDIR in effect where it runs.</summary>
public static class StageWalk
{
    /// <summary>
    /// Each instruction of <paramref name="stage"/> (ONBUILD triggers excluded: they run in other builds) with the
    /// WORKDIR in effect: inherited from the stage it is built FROM, <c>/</c> for an image (its own WORKDIR is not known).
    /// </summary>
    public static IEnumerable<(DockerfileInstruction Instruction, string Workdir)> WithWorkdir(DockerfileStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var workdir = FinalWorkdir(stage.BaseStage);
        foreach (var instruction in stage.Instructions)
        {
            if (instruction.Keyword == "WORKDIR" && instruction.Words is [var path, ..] && !instruction.Unresolved)
            {
                workdir = GoPath.Absolute(workdir, path);
            }

            yield return (instruction, workdir);
        }
    }

    /// <summary>The stage and the stages it is built FROM, nearest first: whose layers a RUN of the stage sits on.</summary>
    public static IEnumerable<DockerfileStage> Chain(DockerfileStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var seen = new HashSet<DockerfileStage>(ReferenceEqualityComparer.Instance);
        for (var s = stage; s is not null && seen.Add(s); s = s.BaseStage)
        {
            yield return s;
        }
    }

    private static string FinalWorkdir(DockerfileStage? stage) =>
        stage is null ? "/" : WithWorkdir(stage).Select(i => i.Workdir).LastOrDefault() ?? FinalWorkdir(stage.BaseStage);
}
