namespace Strata.Bench.Image;

using System.Buffers.Binary;

/// <summary>xoshiro256** seeded by splitmix64: fast, and the same numbers on every runtime (System.Random's algorithm may change).</summary>
internal struct Xoshiro
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    public Xoshiro(ulong seed, ulong stream, ulong substream)
    {
        var x = Mix(seed ^ Mix(stream ^ Mix(substream)));
        s0 = Mix(x += 0x9E3779B97F4A7C15);
        s1 = Mix(x += 0x9E3779B97F4A7C15);
        s2 = Mix(x += 0x9E3779B97F4A7C15);
        s3 = Mix(x + 0x9E3779B97F4A7C15);
    }

    /// <summary>splitmix64's finaliser.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextGaussian()
    {
        var u = 1 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public void Fill(Span<byte> target)
    {
        while (target.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(target, Next());
            target = target[8..];
        }

        if (target.Length > 0)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..target.Length].CopyTo(target);
        }
    }
}
