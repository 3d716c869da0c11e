using KSync.Bench;
using KSync.Bench.Resume;
using KSync.Bench.Seed;
using KSync.Bench.SyncEngine;
using KSync.Bench.Version;

// Modes are listed here; add a new IBenchMode (e2e, cli, ...) to the array.
IBenchMode[] modes = [new SyncEngineBench(), new ResumeBench(), new SeedBench(), new VersionBench()];

var mode = args.Length > 0 ? modes.FirstOrDefault(m => m.Name == args[0]) : null;
if (mode is null)
{
    Console.Error.WriteLine("usage: KSync.Bench <mode> [options]");
    foreach (var m in modes)
    {
        Console.Error.WriteLine($"  {m.Name,-14} {m.Description}");
    }

    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await mode.RunAsync(args[1..], Console.Out, cancel.Token);
