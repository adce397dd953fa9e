using System.Globalization;
using Strata.Bench.Image;
using Strata.Core;

// ImageBench generate DIR SIZE LAYERS FILES [SEED]   writes a synthetic OCI layout
// ImageBench walk REFERENCE read|metadata|content         reads and verifies every layer as inspect (+ a scanner) would
try
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    switch (args)
    {
        case ["generate", var directory, var size, var layers, var files, .. var rest]:
            var seed = rest.Length > 0 ? ulong.Parse(rest[0], CultureInfo.InvariantCulture) : 1;
            var settings = new GeneratorSettings(
                long.Parse(size, CultureInfo.InvariantCulture),
                int.Parse(layers, CultureInfo.InvariantCulture),
                int.Parse(files, CultureInfo.InvariantCulture),
                seed);
            await ImageGenerator.GenerateAsync(directory, settings, Console.Out, cancel.Token);
            return 0;
        case ["walk", var reference, var mode]:
            await ImageRead.RunAsync(reference, mode, Console.Out, cancel.Token);
            return 0;
        default:
            await Console.Error.WriteLineAsync("usage: ImageBench generate DIR SIZE LAYERS FILES [SEED] | walk REFERENCE read|metadata|content");
            return 2;
    }
}
catch (StrataException error)
{
    await Console.Error.WriteLineAsync("error: " + error.Message);
    return (int)error.ExitCode;
}
