using System.Text;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.Plugin.Errors;
using KSync.TestKit;
using k8s;

namespace KSync.Lab.Tests;

/// <summary>Every kubeconfig rule of kubectl, with real files; the ones that must reach a server use the lab.</summary>
[Collection(LabGroup.Name)]
public sealed class KubeconfigTests(LabFixture fixture) : IDisposable
{
    private readonly TempDirectory _dir = new("kubeconfig");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ExplicitKubeconfig_LoadsOnlyThatFile()
    {
        var a = WriteConfig("a/config", ("ctx-a", "cluster-a", "https://a.example:6443", "ns-a"));
        var b = WriteConfig("b/config", ("ctx-b", "cluster-b", "https://b.example:6443", "ns-b"));
        using var connection = Create(new GlobalSettings(a, null, null, null, null), ("KUBECONFIG", b));
        Assert.Equal("ctx-a", connection.ContextName);
        Assert.Equal([a], connection.KubeconfigFiles);
        Assert.Equal("ns-a", connection.Namespace);
    }

    [Fact]
    public void KubeconfigVariable_MergesFirstWins_AndSkipsEmptyAndMissingEntries()
    {
        // File 1 has no current-context; file 2 sets one, and redefines cluster "shared" (dropped whole).
        var first = _dir.WriteFile("first", Config(null, ("one", "shared", "https://first.example:6443", "ns-one")));
        var second = _dir.WriteFile("second", Config("two", ("two", "shared", "https://second.example:6443", null), ("one", "other", "https://ignored.example:6443", "ignored")));
        var variable = string.Join(Path.PathSeparator, string.Empty, _dir.Combine("missing"), first, string.Empty, second);
        using var connection = Create(new GlobalSettings(null, null, null, null, null), ("KUBECONFIG", variable));
        Assert.Equal([first, second], connection.KubeconfigFiles);
        Assert.Equal("two", connection.ContextName);
        Assert.Equal("https://first.example:6443", connection.Server.TrimEnd('/'));
        Assert.Equal("default", connection.Namespace);
    }

    [Fact]
    public void ContextFlag_PicksAContextAfterMerging()
    {
        var first = _dir.WriteFile("first", Config("one", ("one", "c1", "https://first.example:6443", "ns-one")));
        var second = _dir.WriteFile("second", Config(null, ("two", "c2", "https://second.example:6443", "ns-two")));
        using var connection = Create(new GlobalSettings(null, "two", null, null, null), ("KUBECONFIG", $"{first}{Path.PathSeparator}{second}"));
        Assert.Equal("two", connection.ContextName);
        Assert.Equal("https://second.example:6443", connection.Server.TrimEnd('/'));
        Assert.Equal("ns-two", connection.Namespace);
    }

    [Fact]
    public void Namespace_FlagThenContextThenDefault()
    {
        var path = _dir.WriteFile("config", Config("with", ("with", "c", "https://x.example:6443", "from-context"), ("without", "c", "https://x.example:6443", null)));
        using (var flag = Create(new GlobalSettings(path, null, "from-flag", null, null)))
        {
            Assert.Equal("from-flag", flag.Namespace);
        }

        using (var context = Create(new GlobalSettings(path, null, null, null, null)))
        {
            Assert.Equal("from-context", context.Namespace);
        }

        using var fallback = Create(new GlobalSettings(path, "without", null, null, null));
        Assert.Equal("default", fallback.Namespace);
    }

    [Fact]
    public void NoKubeconfigVariable_UsesHomeKubeConfig()
    {
        var home = _dir.Combine("home");
        var path = _dir.WriteFile("home/.kube/config", Config("home", ("home", "c", "https://home.example:6443", null)));
        using var connection = Create(new GlobalSettings(null, null, null, null, null), ("HOME", home));
        Assert.Equal("home", connection.ContextName);
        Assert.Equal([path], connection.KubeconfigFiles);
    }

