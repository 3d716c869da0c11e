using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Plugin.Output;

namespace KSync.Plugin.Watch;

/// <summary>
/// Writes <see cref="SeedLine"/> to watch's terminal: reads the running seeds from the services' states on every status
/// change and every <see cref="Tick"/> (so a line appears once a seed passed one second, and its time counts up).
/// Used only when stderr is a terminal; into a pipe or file the Folder's log lines at a seed's start and end say it.
/// </summary>
internal static class SeedLineReporter
{
    /// <summary>How often the line is refreshed without a status change.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs until cancelled, then clears the line if one shows.</summary>
    /// <param name="specs">The running specs.</param>
    /// <param name="board">Status change notifications.</param>
    /// <param name="terminal">stderr.</param>
    /// <param name="width">Reads the terminal's width in columns (0 when unknown).</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Stops it.</param>
    /// <returns>A task that ends when cancelled.</returns>
    public static async Task RunAsync(SpecList specs, StatusBoard board, TextWriter terminal, Func<int> width, TimeProvider time, CancellationToken cancellationToken)
    {
        var line = new SeedLine();
        var seen = -1L;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var seeds = specs.Items
                    .SelectMany(spec => spec.Services.Items.Select(service => (Name: $"{spec.Details.Name} {service.Container.PodName}", service.State.Snapshot.Seed)))
                    .Where(s => s.Seed is not null)
                    .Select(s => (s.Name, new SeedView { FilesDone = s.Seed!.FilesDone, FilesTotal = s.Seed.FilesTotal, BytesDone = s.Seed.BytesDone, BytesTotal = s.Seed.BytesTotal }))
                    .ToList();
                if (line.Next(seeds, time.GetUtcNow(), width()) is { } text)
                {
                    await terminal.WriteAsync(text);
                    await terminal.FlushAsync(cancellationToken);
                }

                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(Tick);
                try
                {
                    seen = await board.WaitForChangeAsync(seen < 0 ? board.Version : seen, tick.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The tick: refresh the time shown.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        if (line.Next([], time.GetUtcNow(), 0) is { } clear)
        {
            await terminal.WriteAsync(clear);
            await terminal.FlushAsync(CancellationToken.None);
        }
    }
}
