namespace KSync.Radar.Ownership;

/// <summary>The owner <see cref="OwnerRule"/> chose.</summary>
/// <param name="Owner">The owner.</param>
/// <param name="Why">Where the user and the group come from, in words.</param>
internal sealed record OwnerDecision(FileOwner Owner, string Why);
