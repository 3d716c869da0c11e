using Polly;
using Polly.Retry;

namespace KSync.Engine.Resilience;

/// <summary>
/// The retry policies of watch, defined once (Polly). Transient trouble — an API drop, a broken tunnel, a
/// restarting syncthing — is retried with capped exponential backoff and jitter, and never ends watch.
/// </summary>
internal static class Backoff
{
    /// <summary>First retry delay of <see cref="Forever"/>: 1 s.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest retry delay of <see cref="Forever"/>: 30 s.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A pipeline that retries any exception except cancellation, forever, after 1 s, 2 s, 4 s … capped at 30 s,
    /// with jitter. An exception thrown once the caller's token is cancelled is not a failure but a side effect of
    /// stopping (a torn-down gate or stream throws ObjectDisposedException): it ends the loop without onRetry.
    /// </summary>
    /// <param name="timeProvider">Clock for the delays (tests use a fake).</param>
    /// <param name="onRetry">Called before each delay with the failure and the delay.</param>
    /// <param name="firstDelay">First delay; default <see cref="FirstDelay"/>.</param>
    /// <returns>The pipeline.</returns>
    public static ResiliencePipeline Forever(TimeProvider timeProvider, Func<Exception, TimeSpan, ValueTask> onRetry, TimeSpan? firstDelay = null)
    {
        ArgumentNullException.ThrowIfNull(onRetry);
        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex and not OperationCanceledException && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = firstDelay ?? FirstDelay,
                MaxDelay = MaxDelay,
                OnRetry = args => onRetry(args.Outcome.Exception!, args.RetryDelay),
            })
            .Build();
    }
}
