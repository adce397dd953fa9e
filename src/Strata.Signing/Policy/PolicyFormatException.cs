namespace Strata.Signing.Policy;

using Strata.Core;

/// <summary>A policy (or a signed-identity object) that containers/image would refuse to load; the message says which field.</summary>
public sealed class PolicyFormatException : StrataException
{
    public PolicyFormatException(string message, Exception? inner = null)
        : base(message, ExitCode.Error, inner)
    {
    }

    public PolicyFormatException()
        : this("invalid policy")
    {
    }

    public PolicyFormatException(string message)
        : this(message, null)
    {
    }
}
