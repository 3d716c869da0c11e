using KSync.Config.Model;
using KSync.Config.Store;
using KSync.TestKit;

namespace KSync.Plugin.Tests.Config;

public sealed class ConfigStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("ksync-config");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private ConfigStore StoreWith(string text)
    {
        var path = _dir.WriteFile("ksync.yaml", text);
        return new ConfigStore(path);
    }

    private static string Original => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "original-ksync.yaml"));

    [Fact]
    public async Task LoadAsync_OriginalFile_ReadsEveryField()
    {
        var config = await StoreWith(Original).LoadAsync(Ct);

        Assert.Equal("ksync", config.ApiKey);
        Assert.Equal(40322, config.Port);
        Assert.Equal("info", config.LogLevel);
        Assert.Equal(2, config.Spec.Count);
        var first = config.Spec[0];
        Assert.Equal(("noble-rattler", "app=app", "/home/u/ksync", "/code", true), (first.Name, first.Selector.Single(), first.LocalPath, first.RemotePath, first.Reload));
        var second = config.Spec[1];
        Assert.Equal(["app=api"], second.Selector);
        Assert.Equal(("web", "api-0", "dev", false, true), (second.ContainerName, second.Pod, second.Namespace, second.Reload, second.RemoteReadOnly));
    }

    [Fact]
    public async Task UpdateAsync_OriginalFile_KeepsUnknownKeysAndOrder()
    {
        var store = StoreWith(Original);

        await store.UpdateAsync(c => c.Spec.Add(new SpecDetails { Name = "new-one", Selector = ["x=y"], LocalPath = "/a", RemotePath = "/b" }), Ct);
        var text = await File.ReadAllTextAsync(store.Path, Ct);

        foreach (var key in new[] { "daemonset-namespace: kube-system", "docker-root: /var/lib/docker", "docker-socket: /var/run/docker.sock", "output: pretty", "syncthing-port: 8384", "futurekey: kept" })
        {
            Assert.Contains(key, text, StringComparison.Ordinal);
        }

        Assert.True(text.IndexOf("daemonset-namespace", StringComparison.Ordinal) < text.IndexOf("log-level", StringComparison.Ordinal), "original key order is kept");
        var reloaded = await store.LoadAsync(Ct);
        Assert.Equal(["noble-rattler", "sunny-husky", "new-one"], reloaded.Spec.Select(s => s.Name));
        Assert.Equal(["app=api"], reloaded.Spec[1].Selector);
    }

    [Fact]
    public async Task UpdateAsync_NoChange_RoundTripsToSameModel()
    {
        var store = StoreWith(Original);
        var before = await store.LoadAsync(Ct);

        await store.UpdateAsync(_ => 0, Ct);
        var after = await store.LoadAsync(Ct);

        Assert.Equal(before.Spec.Count, after.Spec.Count);
        Assert.All(before.Spec.Zip(after.Spec), p => Assert.True(p.First.HasSameDetails(p.Second) && p.First.Name == p.Second.Name));
    }

    [Fact]
    public async Task UpdateAsync_DeletedSpec_DropsItsUnknownKeysToo()
    {
        var store = StoreWith(Original);

        await store.UpdateAsync(c => { c.Spec.RemoveAll(s => s.Name == "sunny-husky"); }, Ct);

        var text = await File.ReadAllTextAsync(store.Path, Ct);
        Assert.DoesNotContain("futurekey", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sunny-husky", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_MissingFile_IsEmpty()
    {
        var config = await new ConfigStore(_dir.Combine("none", "ksync.yaml")).LoadAsync(Ct);

        Assert.Empty(config.Spec);
    }

    [Theory]
    [InlineData("spec:\n- name: a\n  reload: [1\n", 4)]
    [InlineData("port: 1\nspec:\n  - name: a\n   bad: indent\n", 4)]
    [InlineData("spec:\n- name: ok\n- name: x\n  reload: maybe\n", 4)]
    [InlineData("port: eighty\n", 1)]
    [InlineData("- just\n- a list\n", 1)]
    public async Task UpdateAsync_MalformedFile_ReportsLineAndLeavesBytes(string text, int line)
    {
        var store = StoreWith(text);
        var before = await File.ReadAllBytesAsync(store.Path, Ct);

        var ex = await Assert.ThrowsAsync<ConfigFileException>(() => store.UpdateAsync(c => { c.Spec.Clear(); }, Ct));

        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"{store.Path}:{line}:", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(store.Path, Ct));
        Assert.Single(Directory.GetFiles(_dir.Path, "ksync.yaml*"), f => !f.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateAsync_ChangeThrows_WritesNothing()
    {
        var store = StoreWith(Original);
        var before = await File.ReadAllBytesAsync(store.Path, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateAsync<int>(c => { c.Spec.Clear(); throw new InvalidOperationException("no"); }, Ct));

        Assert.Equal(before, await File.ReadAllBytesAsync(store.Path, Ct));
    }

    [Fact]
    public async Task UpdateAsync_ConcurrentWriters_NoneLost()
    {
        var store = new ConfigStore(_dir.Combine("ksync.yaml"));

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => new ConfigStore(store.Path).UpdateAsync(c => { c.Spec.Add(new SpecDetails { Name = $"s{i}", Pod = "p" }); return 0; }, Ct), Ct)));

        var names = (await store.LoadAsync(Ct)).Spec.Select(s => s.Name).Order();
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"s{i}").Order(), names);
    }

    [Fact]
    public async Task UpdateAsync_NewFile_IsPrivateAndHasNoConstantApiKey()
    {
        var store = new ConfigStore(_dir.Combine("home", "ksync.yaml"));

        await store.UpdateAsync(c => { c.Spec.Add(new SpecDetails { Name = "a", Pod = "p", LocalPath = "/x", RemotePath = "/y" }); return 0; }, Ct);

        var text = await File.ReadAllTextAsync(store.Path, Ct);
        Assert.DoesNotContain("apikey", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Path));
    }
}
