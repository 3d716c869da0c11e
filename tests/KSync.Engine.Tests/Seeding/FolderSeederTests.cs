using KSync.Engine.Nodes;
using KSync.Engine.Seeding;
using KSync.Syncthing.Verify;

namespace KSync.Engine.Tests.Seeding;

/// <summary>The seed's orchestration against a recording agent: manifest in batches, then only the needed entries.</summary>
public sealed class FolderSeederTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ksync-seeder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Seed_PlansInBatches_SendsOnlyWhatTheAgentNeeds()
    {
        for (var i = 0; i < FolderSeeder.PlanBatch + 10; i++)
        {
            File.WriteAllText(Path.Combine(_root, $"f{i:D5}"), "x");
        }

        var agent = new RecordingAgent(needed: ["f00003", "f05004"]);

        var outcome = await FolderSeeder.SeedAsync(agent, "docker://c", "/app", _root, [], null, TestContext.Current.CancellationToken);

        Assert.Equal([FolderSeeder.PlanBatch, 10], agent.PlanSizes);
        Assert.Equal(["f00003", "f05004"], agent.Sent);
        Assert.Equal((FolderSeeder.PlanBatch + 10, 2), (outcome.Entries, outcome.Sent));
    }

    [Fact]
    public async Task Seed_NothingNeeded_NoStream()
    {
        File.WriteAllText(Path.Combine(_root, "a"), "x");
        var agent = new RecordingAgent(needed: []);

        var outcome = await FolderSeeder.SeedAsync(agent, "docker://c", "/app", _root, [], null, TestContext.Current.CancellationToken);

        Assert.Null(agent.Sent);
        Assert.Equal((1, 0), (outcome.Entries, outcome.Sent));
    }

    [Fact]
    public async Task Seed_Progress_HeldEntriesDoneFromTheStart_ThenEachSentEntry_ThenAll()
    {
        File.WriteAllText(Path.Combine(_root, "a"), "12345678");
        File.WriteAllText(Path.Combine(_root, "b"), "12");
        File.WriteAllText(Path.Combine(_root, "c"), "1234567890");
        Directory.CreateDirectory(Path.Combine(_root, "d"));
        var agent = new RecordingAgent(needed: ["b", "c", "d"]);
        var seen = new List<SeedProgress>();

        await FolderSeeder.SeedAsync(agent, "docker://c", "/app", _root, [], seen.Add, TestContext.Current.CancellationToken);

        // Entries count the directory; files (what get shows) do not.
        Assert.Equal(
            [
                new SeedProgress(1, 4, 8, 20) { FilesDone = 1, FilesTotal = 3 },
                new SeedProgress(2, 4, 10, 20) { FilesDone = 2, FilesTotal = 3 },
                new SeedProgress(3, 4, 20, 20) { FilesDone = 3, FilesTotal = 3 },
                new SeedProgress(4, 4, 20, 20) { FilesDone = 3, FilesTotal = 3 },
                new SeedProgress(4, 4, 20, 20) { FilesDone = 3, FilesTotal = 3 },
            ],
            seen);
    }

    [Fact]
    public async Task Seed_NothingNeeded_ProgressIsCompleteAtOnce()
    {
        File.WriteAllText(Path.Combine(_root, "a"), "x");
        var seen = new List<SeedProgress>();

        await FolderSeeder.SeedAsync(new RecordingAgent(needed: []), "docker://c", "/app", _root, [], seen.Add, TestContext.Current.CancellationToken);

        Assert.All(seen, p => Assert.Equal(100, p.Percent));
    }

    [Theory]
    [InlineData(0, 4, 0, 100, 0)]
    [InlineData(2, 4, 0, 100, 25)]
    [InlineData(2, 4, 100, 100, 75)]
    [InlineData(4, 4, 100, 100, 100)]
    [InlineData(1, 2, 0, 0, 50)]
    [InlineData(0, 0, 0, 0, 100)]
    public void Percent_MeanOfEntriesAndBytes(int entriesDone, int entriesTotal, long bytesDone, long bytesTotal, double percent)
    {
        Assert.Equal(percent, new SeedProgress(entriesDone, entriesTotal, bytesDone, bytesTotal).Percent, precision: 6);
    }

    private sealed class RecordingAgent(HashSet<string> needed) : INodeAgent
    {
        public List<int> PlanSizes { get; } = [];

        public List<string>? Sent { get; private set; }

        public Task<IReadOnlyList<string>> PlanSeedAsync(string containerId, string remotePath, IReadOnlyList<SeedItem> entries, CancellationToken cancellationToken)
        {
            PlanSizes.Add(entries.Count);
            return Task.FromResult<IReadOnlyList<string>>([.. entries.Select(e => e.Path).Where(needed.Contains)]);
        }

        public Task<SeedResult> SeedAsync(string containerId, string remotePath, string localPath, IEnumerable<SeedItem> entries, CancellationToken cancellationToken)
        {
            Sent = [.. entries.Select(e => e.Path)];
            return Task.FromResult(new SeedResult(Sent.Count, 0, 0, Sent.Count, []));
        }

        public Task<ResolvedPath> ResolvePathAsync(string containerId, string remotePath, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FolderOwnership> PrepareFolderAsync(string containerId, string remotePath, (uint Uid, uint? Gid)? requested, UnixFileMode mode, bool dryRun, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RestartResult> RestartAsync(string containerId, string remotePath, TimeSpan grace, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SignalResult> SignalAsync(string containerId, string signal, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<FolderEntry> HashFolderAsync(string containerId, string remotePath, IReadOnlyList<string> ignoreLines, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
