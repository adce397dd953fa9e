namespace Strata.Reporting;

using System.Globalization;

/// <summary>How many columns a table may use: <c>COLUMNS</c>, else the terminal's width when stdout is one, else <see cref="Default"/>.</summary>
public static class TerminalWidth
{
    /// <summary>For output that goes to a file or a pipe: the classic terminal width, which every viewer shows unwrapped.</summary>
    public const int Default = 80;

    /// <summary>Narrower than this, no table layout is readable; a smaller request is raised to it.</summary>
    public const int Minimum = 40;

    /// <param name="columns">The value of <c>COLUMNS</c>, if set.</param>
    /// <param name="terminalColumns">The terminal's width when stdout is a terminal; null when it is redirected or unknown.</param>
    public static int Resolve(string? columns, int? terminalColumns)
    {
        if (int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment > 0)
        {
            return Math.Max(Minimum, fromEnvironment);
        }

        return terminalColumns is int width and > 0 ? Math.Max(Minimum, width) : Default;
    }

    /// <summary>The width for this process's stdout.</summary>
    public static int Detect()
    {
        int? terminal = null;
        if (!Console.IsOutputRedirected)
        {
            try
            {
                terminal = Console.WindowWidth;
            }
            catch (IOException)
            {
                // No terminal after all (e.g. stdout is a character device that is not a tty).
            }
        }

        return Resolve(Environment.GetEnvironmentVariable("COLUMNS"), terminal);
    }
}