    [Fact]
    public void BadInput_ClearErrors()
    {
        var path = _dir.WriteFile("config", Config("one", ("one", "c", "https://x.example:6443", null), ("two", "c", "https://x.example:6443", null)));
        var missing = Assert.Throws<KsyncException>(() => Create(new GlobalSettings(_dir.Combine("nope"), null, null, null, null)));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var context = Assert.Throws<KsyncException>(() => Create(new GlobalSettings(path, "three", null, null, null)));
        Assert.Contains("'three' does not exist", context.Message, StringComparison.Ordinal);
        Assert.Contains("one, two", context.Hint, StringComparison.Ordinal);
        var ns = Assert.Throws<KsyncException>(() => Create(new GlobalSettings(path, null, "Bad_NS", null, null)));
        Assert.Contains("not a valid namespace", ns.Message, StringComparison.Ordinal);
        var none = Assert.Throws<KsyncException>(() => Create(new GlobalSettings(null, null, null, null, null), ("KUBECONFIG", _dir.Combine("gone"))));
        Assert.Contains("No kubeconfig found", none.Message, StringComparison.Ordinal);
        var broken = _dir.WriteFile("broken", "clusters: [ this is : not yaml");
        var parse = Assert.Throws<KsyncException>(() => Create(new GlobalSettings(broken, null, null, null, null)));
        Assert.Contains("cannot be read", parse.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelativePaths_AreRelativeToTheFile_AndExecPluginsWork()
    {
        var lab = fixture.LabOnly("uses the lab's CA and token");

        // The CA as a file next to the kubeconfig, and an exec credential plugin in a sub-folder, both relative.
        _dir.WriteFile("cfg/certs/ca.pem", lab.CertificateAuthorityPem);
        var plugin = _dir.WriteFile(
            "cfg/bin/token.sh",
            "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"" + lab.Token + "\"}}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = _dir.WriteFile("cfg/config", $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: lab
                cluster:
                  server: {lab.ServerUrl}
                  certificate-authority: certs/ca.pem
            users:
              - name: lab
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1beta1
                    command: ./bin/token.sh
                    interactiveMode: Never
            contexts:
              - name: lab
                context:
                  cluster: lab
                  user: lab
            current-context: lab

            """);

        // Run from another folder: the relative paths must still resolve against the file.
        using var connection = KubeClientFactory.Create(new GlobalSettings(path, null, null, null, null), Environment(), "/");
        var namespaces = await connection.Client.CoreV1.ListNamespaceAsync(cancellationToken: Token);
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
    }

    private static Func<string, string?> Environment(params (string Name, string? Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value);
        map.TryAdd("HOME", "/nonexistent-home");
        map.TryAdd("KUBECONFIG", null);
        return name => map.GetValueOrDefault(name);
    }

    private ClusterConnection Create(GlobalSettings settings, params (string Name, string? Value)[] environment)
        => KubeClientFactory.Create(settings, Environment(environment), _dir.Path);

    private string WriteConfig(string relative, params (string Context, string Cluster, string Server, string? Namespace)[] contexts)
        => _dir.WriteFile(relative, Config(contexts[0].Context, contexts));

    private static string Config(string? current, params (string Context, string Cluster, string Server, string? Namespace)[] contexts)
    {
        var text = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var c in contexts)
        {
            text.Append($"  - name: {c.Cluster}\n    cluster:\n      server: {c.Server}\n      insecure-skip-tls-verify: true\n");
        }

        text.Append("users:\n");
        foreach (var c in contexts)
        {
            text.Append($"  - name: user-{c.Context}\n    user:\n      token: t-{c.Context}\n");
        }

        text.Append("contexts:\n");
        foreach (var c in contexts)
        {
            text.Append($"  - name: {c.Context}\n    context:\n      cluster: {c.Cluster}\n      user: user-{c.Context}\n");
            if (c.Namespace is not null)
            {
                text.Append($"      namespace: {c.Namespace}\n");
            }
        }

        if (current is not null)
        {
            text.Append($"current-context: {current}\n");
        }

        return text.ToString();
    }
}
