using System.Diagnostics;
using Strata.Fuzz;

// Strata.Fuzz list                       the targets and what each covers
// Strata.Fuzz afl TARGET                 the AFL++ fork server loop (fuzz/run.sh starts it under afl-fuzz)
// Strata.Fuzz replay TARGET PATH…        each file (or each file of a directory) once, in-process: reproduce a crash, check a corpus
// Strata.Fuzz minimize TARGET FILE        shrinks a crashing input while the same defect remains; writes FILE.min
switch (args)
{
    case ["list"]:
        foreach (var target in FuzzTargets.All)
        {
            Console.WriteLine($"{target.Name,-16} {target.Covers}");
        }

        return 0;
    case ["afl", var name] when FuzzTargets.Find(name) is { } target:
        AflLoop.Run(target);
        return 0;
    case ["replay", var name, .. var paths] when FuzzTargets.Find(name) is { } target && paths.Length > 0:
        return await ReplayAsync(target, paths);
    case ["minimize", var name, var file] when FuzzTargets.Find(name) is { } target:
        var minimal = await Minimizer.MinimizeAsync(target, await File.ReadAllBytesAsync(file), CancellationToken.None);
        if (minimal is null)
        {
            await Console.Error.WriteLineAsync($"{file}: no defect to minimize.");
            return 1;
        }

        await File.WriteAllBytesAsync(file + ".min", minimal);
        Console.WriteLine($"{file}.min: {minimal.Length} bytes");
        return 0;
    default:
        await Console.Error.WriteLineAsync($"usage: Strata.Fuzz list | afl TARGET | replay TARGET PATH… | minimize TARGET FILE\ntargets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
        return 2;
}

static async Task<int> ReplayAsync(IFuzzTarget target, string[] paths)
{
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
    var defects = 0;
    foreach (var file in files)
    {
        var input = await File.ReadAllBytesAsync(file);
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await FuzzTargets.RunAsync(target, input, CancellationToken.None);
            Console.WriteLine($"{result.Outcome.ToString().ToLowerInvariant(),-8} {clock.ElapsedMilliseconds,6} ms  {file}{(result.Message is { } message ? "  (" + message + ")" : string.Empty)}");
        }
        catch (Exception error)
        {
            defects++;
            Console.WriteLine($"DEFECT   {clock.ElapsedMilliseconds,6} ms  {file}");
            Console.WriteLine(error);
        }
    }

    Console.WriteLine($"{target.Name}: {files.Count} inputs, {defects} defects");
    return defects == 0 ? 0 : 1;
}
