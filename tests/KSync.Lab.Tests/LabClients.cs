using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>Clients made the way the plugin makes them: through <see cref="KubeClientFactory"/> and the cluster's kubeconfig.</summary>
internal static class LabClients
{
    public static ClusterConnection Connect(LabFixture fixture, string? ns = null)
    {
        if (LabFixture.External is null)
        {
            Requires.Root();
        }

        return KubeClientFactory.Create(new GlobalSettings(fixture.KubeconfigPath, null, ns, null, null), _ => null);
    }

    public static ClusterConnection Connect(LabCluster lab, string? ns = null)
    {
        Requires.Root();
        return KubeClientFactory.Create(new GlobalSettings(lab.KubeconfigPath, null, ns, null, null), _ => null);
    }
}
