using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using Snapshooter.Xunit3;

namespace KSync.Plugin.Tests.Cluster;

public sealed class KsyncManifestsTests
{
    private static readonly ManifestSettings s_settings = new()
    {
        Namespace = "ksync",
        Image = "ghcr.io/ksync-dotnet/ksync:v0.1.0",
        ApiKey = "test-api-key-0123456789abcdef",
        Version = "0.1.0",
    };

    [Fact]
    public void Render_Yaml_MatchesSnapshot()
    {
        Snapshot.Match(KsyncManifests.Render(s_settings).Yaml);
    }

    [Fact]
    public void Render_TypedObjects_CarrySettings()
    {
        var installation = KsyncManifests.Render(s_settings with { Namespace = "tools", Image = "registry.local:5000/ksync:dev" });

        Assert.Equal("tools", installation.Namespace.Metadata.Name);
        Assert.Equal("privileged", installation.Namespace.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        Assert.All(installation.All.Skip(1), o => Assert.Equal("tools", o.Metadata.NamespaceProperty));
        Assert.Equal("test-api-key-0123456789abcdef", installation.Secret.StringData[NodeAgent.ApiKeySecretKey]);
        Assert.False(installation.ServiceAccount.AutomountServiceAccountToken);

        var pod = installation.DaemonSet.Spec.Template.Spec;
        Assert.True(pod.HostPID);
        Assert.Contains(pod.Tolerations, t => t.OperatorProperty == "Exists" && t.Key is null);
        Assert.All(pod.Containers, c => Assert.Equal("registry.local:5000/ksync:dev", c.Image));
        var radar = pod.Containers.Single(c => c.Name == NodeAgent.RadarContainer);
        Assert.Contains("--port=40321", radar.Args);
        Assert.Equal(40320, radar.ReadinessProbe.Grpc.Port);
        Assert.Equal("ksync", radar.Env.Single(e => e.Name == "KSYNC_SYNCTHING_API_KEY").ValueFrom.SecretKeyRef.Name);
        var syncthing = pod.Containers.Single(c => c.Name == NodeAgent.SyncthingContainer);
        Assert.All(
            syncthing.VolumeMounts.Where(m => m.Name != "syncthing-home"),
            m => Assert.Equal("HostToContainer", m.MountPropagation));
        Assert.Contains(syncthing.VolumeMounts, m => m.MountPath == "/var/lib/kubelet/pods");
        Assert.NotNull(syncthing.Resources.Limits["memory"]);

        // radar: not privileged; uid 0 with exactly the capabilities it uses; health on all interfaces, gRPC on loopback.
        Assert.NotEqual(true, radar.SecurityContext.Privileged);
        Assert.Equal(0, radar.SecurityContext.RunAsUser);
        Assert.Equal(["ALL"], radar.SecurityContext.Capabilities.Drop);
        Assert.Equal(["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "KILL", "SYS_PTRACE"], radar.SecurityContext.Capabilities.Add);
        Assert.True(radar.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Contains("--bind=127.0.0.1", radar.Args);
        Assert.Contains("--health-bind=0.0.0.0", radar.Args);
        Assert.Contains("--host-root=/host", radar.Args);
        // Writable storage for the synced folders radar creates and chowns; the node's /run stays read-only.
        Assert.All(radar.VolumeMounts, m => Assert.Equal(m.MountPath == "/host/run", m.ReadOnlyProperty == true));
        Assert.Contains(radar.VolumeMounts, m => m.MountPath == "/host/run");
        Assert.Equal("syncthing", syncthing.ReadinessProbe.Grpc.Service);
        Assert.Contains("SYS_PTRACE", syncthing.SecurityContext.Capabilities.Add);
        Assert.Equal("Unconfined", radar.SecurityContext.AppArmorProfile.Type);
        Assert.NotEqual(true, syncthing.SecurityContext.Privileged);
    }

    [Theory]
    [InlineData("Bad_Namespace", "ghcr.io/x/y:v1", "namespace")]
    [InlineData("ksync", "ghcr.io/x/y:v1\nkind: Pod", "image")]
    [InlineData("ksync", "UPPER/case", "image")]
    public void Render_MalformedSetting_ThrowsWithName(string ns, string image, string what)
    {
        var ex = Assert.Throws<KsyncException>(() => KsyncManifests.Render(s_settings with { Namespace = ns, Image = image }));
        Assert.Contains(what, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_ApiKeyWithQuote_IsRejectedBeforeYaml()
    {
        Assert.Throws<KsyncException>(() => KsyncManifests.Render(s_settings with { ApiKey = "abc\"def0123456789xyz" }));
    }
}
