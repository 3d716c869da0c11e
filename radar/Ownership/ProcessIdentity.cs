using System.Globalization;

namespace KSync.Radar.Ownership;

/// <summary>Who a process runs as: its effective user and group and its supplementary groups (fsGroup is one).</summary>
/// <param name="Uid">Effective user ID.</param>
/// <param name="Gid">Effective group ID.</param>
/// <param name="Groups">Supplementary group IDs.</param>
internal sealed record ProcessIdentity(uint Uid, uint Gid, IReadOnlyList<uint> Groups)
{
    /// <summary>Reads a process's identity from <c>/proc/&lt;pid&gt;/status</c> (proc(5): the <c>Uid:</c>, <c>Gid:</c> and <c>Groups:</c> lines).</summary>
    /// <param name="statusText">The file's text.</param>
    /// <returns>The identity.</returns>
    /// <exception cref="FormatException">A line is missing or not numeric.</exception>
    public static ProcessIdentity Parse(string statusText)
    {
        ArgumentNullException.ThrowIfNull(statusText);
        uint? uid = null;
        uint? gid = null;
        var groups = new List<uint>();
        foreach (var line in statusText.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var fields = line[(colon + 1)..].Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            switch (line[..colon])
            {
                // Real, effective, saved, filesystem: files are created with the filesystem ID, which follows the effective one.
                case "Uid":
                    uid = Number(fields, 1, "Uid");
                    break;
                case "Gid":
                    gid = Number(fields, 1, "Gid");
                    break;
                case "Groups":
                    groups.AddRange(fields.Select(f => Number([f], 0, "Groups")));
                    break;
            }
        }

        if (uid is null || gid is null)
        {
            throw new FormatException("the process status has no Uid: or Gid: line.");
        }

        return new ProcessIdentity(uid.Value, gid.Value, groups);
    }

    /// <summary>Tells whether the process is in group <paramref name="gid"/> (its own or a supplementary one).</summary>
    /// <param name="gid">A group ID.</param>
    /// <returns>True when it is.</returns>
    public bool InGroup(uint gid) => Gid == gid || Groups.Contains(gid);

    private static uint Number(string[] fields, int index, string name) =>
        fields.Length > index && uint.TryParse(fields[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"the process status's {name}: line is not numeric.");
}
