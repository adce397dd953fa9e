namespace Strata.Oci.Tests;

using System.Text;
using Strata.Core;
using Strata.Oci.Layers;

/// <summary>PAX records whose declared length is hostile: found while writing the tar fuzz target (fuzz/run.sh tar), reproduced with it.</summary>
public sealed class PaxRecordTests
{
    // The second record's length made offset + length overflow int: the bound check passed and the read was out of range.
    [Theory]
    [InlineData("2147483647 x=y\n")]
    [InlineData("2147483646 x=y\n")]
    [InlineData("99 x=y\n")]
    public async Task A_record_longer_than_the_header_is_malformed(string second)
    {
        var tar = Tar(Encoding.ASCII.GetBytes("11 a=bcdef\n" + second));
        var reader = new TarStreamReader(new MemoryStream(tar), Limits.Default, "layer 0");
        var error = await Assert.ThrowsAsync<StrataException>(async () => await reader.NextAsync(CancellationToken.None));
        Assert.StartsWith("layer 0: malformed PAX record at byte 11", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Tar(byte[] pax)
    {
        var archive = new MemoryStream();
        archive.Write(Header("././@PaxHeader", 'x', pax.Length));
        archive.Write(pax);
        archive.Write(new byte[(512 - (pax.Length % 512)) % 512]);
        archive.Write(Header("file", '0', 0));
        archive.Write(new byte[1024]);
        return archive.ToArray();
    }

    private static byte[] Header(string name, char type, int size)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        "        "u8.CopyTo(header.AsSpan(148));
        var sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }
}
