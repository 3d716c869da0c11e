namespace KSync.Config.Store;

/// <summary>
/// An exclusive lock on a lock file next to ksync.yaml, held while a command reads, changes and writes the config,
/// so concurrent writers (two <c>create</c>s, <c>delete</c> during <c>create</c>) are serialized across processes.
/// On Unix .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/>; it is released when the holder
/// exits, even by a crash.
/// </summary>
internal sealed class ConfigLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private ConfigLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Waits for the lock.</summary>
    /// <param name="lockPath">The lock file (created when missing; never deleted, so waiters lock the same inode).</param>
    /// <param name="timeout">How long to wait before giving up.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The held lock; dispose to release.</returns>
    /// <exception cref="ConfigException">Another process held the lock for longer than <paramref name="timeout"/>.</exception>
    public static async Task<ConfigLock> AcquireAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return new ConfigLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new ConfigException(
                        $"Another ksync process has held {lockPath} for more than {timeout.TotalSeconds:0} s.",
                        "Wait for it to finish and try again.");
                }

                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
