using System.Globalization;
using System.Text.RegularExpressions;

namespace KSync.Syncthing.Versions;

/// <summary>
/// A syncthing release version, as printed by <c>syncthing --version</c> (for example
/// <c>syncthing v1.19.2-ds1 "Fermium Flea" (go1.19.8 linux-amd64) debian@debian ...</c>). Only major, minor and
/// patch take part in comparisons; distribution suffixes such as Debian's <c>-ds1</c> are kept in <see cref="Text"/>.
/// </summary>
/// <param name="Major">Major version (1 or 2 today).</param>
/// <param name="Minor">Minor version.</param>
/// <param name="Patch">Patch version.</param>
/// <param name="Text">The version as printed, e.g. <c>v1.19.2-ds1</c>.</param>
public sealed partial record SyncthingVersion(int Major, int Minor, int Patch, string Text) : IComparable<SyncthingVersion>
{
    /// <summary>Parses the first <c>vX.Y.Z</c> token of <paramref name="text"/> (the output of <c>--version</c>).</summary>
    /// <param name="text">Text holding a version.</param>
    /// <param name="version">The version, when found.</param>
    /// <returns>True when a version was found.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SyncthingVersion? version)
    {
        version = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var match = VersionPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        version = new SyncthingVersion(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
            match.Value);
        return true;
    }

    /// <summary>Creates a version from its parts (no suffix).</summary>
    /// <param name="major">Major version.</param>
    /// <param name="minor">Minor version.</param>
    /// <param name="patch">Patch version.</param>
    /// <returns>The version; <see cref="Text"/> is <c>vX.Y.Z</c>.</returns>
    public static SyncthingVersion Of(int major, int minor, int patch)
        => new(major, minor, patch, string.Create(CultureInfo.InvariantCulture, $"v{major}.{minor}.{patch}"));

    /// <inheritdoc/>
    public int CompareTo(SyncthingVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byMajor = Major.CompareTo(other.Major);
        if (byMajor != 0)
        {
            return byMajor;
        }

        var byMinor = Minor.CompareTo(other.Minor);
        return byMinor != 0 ? byMinor : Patch.CompareTo(other.Patch);
    }

    /// <summary>Compares by major, minor and patch.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>True when <paramref name="left"/> is older.</returns>
    public static bool operator <(SyncthingVersion? left, SyncthingVersion? right) => Compare(left, right) < 0;

    /// <summary>Compares by major, minor and patch.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>True when <paramref name="left"/> is older or the same.</returns>
    public static bool operator <=(SyncthingVersion? left, SyncthingVersion? right) => Compare(left, right) <= 0;

    /// <summary>Compares by major, minor and patch.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>True when <paramref name="left"/> is newer.</returns>
    public static bool operator >(SyncthingVersion? left, SyncthingVersion? right) => Compare(left, right) > 0;

    /// <summary>Compares by major, minor and patch.</summary>
    /// <param name="left">A version.</param>
    /// <param name="right">Another version.</param>
    /// <returns>True when <paramref name="left"/> is newer or the same.</returns>
    public static bool operator >=(SyncthingVersion? left, SyncthingVersion? right) => Compare(left, right) >= 0;

    /// <summary>Gets a value indicating whether this version is at least <paramref name="major"/>.<paramref name="minor"/>.</summary>
    /// <param name="major">Major version.</param>
    /// <param name="minor">Minor version.</param>
    /// <returns>True when this version is that or newer.</returns>
    public bool IsAtLeast(int major, int minor) => Major > major || (Major == major && Minor >= minor);

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static int Compare(SyncthingVersion? left, SyncthingVersion? right)
        => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    [GeneratedRegex(@"v(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.+-]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
