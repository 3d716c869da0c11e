using KSync.Lab;
using KSync.Lab.Nodes;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// One lab cluster for the whole collection, with ksync's node agents installed once by
/// <c>kubectl ksync init --remote</c> through the published binary, and a Kubernetes client for the tests' pods.
/// </summary>
public sealed class E2EFixture : IAsyncLifetime
{
    private LabCluster? _lab;
    private ClusterConnection? _connection;
    private string? _skipReason;

    /// <summary>Gets both runtimes, for theories that run on each lab node kind.</summary>
    public static TheoryData<NodeRuntime> Runtimes => [NodeRuntime.Docker, NodeRuntime.Containerd];

    /// <summary>Gets the lab; calls <see cref="Requires"/> first, so a machine without engines skips (fails in CI).</summary>
    public LabCluster Lab
    {
        get
        {
            Require();
            return _lab ?? throw new InvalidOperationException("The lab did not start (see the first test's failure).");
        }
    }

    /// <summary>Gets a client of the lab's API server, as the plugin makes it.</summary>
    internal k8s.Kubernetes Client => (_connection ?? throw new InvalidOperationException("The lab did not start.")).Client;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        _skipReason = Requires.Which("dockerd") is null ? "dockerd is not installed"
            : Requires.Which("syncthing") is null ? "syncthing is not installed"
            : null;
        if (_skipReason is not null && !Requires.IsCi)
        {
            // Tests call Require and skip with the reason; the fixture must not throw first.
            return;
        }

        var token = TestContext.Current.CancellationToken;
        _lab = await LabCluster.StartAsync(new LabOptions(), token);
        _connection = KubeClientFactory.Create(new GlobalSettings(_lab.KubeconfigPath, null, "default", null, null), _ => null);
        using var home = new TempDirectory("ksync-e2e-init");
        var runner = new PluginRunner(home.Path, home.Path).With("KUBECONFIG", _lab.KubeconfigPath);
        var init = await runner.RunAsync("init", "--remote", "--timeout", "120s");
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl ksync init --remote failed: {init.Output}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    /// <summary>Skips (locally) or fails (CI) when the lab's engines are missing.</summary>
    public void Require()
    {
        Requires.Root();
        if (_skipReason is not null)
        {
            Requires.Missing(_skipReason);
        }
    }
}
