using YamlDotNet.Serialization;

namespace KSync.Plugin.Output;

/// <summary>How far a first sync's seed is, in <c>get</c> output (docs/architecture.md, "The seed").</summary>
[YamlSerializable]
internal sealed class SeedView
{
    /// <summary>Gets or sets the regular files in place.</summary>
    public int FilesDone { get; set; }

    /// <summary>Gets or sets the regular files of the local folder.</summary>
    public int FilesTotal { get; set; }

    /// <summary>Gets or sets the file bytes in place.</summary>
    public long BytesDone { get; set; }

    /// <summary>Gets or sets the file bytes of the local folder.</summary>
    public long BytesTotal { get; set; }
}
