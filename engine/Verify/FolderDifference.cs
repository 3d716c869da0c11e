namespace KSync.Engine.Verify;

/// <summary>One path that differs between the two sides of a sync.</summary>
/// <param name="Path">Relative to the synced folder, <c>/</c> separators.</param>
/// <param name="Kind">How it differs.</param>
/// <param name="Detail">What differs in words, e.g. <c>size 5 locally, 7 on the node</c>.</param>
public sealed record FolderDifference(string Path, DifferenceKind Kind, string Detail)
{
    /// <summary>Gets the kind in the words <c>wait --verify</c> prints: missing on node, missing locally, content, type.</summary>
    public string KindText => Kind switch
    {
        DifferenceKind.MissingOnNode => "missing on node",
        DifferenceKind.MissingLocally => "missing locally",
        DifferenceKind.Content => "content",
        _ => "type",
    };
}
