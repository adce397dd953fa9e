namespace Strata.Reporting;

using Spectre.Console;

/// <summary>A Spectre.Console console over a report stream, as wide as <see cref="ReportSettings.Width"/>.</summary>
internal static class SpectreOutput
{
    public static async Task WriteAsync(Stream output, ReportSettings settings, Action<IAnsiConsole> render, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = settings.Colour ? AnsiSupport.Yes : AnsiSupport.No,
                ColorSystem = settings.Colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(writer),
                Interactive = InteractionSupport.No,
            });
            console.Profile.Width = settings.Width;
            render(console);
            await writer.FlushAsync(cancellationToken);
        }
    }
}
