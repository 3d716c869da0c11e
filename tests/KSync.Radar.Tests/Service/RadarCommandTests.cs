using System.Text.RegularExpressions;
using KSync.TestKit;

namespace KSync.Radar.Tests.Service;

public sealed partial class RadarCommandTests
{
    [Fact]
    public void Parse_NoFlags_GivesDocumentedDefaults()
    {
        var options = Parse([]);

        Assert.Equal("127.0.0.1", options.Bind);
        Assert.Equal(40321, options.Port);
        Assert.Equal("0.0.0.0", options.HealthBind);
        Assert.Equal(40320, options.HealthPort);
        Assert.Equal(string.Empty, options.HostRoot);
        Assert.Equal("/proc", options.ProcRoot);
        Assert.Null(options.DockerSocket);
        Assert.Null(options.ContainerdSocket);
        Assert.Null(options.CrioSocket);
        Assert.Equal(new Uri("http://127.0.0.1:8384"), options.SyncthingApi);
        Assert.Equal(22000, options.SyncthingSyncPort);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RuntimeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.SyncthingPollInterval);
    }

    [Fact]
    public void Parse_EveryOverride_IsApplied()
    {
        var options = Parse([
            "--bind", "127.0.0.2", "--port", "1234", "--health-bind", "127.0.0.3", "--health-port", "-1",
            "--host-root", "/host", "--proc-root", "/hostproc", "--prefer-proc-root",
            "--docker-socket", "/d.sock", "--containerd-socket", "/c.sock", "--crio-socket", "/o.sock", "--containerd-state", "/state",
            "--runtime-timeout", "2.5", "--syncthing-api", "http://127.0.0.1:9999", "--syncthing-sync-port", "23000", "--syncthing-poll-interval", "0.5",
        ]);

        Assert.Equal(("127.0.0.2", 1234, "127.0.0.3", -1), (options.Bind, options.Port, options.HealthBind, options.HealthPort));
        Assert.Equal(("/host", "/hostproc", true), (options.HostRoot, options.ProcRoot, options.PreferProcRoot));
        Assert.Equal(("/d.sock", "/c.sock", "/o.sock", "/state"), (options.DockerSocket, options.ContainerdSocket, options.CrioSocket, options.ContainerdState));
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RuntimeTimeout);
        Assert.Equal((9999, 23000), (options.SyncthingApi.Port, options.SyncthingSyncPort));
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.SyncthingPollInterval);
    }

    [Theory]
    [InlineData("--port", "65536")]
    [InlineData("--port", "-1")]
    [InlineData("--health-port", "-2")]
    [InlineData("--bind", "not-an-ip")]
    [InlineData("--health-bind", "localhost")]
    [InlineData("--syncthing-api", "127.0.0.1:8384")]
    [InlineData("--syncthing-sync-port", "0")]
    [InlineData("--syncthing-poll-interval", "0")]
    [InlineData("--runtime-timeout", "-3")]
    public void Parse_BadValue_IsAnError(string flag, string value)
    {
        var result = new RadarCommand((_, _) => Task.FromResult(0)).Parse([flag, value]);

        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Parse_SamePortForServiceAndHealth_IsAnError()
    {
        Assert.NotEmpty(new RadarCommand((_, _) => Task.FromResult(0)).Parse(["--port", "5000", "--health-port", "5000"]).Errors);
    }

    [Fact]
    public void DaemonSet_RadarArgs_AreFlagsRadarAccepts()
    {
        var yaml = File.ReadAllText(Path.Combine(Repository.Root, "plugin", "Cluster", "Manifests", "daemonset.yaml"));
        var block = RadarArgs().Match(yaml);
        Assert.True(block.Success, "daemonset.yaml has a radar container with args");
        var args = block.Groups["args"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("- ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToArray();

        var options = Parse(args);

        Assert.Equal(("127.0.0.1", 40321, "0.0.0.0", 40320), (options.Bind, options.Port, options.HealthBind, options.HealthPort));
        Assert.Equal("/host", options.HostRoot);
        Assert.Equal(22000, options.SyncthingSyncPort);
    }

    private static RadarOptions Parse(string[] args)
    {
        RadarOptions? parsed = null;
        var result = new RadarCommand((options, _) =>
        {
            parsed = options;
            return Task.FromResult(0);
        }).Parse(args);
        Assert.Empty(result.Errors);
        Assert.Equal(0, result.Invoke());
        return parsed!;
    }

    [GeneratedRegex(@"command: \[""/usr/local/bin/radar""\][^\n]*\n(?:\s*#[^\n]*\n)*\s*args:\n(?<args>(?:\s+- [^\n]+\n)+)")]
    private static partial Regex RadarArgs();
}
