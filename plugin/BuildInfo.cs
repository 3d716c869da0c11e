using System.Reflection;

namespace KSync;

/// <summary>
/// The build identity of the running binary, read from assembly attributes stamped at build time
/// (see Directory.Build.targets): version, Git commit and build (commit) date. Shared by kubectl-ksync and radar.
/// </summary>
/// <param name="Version">Semantic version, e.g. "0.1.0".</param>
/// <param name="Commit">Git commit hash, or "unknown".</param>
/// <param name="BuildDate">ISO 8601 commit date, or "unknown".</param>
internal sealed record BuildInfo(string Version, string Commit, string BuildDate)
{
    /// <summary>Gets the identity of the running binary.</summary>
    public static BuildInfo Current { get; } = Read(typeof(BuildInfo).Assembly);

    /// <summary>Reads the identity from an assembly's attributes.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>The identity; missing parts are "unknown".</returns>
    public static BuildInfo Read(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
        var date = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BuildDate")?.Value;
        return new BuildInfo(version, commit, string.IsNullOrEmpty(date) ? "unknown" : date);
    }
}
