using System.Diagnostics;
using KSync.Syncthing.Processes;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Processes;

/// <summary>No orphan on Linux: syncthing dies with the ksync process that started it, however that process dies.</summary>
public sealed class OrphanTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OwnerKilled_SyncthingDiesWithIt_NextStartCleansUp()
    {
        var binary = await SyncthingNode.ResolveBinaryAsync(Token);
        using var home = new TempDirectory("ksync-orphan");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KSync.Syncthing.Probe.dll"));
        info.ArgumentList.Add(home.Path);
        info.Environment["KSYNC_SYNCTHING"] = binary.Path;
        using var owner = System.Diagnostics.Process.Start(info)!;
        int syncthingPid;
        try
        {
            var line = await owner.StandardOutput.ReadLineAsync(Token).AsTask().WaitAsync(TimeSpan.FromSeconds(60), Token);
            Assert.StartsWith("READY ", line, StringComparison.Ordinal);
            syncthingPid = int.Parse(line![6..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsAlive(syncthingPid));
        }
        finally
        {
            // SIGKILL: no cleanup code of the owner runs.
            owner.Kill();
            await owner.WaitForExitAsync(Token);
        }

        await Eventually.TrueAsync(() => !IsAlive(syncthingPid), TimeSpan.FromSeconds(15), "syncthing to die with its owner");

        // The owner's PID file is stale now; the next start takes the home.
        await using var next = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = home.Path });
        await next.StartAsync(Token);
        await next.Client.PingAsync(Token);
    }

    /// <summary>Alive = in /proc and not a zombie (a killed process may wait for its new parent to reap it).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
