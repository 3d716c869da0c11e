namespace KSync.Config.Sources;

/// <summary>What a new read of a followed file did to its config in force (<see cref="LastGoodConfig.Offer"/>).</summary>
public enum ConfigChange
{
    /// <summary>Same text as the last read: nothing to do.</summary>
    None,

    /// <summary>The text parsed and is now in force.</summary>
    Changed,

    /// <summary>The text does not parse; the last good config stays in force.</summary>
    Broken,
}
