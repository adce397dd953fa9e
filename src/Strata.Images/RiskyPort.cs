namespace Strata.Images;

using Strata.Core.Findings;

/// <summary>
/// A port whose exposure means remote administration of the container or of the host. One table for EXPOSE in
/// Dockerfiles (DKF-020) and ExposedPorts in image configs (IMG-013).
/// </summary>
/// <param name="Service">What listens there, e.g. <c>SSH</c>.</param>
/// <param name="Risk">What exposing it means.</param>
/// <param name="Severity">How bad it is, where the rule grades by port.</param>
public sealed record RiskyPort(int Number, string Service, string Risk, Severity Severity)
{
    public static IReadOnlyDictionary<int, RiskyPort> Known { get; } = new RiskyPort[]
    {
        new(22, "SSH", "a second way in, with its own keys and passwords", Severity.Medium),
        new(23, "telnet", "clear-text logins", Severity.High),
        new(2375, "the Docker API without TLS", "root on the host to anyone who connects", Severity.High),
        new(2376, "the Docker API", "control of the host's containers", Severity.Medium),
    }.ToDictionary(p => p.Number);
}
