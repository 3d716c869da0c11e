using System.Text;
using Google.Protobuf;
using Grpc.Core;
using KSync.Proto.Radar.V1;
using KSync.Radar.Seeding;

namespace KSync.Radar.Tests.Seeding;

/// <summary>The writer on a real directory standing for a container's folder, with a sibling standing for the rest of the node.</summary>
public sealed class SeedWriterTests : IDisposable
{
    private readonly string _node = Directory.CreateTempSubdirectory("ksync-seed-").FullName;

    public SeedWriterTests()
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(Outside);
    }

    private string Folder => Path.Combine(_node, "folder");

    private string Outside => Path.Combine(_node, "outside");

    public void Dispose() => Directory.Delete(_node, recursive: true);

    [Fact]
    public void Seed_Tree_WritesFilesDirectoriesLinksWithModesAndNanosecondMtimes()
    {
        var big = new byte[150_000];
        Random.Shared.NextBytes(big);
        using (var writer = SeedWriter.Open(Folder))
        {
            writer.Accept(Entry(new SeedEntry { Path = "bin", Kind = SeedEntryKind.Directory, Mode = 0x1C0 }));
            foreach (var message in FileMessages("bin/run.sh", Encoding.UTF8.GetBytes("#!/bin/sh\n"), 0x1ED, 1_700_000_000, 987_654_321))
            {
                writer.Accept(message);
            }

            foreach (var message in FileMessages("big.bin", big, 0x1A4, 1_600_000_000, 1))
            {
                writer.Accept(message);
            }

            foreach (var message in FileMessages("empty", [], 0x180, 1_500_000_000, 0))
            {
                writer.Accept(message);
            }

            writer.Accept(Entry(new SeedEntry { Path = "bin/link", Kind = SeedEntryKind.Symlink, LinkTarget = "../big.bin" }));
            var reply = writer.Complete();

            Assert.Equal((3U, 1U, 1U, (ulong)(big.Length + 10)), (reply.Files, reply.Directories, reply.Symlinks, reply.Bytes));
            Assert.Empty(reply.Skipped);
        }

        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Path.Combine(Folder, "bin/run.sh")));
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(Folder, "big.bin")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Folder, "bin/run.sh")));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Combine(Folder, "bin")));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Combine(Folder, "empty")));
        var stat = NodeFiles.Lstat(Path.Combine(Folder, "bin/run.sh"))!.Value;
        Assert.Equal((1_700_000_000L, 987_654_321U), (stat.MtimeSeconds, stat.MtimeNanos));
        Assert.Equal("../big.bin", new FileInfo(Path.Combine(Folder, "bin/link")).LinkTarget);
        Assert.Equal(["big.bin", "bin", "empty"], Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_AfterASeed_NeedsOnlyWhatDiffers()
    {
        using (var writer = SeedWriter.Open(Folder))
        {
            writer.Accept(Entry(new SeedEntry { Path = "d", Kind = SeedEntryKind.Directory, Mode = 0x1ED }));
            foreach (var message in FileMessages("d/a", [1, 2, 3], 0x1A4, 1_700_000_000, 5))
            {
                writer.Accept(message);
            }

            writer.Complete();
        }

        using var planner = SeedWriter.Open(Folder);
        var needed = planner.Plan(
        [
            new SeedEntry { Path = "d", Kind = SeedEntryKind.Directory, Mode = 0x1ED },
            new SeedEntry { Path = "d/a", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 3, MtimeSeconds = 1_700_000_000, MtimeNanos = 5 },
            new SeedEntry { Path = "d/b", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 3, MtimeSeconds = 1_700_000_000, MtimeNanos = 5 },
            new SeedEntry { Path = "d/a2", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 3, MtimeSeconds = 1_700_000_000, MtimeNanos = 6 },
        ]);

        Assert.Equal(["d/b", "d/a2"], needed);
    }

    [Fact]
    public void Seed_ReplacesALinkInTheFolder_WithoutWritingThroughIt()
    {
        var target = Path.Combine(Outside, "victim");
        File.WriteAllText(target, "node file");
        File.CreateSymbolicLink(Path.Combine(Folder, "a"), target);
        using (var writer = SeedWriter.Open(Folder))
        {
            foreach (var message in FileMessages("a", [9], 0x1A4, 1_700_000_000, 0))
            {
                writer.Accept(message);
            }

            writer.Complete();
        }

        Assert.Equal("node file", File.ReadAllText(target));
        Assert.Null(new FileInfo(Path.Combine(Folder, "a")).LinkTarget);
        Assert.Equal([9], File.ReadAllBytes(Path.Combine(Folder, "a")));
    }

    [Fact]
    public void Seed_UnderALinkedDirectory_RefusedAndNothingWrittenOutside()
    {
        Directory.CreateSymbolicLink(Path.Combine(Folder, "d"), Outside);
        using var writer = SeedWriter.Open(Folder);

        var error = Assert.Throws<RpcException>(() => writer.Accept(Entry(new SeedEntry { Path = "d/x", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 1 })));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("d/x", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Outside));
    }

    [Theory]
    [InlineData("../x", SeedEntryKind.File, "")]
    [InlineData("/x", SeedEntryKind.File, "")]
    [InlineData("link", SeedEntryKind.Symlink, "/etc/passwd")]
    [InlineData("link", SeedEntryKind.Symlink, "../outside")]
    [InlineData("dev", SeedEntryKind.Unspecified, "")]
    [InlineData("dev", (SeedEntryKind)7, "")]
    public void Seed_MaliciousEntry_RefusedAndNothingWritten(string path, SeedEntryKind kind, string target)
    {
        using var writer = SeedWriter.Open(Folder);

        var error = Assert.Throws<RpcException>(() => writer.Accept(Entry(new SeedEntry { Path = path, Kind = kind, LinkTarget = target, Mode = 0x1A4 })));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(path, error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Folder));
        Assert.Empty(Directory.GetFileSystemEntries(Outside));
        Assert.Equal(["folder", "outside"], Directory.GetFileSystemEntries(_node).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Seed_BrokenMidFile_LeavesTheOldFileAndNoTemporary()
    {
        File.WriteAllText(Path.Combine(Folder, "a"), "old");
        using (var writer = SeedWriter.Open(Folder))
        {
            writer.Accept(Entry(new SeedEntry { Path = "a", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 6 }));
            writer.Accept(new SeedRequest { Data = ByteString.CopyFromUtf8("new") });
        }

        Assert.Equal(["a"], Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(Path.Combine(Folder, "a")));
    }

    [Fact]
    public void Seed_ContentShorterThanItsSize_SkippedAndOldFileKept()
    {
        File.WriteAllText(Path.Combine(Folder, "a"), "old");
        using var writer = SeedWriter.Open(Folder);
        writer.Accept(Entry(new SeedEntry { Path = "a", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 6 }));
        writer.Accept(new SeedRequest { Data = ByteString.CopyFromUtf8("new") });

        var reply = writer.Complete();

        Assert.Equal(["a"], reply.Skipped);
        Assert.Equal(0U, reply.Files);
        Assert.Equal("old", File.ReadAllText(Path.Combine(Folder, "a")));
        Assert.Single(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void Seed_OversizedChunkOrDataWithoutEntry_InvalidArgument()
    {
        using var writer = SeedWriter.Open(Folder);
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => writer.Accept(new SeedRequest { Data = ByteString.CopyFromUtf8("x") })).StatusCode);
        writer.Accept(Entry(new SeedEntry { Path = "a", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 2 << 20 }));

        var error = Assert.Throws<RpcException>(() => writer.Accept(new SeedRequest { Data = ByteString.CopyFrom(new byte[SeedWriter.MaxChunkBytes + 1]) }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void Open_MissingFolder_FailedPrecondition()
    {
        var error = Assert.Throws<RpcException>(() => SeedWriter.Open(Path.Combine(_node, "missing")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public void Seed_SmallFileContentInline_LandsWhole_AndInlinePlusChunksAddUp()
    {
        var rest = new byte[70_000];
        Random.Shared.NextBytes(rest);
        using (var writer = SeedWriter.Open(Folder))
        {
            writer.Accept(Entry(new SeedEntry { Path = "small.txt", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 5, MtimeSeconds = 1_700_000_000, Content = ByteString.CopyFromUtf8("hello") }));
            writer.Accept(Entry(new SeedEntry { Path = "mixed.bin", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = (ulong)(3 + rest.Length), MtimeSeconds = 1_700_000_000, Content = ByteString.CopyFrom(1, 2, 3) }));
            writer.Accept(new SeedRequest { Data = ByteString.CopyFrom(rest) });
            var reply = writer.Complete();

            Assert.Equal((2U, (ulong)(5 + 3 + rest.Length)), (reply.Files, reply.Bytes));
            Assert.Empty(reply.Skipped);
        }

        Assert.Equal("hello", File.ReadAllText(Path.Combine(Folder, "small.txt")));
        Assert.Equal([1, 2, 3, .. rest], File.ReadAllBytes(Path.Combine(Folder, "mixed.bin")));
    }

    [Fact]
    public void Seed_InlineContentOnADirectory_Refused()
    {
        using var writer = SeedWriter.Open(Folder);

        var error = Assert.Throws<RpcException>(() => writer.Accept(Entry(new SeedEntry { Path = "d", Kind = SeedEntryKind.Directory, Mode = 0x1ED, Content = ByteString.CopyFromUtf8("x") })));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void Seed_InlineContentOverTheChunkLimit_Refused_NothingLands()
    {
        using (var writer = SeedWriter.Open(Folder))
        {
            var big = new byte[SeedWriter.MaxChunkBytes + 1];
            var error = Assert.Throws<RpcException>(() => writer.Accept(Entry(new SeedEntry { Path = "big", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = (ulong)big.Length, Content = ByteString.CopyFrom(big) })));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }

        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void Seed_Batch_LandsAsItsEntriesOneByOne_AndTheLastFileTakesFollowingChunks()
    {
        var rest = new byte[70_000];
        Random.Shared.NextBytes(rest);
        var batch = new SeedBatch();
        batch.Entries.Add(new SeedEntry { Path = "d", Kind = SeedEntryKind.Directory, Mode = 0x1C0 });
        batch.Entries.Add(new SeedEntry { Path = "d/a.txt", Kind = SeedEntryKind.File, Mode = 0x1ED, Size = 5, MtimeSeconds = 1_700_000_000, MtimeNanos = 42, Content = ByteString.CopyFromUtf8("hello") });
        batch.Entries.Add(new SeedEntry { Path = "d/empty", Kind = SeedEntryKind.File, Mode = 0x180 });
        batch.Entries.Add(new SeedEntry { Path = "d/link", Kind = SeedEntryKind.Symlink, LinkTarget = "a.txt" });
        batch.Entries.Add(new SeedEntry { Path = "d/big.bin", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = (ulong)(3 + rest.Length), Content = ByteString.CopyFrom(1, 2, 3) });
        using (var writer = SeedWriter.Open(Folder))
        {
            writer.Accept(new SeedRequest { Batch = batch });
            writer.Accept(new SeedRequest { Data = ByteString.CopyFrom(rest) });
            var reply = writer.Complete();

            Assert.Equal((3U, 1U, 1U, (ulong)(5 + 3 + rest.Length)), (reply.Files, reply.Directories, reply.Symlinks, reply.Bytes));
            Assert.Empty(reply.Skipped);
        }

        Assert.Equal("hello", File.ReadAllText(Path.Combine(Folder, "d/a.txt")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Folder, "d/a.txt")));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Combine(Folder, "d")));
        Assert.Equal((1_700_000_000L, 42U), (NodeFiles.Lstat(Path.Combine(Folder, "d/a.txt"))!.Value.MtimeSeconds, NodeFiles.Lstat(Path.Combine(Folder, "d/a.txt"))!.Value.MtimeNanos));
        Assert.Empty(File.ReadAllBytes(Path.Combine(Folder, "d/empty")));
        Assert.Equal("a.txt", new FileInfo(Path.Combine(Folder, "d/link")).LinkTarget);
        Assert.Equal([1, 2, 3, .. rest], File.ReadAllBytes(Path.Combine(Folder, "d/big.bin")));
        Assert.Equal(["a.txt", "big.bin", "empty", "link"], Directory.GetFileSystemEntries(Path.Combine(Folder, "d")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Seed_BatchOverTheEntryOrContentLimit_Refused_NothingLands()
    {
        var many = new SeedBatch();
        many.Entries.AddRange(Enumerable.Range(0, SeedWriter.MaxBatchEntries + 1).Select(i => new SeedEntry { Path = $"f{i}", Kind = SeedEntryKind.File, Mode = 0x1A4 }));
        var heavy = new SeedBatch();
        heavy.Entries.Add(new SeedEntry { Path = "a", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 600_000, Content = ByteString.CopyFrom(new byte[600_000]) });
        heavy.Entries.Add(new SeedEntry { Path = "b", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 600_000, Content = ByteString.CopyFrom(new byte[600_000]) });
        using (var writer = SeedWriter.Open(Folder))
        {
            Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => writer.Accept(new SeedRequest { Batch = many })).StatusCode);
            Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => writer.Accept(new SeedRequest { Batch = heavy })).StatusCode);
        }

        Assert.Empty(Directory.GetFileSystemEntries(Folder));
    }

    [Fact]
    public void Seed_BatchWithAnEntryEscapingTheFolder_Refused_NothingWrittenOutside()
    {
        var batch = new SeedBatch();
        batch.Entries.Add(new SeedEntry { Path = "ok.txt", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 1, Content = ByteString.CopyFromUtf8("x") });
        batch.Entries.Add(new SeedEntry { Path = "../outside/evil.txt", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 1, Content = ByteString.CopyFromUtf8("x") });
        using (var writer = SeedWriter.Open(Folder))
        {
            Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => writer.Accept(new SeedRequest { Batch = batch })).StatusCode);
        }

        Assert.Empty(Directory.GetFileSystemEntries(Outside));
    }

    private static SeedRequest Entry(SeedEntry entry) => new() { Entry = entry };

    private static IEnumerable<SeedRequest> FileMessages(string path, byte[] content, uint mode, long seconds, uint nanos)
    {
        yield return Entry(new SeedEntry { Path = path, Kind = SeedEntryKind.File, Mode = mode, Size = (ulong)content.Length, MtimeSeconds = seconds, MtimeNanos = nanos });
        for (var offset = 0; offset < content.Length; offset += 65536)
        {
            yield return new SeedRequest { Data = ByteString.CopyFrom(content, offset, Math.Min(65536, content.Length - offset)) };
        }
    }
}
