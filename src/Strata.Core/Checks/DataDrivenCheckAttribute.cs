namespace Strata.Core.Checks;

/// <summary>
/// Marks a check class whose instances are the entries of a data table, one rule each (the kernel settings of
/// <c>Data/sysctl-hardening.json</c>): the rule lives in the data entry, not in a class named after it.
/// </summary>
/// <param name="dataFile">The table, relative to the check's project.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DataDrivenCheckAttribute(string dataFile) : Attribute
{
    public string DataFile { get; } = dataFile;
}
