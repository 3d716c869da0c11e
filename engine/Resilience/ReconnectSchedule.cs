namespace KSync.Engine.Resilience;

/// <summary>
/// When a Folder whose link to the node broke tries again (docs/architecture.md, "Statuses"): the first attempt at
/// once; then every 250 ms for the first 30 s after the break, so a node agent that is being replaced is picked up
/// within a quarter second of becoming Ready (each failed attempt costs one pod list in the agent's namespace); after
/// that 250 ms doubling up to <c>max</c>, so a node that stays away is not polled hard.
/// </summary>
public static class ReconnectSchedule
{
    /// <summary>The delay between attempts during <see cref="FastWindow"/>: 250 ms.</summary>
    public static readonly TimeSpan FastDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>How long after a break attempts stay at <see cref="FastDelay"/>: 30 s.</summary>
    public static readonly TimeSpan FastWindow = TimeSpan.FromSeconds(30);

    /// <summary>Computes the wait before the next attempt.</summary>
    /// <param name="attempt">Attempts made since the link broke (0 before the first).</param>
    /// <param name="sinceBreak">Time since the link broke.</param>
    /// <param name="max">The longest wait (WatchOptions.MaxReconnectDelay).</param>
    /// <returns>The wait; zero for the first attempt.</returns>
    public static TimeSpan Delay(int attempt, TimeSpan sinceBreak, TimeSpan max)
    {
        if (attempt <= 0)
        {
            return TimeSpan.Zero;
        }

        if (sinceBreak < FastWindow)
        {
            return FastDelay < max ? FastDelay : max;
        }

        var delay = FastDelay * Math.Pow(2, Math.Min(attempt - 1, 8));
        return delay < max ? delay : max;
    }
}
