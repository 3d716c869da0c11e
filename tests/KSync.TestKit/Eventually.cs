using System.Diagnostics;

namespace KSync.TestKit;

/// <summary>Awaits a condition by polling, instead of sleeping a fixed time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it returns true or <paramref name="timeout"/> passes.</summary>
    /// <param name="condition">The condition; exceptions count as false (the last one is reported).</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="because">What is awaited, for the failure message.</param>
    /// <param name="pollInterval">Time between polls; default 50 ms.</param>
    /// <returns>How long it took.</returns>
    /// <exception cref="TimeoutException">The condition did not become true in time.</exception>
    /// <remarks>The wait also ends when the running test is cancelled.</remarks>
    public static async Task<TimeSpan> TrueAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        string because,
        TimeSpan? pollInterval = null)
    {
        var cancellationToken = Xunit.TestContext.Current.CancellationToken;
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return watch.Elapsed;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {because}" + (last is null ? string.Empty : $" (last error: {last.Message})"), last);
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>Synchronous-condition overload of <see cref="TrueAsync(Func{Task{bool}}, TimeSpan, string, TimeSpan?)"/>.</summary>
    /// <param name="condition">The condition.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="because">What is awaited.</param>
    /// <returns>How long it took.</returns>
    public static Task<TimeSpan> TrueAsync(Func<bool> condition, TimeSpan timeout, string because)
        => TrueAsync(() => Task.FromResult(condition()), timeout, because, null);
}
