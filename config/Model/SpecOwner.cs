using System.Globalization;

namespace KSync.Config.Model;

/// <summary>
/// The owner a spec asks for the files ksync creates in the container (<c>create --owner UID[:GID]</c>, key
/// <c>owner</c> in ksync.yaml): numeric IDs only, because names resolve differently in every image. Without a group,
/// the group follows the default rule (docs/architecture.md, "Files land usable").
/// </summary>
/// <param name="Uid">User ID.</param>
/// <param name="Gid">Group ID, or null.</param>
public readonly record struct SpecOwner(uint Uid, uint? Gid)
{
    /// <summary>Parses <c>UID</c> or <c>UID:GID</c> (decimal, 0 to 4294967294; 4294967295 is chown(2)'s "leave unchanged").</summary>
    /// <param name="text">The text.</param>
    /// <param name="owner">The owner, when valid.</param>
    /// <returns>True when <paramref name="text"/> is valid.</returns>
    public static bool TryParse(string? text, out SpecOwner owner)
    {
        owner = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (!TryId(colon < 0 ? text : text[..colon], out var uid))
        {
            return false;
        }

        if (colon < 0)
        {
            owner = new SpecOwner(uid, null);
            return true;
        }

        if (!TryId(text[(colon + 1)..], out var gid))
        {
            return false;
        }

        owner = new SpecOwner(uid, gid);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Gid is { } gid ? string.Create(CultureInfo.InvariantCulture, $"{Uid}:{gid}") : Uid.ToString(CultureInfo.InvariantCulture);

    private static bool TryId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != uint.MaxValue && text.Length <= 10;
}
