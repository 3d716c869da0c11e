using KSync.TestKit;

namespace KSync.Plugin.Tests.Cli;

/// <summary>A fresh KSYNC_HOME and working directory per test, and a runner for the published binary.</summary>
public sealed class CliFixture : IDisposable
{
    private readonly TempDirectory _root = new("ksync-cli");

    public CliFixture()
    {
        Directory.CreateDirectory(Work);
        Runner = new PluginRunner(Path.Combine(_root.Path, "home"), Work);
        Directory.CreateDirectory(Runner.Home);
    }

    public string Work => Path.Combine(_root.Path, "work");

    public PluginRunner Runner { get; }

    public string MakeFolder(string relative)
    {
        var path = Path.Combine(Work, relative);
        Directory.CreateDirectory(path);
        return path;
    }

    public string? ConfigText => File.Exists(Runner.ConfigFile) ? File.ReadAllText(Runner.ConfigFile) : null;

    public void Dispose() => _root.Dispose();
}
