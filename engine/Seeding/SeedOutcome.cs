namespace KSync.Engine.Seeding;

/// <summary>What a seed did.</summary>
/// <param name="Entries">Entries in the local manifest.</param>
/// <param name="Sent">Entries the container lacked and that were sent.</param>
/// <param name="Written">What the agent wrote.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record SeedOutcome(int Entries, int Sent, SeedResult Written, TimeSpan Elapsed);
