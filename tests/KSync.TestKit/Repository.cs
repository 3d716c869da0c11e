namespace KSync.TestKit;

/// <summary>Locations in the source tree the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>Gets the repository root (the folder holding KSync.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>Gets <c>artifacts/</c>, where tests/run.sh publishes the binaries under test.</summary>
    public static string Artifacts => Path.Combine(Root, "artifacts");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KSync.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"KSync.sln not found above {AppContext.BaseDirectory}.");
    }
}
