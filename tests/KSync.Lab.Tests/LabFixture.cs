using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>
/// The cluster the tests of a collection share: one lab cluster, or — when <c>KSYNC_E2E_KUBECONFIG</c> names a
/// kubeconfig — that real cluster (e.g. kind in CI). Tests that need the lab's hooks (its store, access rules,
/// engine, restarts, faults) get it from <see cref="LabOnly"/>, which skips them on a real cluster.
/// </summary>
public sealed class LabFixture : IAsyncLifetime
{
    /// <summary>The variable that switches the tests to a real cluster.</summary>
    public const string E2eVariable = "KSYNC_E2E_KUBECONFIG";

    private LabCluster? _lab;

    /// <summary>Gets the real cluster's kubeconfig, or null to use the lab.</summary>
    public static string? External => Environment.GetEnvironmentVariable(E2eVariable) is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>Gets the node agent image to install on a real cluster (KSYNC_E2E_IMAGE), or null.</summary>
    public static string? ExternalImage => Environment.GetEnvironmentVariable("KSYNC_E2E_IMAGE") is { Length: > 0 } image ? image : null;

    /// <summary>Gets the kubeconfig of the cluster under test.</summary>
    public string KubeconfigPath => External ?? Lab.KubeconfigPath;

    /// <summary>Gets the lab (lab runs only).</summary>
    public LabCluster Lab => _lab ?? throw new InvalidOperationException("The lab did not start (see the first test's skip or failure).");

    /// <summary>The lab, for tests that need its hooks; skips the test on a real cluster.</summary>
    /// <param name="why">What lab-only hook the test needs.</param>
    /// <returns>The lab.</returns>
    public LabCluster LabOnly(string why)
    {
        if (External is not null)
        {
            Assert.Skip($"needs the lab cluster ({why}); {E2eVariable} names a real cluster");
        }

        Requires.Root();
        return Lab;
    }

    public async ValueTask InitializeAsync()
    {
        if (External is not null)
        {
            return;
        }

        if (!Requires.IsCi && (Requires.Which("dockerd") is null || Requires.Which("syncthing") is null))
        {
            // Tests call Requires themselves and skip with the reason; the fixture must not throw first.
            return;
        }

        _lab = await LabCluster.StartAsync(new LabOptions(), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }
}
