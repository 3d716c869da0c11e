namespace KSync.Radar.Ownership;

/// <summary>What the owner rule needs to know of a directory.</summary>
/// <param name="Owner">Its owner.</param>
/// <param name="Mode">Its permission bits with setuid, setgid and sticky (the low 12 bits of <c>st_mode</c>).</param>
internal readonly record struct DirectoryFacts(FileOwner Owner, UnixFileMode Mode)
{
    /// <summary>Gets a value indicating whether new entries take the directory's group (setgid, as fsGroup volumes are).</summary>
    public bool SetGroupId => Mode.HasFlag(UnixFileMode.SetGroup);
}
