using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Completion;

/// <summary>
/// The linux release archive unpacked into a bin folder (kubectl-ksync and kubectl_complete-ksync side by side, as the
/// feature installs them), a private HOME and KSYNC_HOME, and a fake Kubernetes API server on 127.0.0.1 that answers
/// the two lists completion asks for (namespaces; pods in team-a and default).
/// </summary>
public sealed class CompletionFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new("ksync-completion");
    private LocalHttpServer? _api;

    public string Bin => _root.Combine("bin");

    public string Home => _root.Combine("home");

    public string KsyncHome => _root.Combine("ksync-home");

    public string Work => _root.Combine("work");

    public LocalHttpServer Api => _api!;

    public async ValueTask InitializeAsync()
    {
        foreach (var dir in new[] { Bin, Home, KsyncHome, Work })
        {
            Directory.CreateDirectory(dir);
        }

        (await Shell.RunAsync("tar", ["-xzf", await PluginArchives.LinuxArchiveAsync(), "-C", Bin])).EnsureSuccess();
        _api = new LocalHttpServer();
        _api.Text("/api/v1/namespaces", NamespaceList("default", "kube-system", "team-a", "team-b"), "application/json");
        _api.Text("/api/v1/namespaces/team-a/pods", PodList("api-7d9f", "web-5c2a"), "application/json");
        _api.Text("/api/v1/namespaces/default/pods", PodList("db-0"), "application/json");

        // Two specs for spec-name completion, made with the real binary.
        Directory.CreateDirectory(Path.Combine(Work, "src"));
        foreach (var name in new[] { "api-sync", "web-sync" })
        {
            (await Shell.RunAsync(Path.Combine(Bin, "kubectl-ksync"), ["create", Path.Combine(Work, "src"), "/app", "-l", "app=x", "--name", name, "--force"], Environment())).EnsureSuccess();
        }
    }

    /// <summary>A kubeconfig with contexts lab (current, namespace team-a) and other, both pointing at <paramref name="server"/>.</summary>
    public string WriteKubeconfig(string server)
    {
        var path = _root.Combine($"kubeconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: lab
            clusters:
            - name: lab
              cluster:
                server: {server}
            users:
            - name: lab
              user:
                token: lab-token
            contexts:
            - name: lab
              context:
                cluster: lab
                user: lab
                namespace: team-a
            - name: other
              context:
                cluster: lab
                user: lab
            """);
        return path;
    }

    /// <summary>The environment kubectl and the plugin run with: PATH = bin + system, private homes, no KUBECONFIG.</summary>
    public Dictionary<string, string?> Environment(string? kubeconfig = null) => new()
    {
        ["PATH"] = $"{Bin}:/usr/local/bin:/usr/bin:/bin",
        ["HOME"] = Home,
        ["KSYNC_HOME"] = KsyncHome,
        ["KUBECONFIG"] = kubeconfig,
        ["KSYNC_KUBECONFIG"] = null,
        ["KSYNC_CONTEXT"] = null,
        ["KSYNC_NAMESPACE"] = null,
    };

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        _root.Dispose();
    }

    private static string NamespaceList(params string[] names)
        => "{\"kind\":\"NamespaceList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":["
            + string.Join(',', names.Select(n => $"{{\"metadata\":{{\"name\":\"{n}\"}},\"status\":{{\"phase\":\"Active\"}}}}")) + "]}";

    private static string PodList(params string[] names)
        => "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":["
            + string.Join(',', names.Select(n => $"{{\"metadata\":{{\"name\":\"{n}\"}}}}")) + "]}";
}
