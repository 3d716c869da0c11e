using KSync.Syncthing.Folders;

namespace KSync.Engine.Identity;

/// <summary>What <see cref="ResumeRule.Decide"/> decided for one set-up.</summary>
/// <param name="Mode">First sync or resume.</param>
/// <param name="NewFolderId">True when the sync gets a new folder ID (the recorded one, if any, is retired).</param>
/// <param name="Why">The reason, for the log.</param>
public sealed record SetUpDecision(SetUpMode Mode, bool NewFolderId, string Why);
