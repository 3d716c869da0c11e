namespace KSync.Engine.Syncing;

/// <summary>What one reload did to one container.</summary>
/// <param name="Outcome"><c>restarted</c>, <c>signalled</c>, <c>skipped</c> or <c>failed</c>.</param>
/// <param name="Message">Detail: the signal sent, the fallback taken, or the error.</param>
public sealed record ReloadOutcome(string Outcome, string Message);
