using KSync.Syncthing.Versions;
using KSync.Syncthing.Processes;

// Usage: KSync.Syncthing.Probe <ksync-home>. Starts the managed local syncthing, prints "READY <syncthing-pid>",
// and waits until killed: tests kill this process and check that syncthing dies with it (no orphan).
var binary = await SyncthingBinaryResolver.ResolveAsync(Path.Combine(args[0], "bin"), Environment.GetEnvironmentVariable, CancellationToken.None);
var process = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = args[0] });
await process.StartAsync(CancellationToken.None);

// Let the thread pool retire idle threads first: the parent-death signal must not fire when a thread exits.
await Task.Delay(TimeSpan.FromSeconds(1));
Console.WriteLine($"READY {process.Pid}");
await Task.Delay(Timeout.Infinite);
