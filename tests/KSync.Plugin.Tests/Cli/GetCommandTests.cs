using Google.Protobuf.WellKnownTypes;
using KSync.Proto.Ksync.V1;
using Snapshooter.Xunit3;

namespace KSync.Plugin.Tests.Cli;

public sealed class GetCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public GetCommandTests()
    {
        // An unused port, so no stray watch on 40322 answers.
        _cli.Runner.With("KSYNC_PORT", KSync.TestKit.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _cli.Dispose();

    private async Task SeedAsync()
    {
        _cli.MakeFolder("src");
        _cli.MakeFolder("web");
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "src", "/app", "-l", "app=api", "--name", "api-src", "-n", "dev")).ExitCode);
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "web", "/srv", "--pod", "web-0", "--name", "web", "--remote-read-only", "--reload-mode", "signal:HUP")).ExitCode);
    }

    private string Normalize(string text) => text.Replace(_cli.Work, "<work>", StringComparison.Ordinal).Replace(_cli.Runner.Home, "<home>", StringComparison.Ordinal);

    [Fact]
    public async Task Get_WithoutWatch_ListsSpecsAsNotWatching()
    {
        await SeedAsync();

        var result = await _cli.Runner.RunAsync("get");

        Assert.Equal(0, result.ExitCode);
        var rows = Normalize(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => string.Join('|', System.Text.RegularExpressions.Regex.Split(r, " {3,}")));
        Assert.Equal(
            ["NAME|LOCAL|REMOTE|STATUS|POD|CONTAINER", "api-src|<work>/src|/app|not watching", "web|<work>/web|/srv:ro|not watching|web-0"],
            rows);
        Assert.Contains("kubectl ksync watch", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WithoutWatch_ShowsProjectSpecsAndWhereEachComesFrom()
    {
        await SeedAsync();
        _cli.MakeFolder("repo/src");
        _cli.MakeFolder("repo/.devcontainer");
        File.WriteAllText(Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml"), "spec:\n- name: team\n  selector: [app=team]\n  localpath: ../src\n  remotepath: /app\n- name: web\n  pod: other\n  localpath: ../src\n  remotepath: /srv\n");
        File.CreateSymbolicLink(Path.Combine(_cli.Runner.Home, "project.yaml"), Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml"));

        var wide = await _cli.Runner.RunAsync("get", "-o", "wide");
        var json = await _cli.Runner.RunAsync("get", "team", "-o", "json");

        Assert.True(wide.ExitCode == 0, wide.Output);
        var rows = Normalize(wide.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => System.Text.RegularExpressions.Regex.Split(r.Trim(), " {3,}")).ToList();
        Assert.Equal(["NAME", "LOCAL", "REMOTE", "STATUS", "POD", "CONTAINER", "NAMESPACE", "SELECTOR", "NODE", "RELOAD", "PROGRESS", "REMOVED", "LAST SYNC", "LATENCY", "SOURCE", "ERROR"], rows[0]);
        Assert.Equal(["api-src|user", "web|user", "team|project"], rows.Skip(1).Select(r => $"{r[0]}|{r[^1]}"));
        Assert.Contains("<work>/repo/src", rows[3]);
        Assert.Contains($"Warning: Spec 'web' of {Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml")} is left out: your own spec of that name", wide.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"source\": \"project\"", json.Stdout, StringComparison.Ordinal);
        Assert.Contains($"\"sourcePath\": \"{Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml")}\"", json.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Json_MatchesSnapshot()
    {
        await SeedAsync();

        var result = await _cli.Runner.RunAsync("get", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Snapshot.Match(Normalize(result.Stdout));
    }

    [Fact]
    public async Task Get_Yaml_MatchesSnapshot()
    {
        await SeedAsync();

        var result = await _cli.Runner.RunAsync("get", "-o", "yaml");

        Assert.Equal(0, result.ExitCode);
        Snapshot.Match(Normalize(result.Stdout));
    }

    [Fact]
    public async Task Get_QuietAndFilter_PrintsMatchingNames()
    {
        await SeedAsync();

        Assert.Equal("api-src\nweb\n", (await _cli.Runner.RunAsync("get", "-q")).Stdout);
        Assert.Equal("web\n", (await _cli.Runner.RunAsync("get", "-q", "we")).Stdout);
        Assert.Equal(0, (await _cli.Runner.RunAsync("get", "-q")).ExitCode);
    }

    [Fact]
    public async Task Get_NamedSpecMissing_ExitsOneNamingIt()
    {
        await SeedAsync();

        var table = await _cli.Runner.RunAsync("get", "nosuch");
        var json = await _cli.Runner.RunAsync("get", "nosuch", "-o", "json");

        Assert.Equal(1, table.ExitCode);
        Assert.Equal(string.Empty, table.Stdout);
        Assert.Equal("Error: no spec named 'nosuch' (names match by substring; 'kubectl ksync get' lists every spec).\n", table.Stderr);
        Assert.Equal(1, json.ExitCode);
        Assert.Equal(string.Empty, json.Stdout);
        Assert.Contains("no spec named 'nosuch'", json.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SomeNamesMissing_PrintsFoundOnesAndAnErrorForEachMissingOne()
    {
        await SeedAsync();

        var result = await _cli.Runner.RunAsync("get", "-q", "nosuch", "web", "other", "nosuch");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("web\n", result.Stdout);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.StartsWith("Error: no spec named 'nosuch'", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("Error: no spec named 'other'", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WatchRunning_NamedSpecMissing_PrintsFoundOnesAndExitsOne()
    {
        var list = new SpecList();
        list.Items.Add(new Spec { Details = new SpecDetails { Name = "api-src", LocalPath = "/src", RemotePath = "/app" }, Status = SpecStatus.Waiting, Services = new ServiceList() });
        await using var server = await FakeStatusServer.StartAsync(list);
        _cli.Runner.With("KSYNC_PORT", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var some = await _cli.Runner.RunAsync("get", "api", "nosuch");
        var none = await _cli.Runner.RunAsync("get", "nosuch", "-w");
        var all = await _cli.Runner.RunAsync("get", "api");

        Assert.Equal(1, some.ExitCode);
        Assert.Contains("api-src", some.Stdout, StringComparison.Ordinal);
        Assert.Equal("Error: no spec named 'nosuch' (names match by substring; 'kubectl ksync get' lists every spec).\n", some.Stderr);
        Assert.Equal(1, none.ExitCode);
        Assert.Equal(string.Empty, none.Stdout);
        Assert.Contains("no spec named 'nosuch'", none.Stderr, StringComparison.Ordinal);
        Assert.True(all.ExitCode == 0, all.Output);
    }

    [Fact]
    public async Task Get_NoSpecs_SaysHowToAddOne()
    {
        var result = await _cli.Runner.RunAsync("get");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("kubectl ksync create", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WatchRunningWithoutSpecs_SaysNoSpecs()
    {
        await using var server = await FakeStatusServer.StartAsync(new SpecList());
        _cli.Runner.With("KSYNC_PORT", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var table = await _cli.Runner.RunAsync("get");
        var json = await _cli.Runner.RunAsync("get", "-o", "json");

        Assert.True(table.ExitCode == 0, table.Output);
        Assert.Equal(string.Empty, table.Stdout);
        Assert.Equal("No specs. Add one with 'kubectl ksync create LOCAL REMOTE -l app=NAME'.\n", table.Stderr);
        Assert.Contains("\"watching\": true", json.Stdout, StringComparison.Ordinal);
        Assert.Empty(json.Stderr);
    }

    [Fact]
    public async Task Get_WatchRunning_ShowsServices()
    {
        await using var server = await ServeAsync(
            new Service
            {
                RemoteContainer = new RemoteContainer { PodName = "api-1", ContainerName = "main", NodeName = "node-a", ContainerId = "containerd://abc" },
                Status = ServiceStatus.Syncing,
                InitialSyncPercent = 42,
                LastSync = Timestamp.FromDateTime(new DateTime(2026, 11, 30, 8, 0, 0, DateTimeKind.Utc)),
            });

        var table = await _cli.Runner.RunAsync("get");
        var wide = await _cli.Runner.RunAsync("get", "-o", "wide");

        Assert.True(table.ExitCode == 0 && table.Stdout.Length > 0, table.Output);
        Assert.Equal("NAME      LOCAL   REMOTE   STATUS    POD     CONTAINER\napi-src   /src    /app     syncing   api-1   main\n", table.Stdout);
        Assert.Empty(table.Stderr);
        Assert.Contains("node-a", wide.Stdout, StringComparison.Ordinal);
        Assert.Contains("42%", wide.Stdout, StringComparison.Ordinal);
        Assert.Contains("2026-11-30T08:00:00Z", wide.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_WhileSeeding_ShowsFilesAndBytes_AndTheFirstSyncsRemovals()
    {
        await using var server = await ServeAsync(
            new Service
            {
                RemoteContainer = new RemoteContainer { PodName = "api-1", ContainerName = "main", NodeName = "node-a", ContainerId = "containerd://abc" },
                Status = ServiceStatus.Syncing,
                InitialSyncPercent = 36,
                Seed = new SeedProgress { FilesDone = 4210, FilesTotal = 10000, BytesDone = 12_400_000, BytesTotal = 40_960_000 },
            },
            new Service
            {
                RemoteContainer = new RemoteContainer { PodName = "api-2", ContainerName = "main", NodeName = "node-a", ContainerId = "containerd://def" },
                Status = ServiceStatus.Watching,
                InitialSyncPercent = 100,
                FirstSyncRemoved = 3,
            });

        var table = await _cli.Runner.RunAsync("get");
        var wide = await _cli.Runner.RunAsync("get", "-o", "wide");
        var json = await _cli.Runner.RunAsync("get", "-o", "json");

        Assert.True(table.ExitCode == 0, table.Output);
        var rows = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => System.Text.RegularExpressions.Regex.Split(r.Trim(), " {3,}")).ToList();
        Assert.Equal(["api-src", "/src", "/app", "seeding 4,210/10,000 files, 12/40 MB", "api-1", "main"], rows[1]);
        Assert.Equal(["api-src", "/src", "/app", "watching", "api-2", "main"], rows[2]);
        var wideRows = wide.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => System.Text.RegularExpressions.Regex.Split(r.Trim(), " {3,}")).ToList();
        var removed = Array.IndexOf(wideRows[0], "REMOVED");
        Assert.Equal(("0", "3"), (wideRows[1][removed], wideRows[2][removed]));
        Assert.Equal("36%", wideRows[1][removed - 1]);
        using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var services = document.RootElement.GetProperty("items")[0].GetProperty("services");
        var seed = services[0].GetProperty("seed");
        Assert.Equal((4210, 10000, 12_400_000L, 40_960_000L), (seed.GetProperty("filesDone").GetInt32(), seed.GetProperty("filesTotal").GetInt32(), seed.GetProperty("bytesDone").GetInt64(), seed.GetProperty("bytesTotal").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, services[1].GetProperty("seed").ValueKind);
        Assert.Equal(3, services[1].GetProperty("firstSyncRemoved").GetInt32());
    }

    [Fact]
    public async Task Get_SaveToVisibleLatency_InWideAndJson_EmptyBeforeTheFirstChange()
    {
        await using var server = await ServeAsync(
            new Service
            {
                RemoteContainer = new RemoteContainer { PodName = "api-1", ContainerName = "main", NodeName = "node-a" },
                Status = ServiceStatus.Watching,
                SaveToVisible = new SaveToVisible { Samples = 100, Landed = 250, P50Ms = 31.24, P95Ms = 58.66 },
            },
            new Service
            {
                RemoteContainer = new RemoteContainer { PodName = "api-2", ContainerName = "main", NodeName = "node-a" },
                Status = ServiceStatus.Watching,
            });

        var wide = await _cli.Runner.RunAsync("get", "-o", "wide");
        var json = await _cli.Runner.RunAsync("get", "-o", "json");

        Assert.True(wide.ExitCode == 0 && json.ExitCode == 0, wide.Output + json.Output);
        var rows = wide.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var latency = rows[0].IndexOf("LATENCY", StringComparison.Ordinal);
        Assert.StartsWith("31/59ms", rows[1][latency..], StringComparison.Ordinal);
        Assert.DoesNotContain("ms", rows[2], StringComparison.Ordinal);
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Stdout);
        var services = parsed.RootElement.GetProperty("items")[0].GetProperty("services");
        Assert.Equal(100, services[0].GetProperty("saveToVisibleSamples").GetInt32());
        Assert.Equal(31.2, services[0].GetProperty("saveToVisibleP50Ms").GetDouble());
        Assert.Equal(58.7, services[0].GetProperty("saveToVisibleP95Ms").GetDouble());
        Assert.Equal(0, services[1].GetProperty("saveToVisibleSamples").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, services[1].GetProperty("saveToVisibleP50Ms").ValueKind);
    }

    // A running watch (a fake status server on KSYNC_PORT) with spec api-src and these services.
    private async Task<FakeStatusServer> ServeAsync(params Service[] services)
    {
        var spec = new Spec
        {
            Details = new SpecDetails { Name = "api-src", Namespace = "dev", LocalPath = "/src", RemotePath = "/app", Reload = "restart", Selector = { "app=api" } },
            Status = SpecStatus.Active,
            Services = new ServiceList(),
        };
        spec.Services.Items.AddRange(services);
        var list = new SpecList();
        list.Items.Add(spec);
        var server = await FakeStatusServer.StartAsync(list);
        _cli.Runner.With("KSYNC_PORT", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return server;
    }

    [Theory]
    [InlineData(new string[] { "get", "-o", "xml" }, "Argument 'xml' not recognized")]
    [InlineData(new string[] { "get", "-w" }, "get -w follows a running watch")]
    [InlineData(new string[] { "get", "--port", "70000" }, "--port must be between 1 and 65535")]
    public async Task Get_BadInput_Fails(string[] args, string message)
    {
        var result = await _cli.Runner.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CorruptConfig_ReportsPosition()
    {
        File.WriteAllText(_cli.Runner.ConfigFile, "spec: [\n");

        var result = await _cli.Runner.RunAsync("get");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{_cli.Runner.ConfigFile}:2:", result.Stderr, StringComparison.Ordinal);
    }
}
