namespace Strata.Oci.Tests.Support;

using System.Formats.Tar;
using System.Globalization;
using System.Text;
using CsCheck;

/// <summary>What one tar entry of a generated layer does.</summary>
public enum LayerOpKind
{
    File,
    Directory,
    Symlink,
    HardLink,

    /// <summary><c>DIR/.wh.NAME</c>: deletes <see cref="LayerOp.Path"/> from lower layers.</summary>
    Whiteout,

    /// <summary><c>DIR/.wh..wh..opq</c>: hides what lower layers put in the directory <see cref="LayerOp.Path"/> (<c>""</c> is the root).</summary>
    Opaque,
}

/// <summary>One generated tar entry. <see cref="Text"/> is a file's content, a symlink's target or a hard link's target path.</summary>
public sealed record LayerOp(LayerOpKind Kind, string Path, int Mode = 0, string Text = "")
{
    private static readonly string[] Names = ["a", "b", "c"];
    private static readonly string[] SymlinkTargets = ["a", "b", "a/b", "c/a", "/a", "/b/c", "../a", "..", "/", "../../c", "nowhere", "."];

    /// <summary>The name the entry has in the tar.</summary>
    public string TarName => Kind switch
    {
        LayerOpKind.Whiteout => Join(Parent(Path), ".wh." + Name(Path)),
        LayerOpKind.Opaque => Join(Path, ".wh..wh..opq"),
        _ => Path,
    };

    /// <summary>Paths of one to three components over a three-name alphabet, so that layers collide often.</summary>
    public static Gen<string> Paths { get; } =
        Gen.Int[1, 3].SelectMany(depth => Gen.Int[0, Names.Length - 1].Array[depth]).Select(parts => string.Join('/', parts.Select(i => Names[i])));

    /// <summary>Regular files, directories, symlinks (relative, absolute, climbing, dangling), hard links, whiteouts and opaque markers.</summary>
    public static Gen<LayerOp> Any { get; } = Gen.Frequency(
        (6, Gen.Select(Paths, Gen.Int[0, 2], Gen.Char.AlphaNumeric.Array[0, 12], (path, mode, content) =>
            new LayerOp(LayerOpKind.File, path, new[] { 0x1A4, 0x180, 0x1ED }[mode], new string(content)))),
        (4, Gen.Select(Paths, Gen.Int[0, 2], (path, mode) => new LayerOp(LayerOpKind.Directory, path, new[] { 0x1ED, 0x1C0, 0x1E8 }[mode]))),
        (2, Gen.Select(Paths, Gen.Int[0, SymlinkTargets.Length - 1], (path, target) => new LayerOp(LayerOpKind.Symlink, path, 0x1FF, SymlinkTargets[target]))),
        (1, Gen.Select(Paths, Paths, (path, target) => new LayerOp(LayerOpKind.HardLink, path, 0x1A4, target))),
        (3, Paths.Select(path => new LayerOp(LayerOpKind.Whiteout, path))),
        (2, Gen.OneOf(Gen.Const(string.Empty), Paths).Select(path => new LayerOp(LayerOpKind.Opaque, path))));

    /// <summary>One to four layers of up to eight entries each.</summary>
    public static Gen<LayerOp[][]> Stacks { get; } = Any.Array[0, 8].Array[1, 4];

    /// <summary>The uncompressed tar of one layer.</summary>
    public static byte[] Tar(IEnumerable<LayerOp> ops) => OciLayoutWriter.Tar(writer =>
    {
        foreach (var op in ops)
        {
            switch (op.Kind)
            {
                case LayerOpKind.File:
                    OciLayoutWriter.AddFile(writer, op.Path, op.Text, op.Mode);
                    break;
                case LayerOpKind.Directory:
                    OciLayoutWriter.AddEntry(writer, TarEntryType.Directory, op.Path + "/", mode: op.Mode);
                    break;
                case LayerOpKind.Symlink:
                    OciLayoutWriter.AddEntry(writer, TarEntryType.SymbolicLink, op.Path, op.Text, op.Mode);
                    break;
                case LayerOpKind.HardLink:
                    OciLayoutWriter.AddEntry(writer, TarEntryType.HardLink, op.Path, op.Text, op.Mode);
                    break;
                default:
                    OciLayoutWriter.AddFile(writer, op.TarName, string.Empty);
                    break;
            }
        }
    });

    /// <summary>The stack as C# that rebuilds it, so a shrunk counterexample can be pasted into a regression test.</summary>
    public static string Describe(LayerOp[][] stack)
    {
        var text = new StringBuilder("[");
        foreach (var layer in stack)
        {
            text.AppendLine().Append("    [");
            text.AppendJoin(", ", layer.Select(op => op.ToString()));
            text.Append("],");
        }

        return text.AppendLine().Append(']').ToString();
    }

    public override string ToString() => Kind switch
    {
        LayerOpKind.File => string.Create(CultureInfo.InvariantCulture, $"new(LayerOpKind.File, \"{Path}\", 0x{Mode:X}, \"{Text}\")"),
        LayerOpKind.Directory => string.Create(CultureInfo.InvariantCulture, $"new(LayerOpKind.Directory, \"{Path}\", 0x{Mode:X})"),
        LayerOpKind.Symlink or LayerOpKind.HardLink => $"new(LayerOpKind.{Kind}, \"{Path}\", 0x{Mode:X}, \"{Text}\")",
        _ => $"new(LayerOpKind.{Kind}, \"{Path}\")",
    };

    private static string? Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path[..slash];
    }

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string Join(string? directory, string name) => string.IsNullOrEmpty(directory) ? name : directory + "/" + name;
}
