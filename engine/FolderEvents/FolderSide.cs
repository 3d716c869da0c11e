namespace KSync.Engine.FolderEvents;

/// <summary>Which syncthing of a synced folder something happened on.</summary>
public enum FolderSide
{
    /// <summary>The local syncthing (this machine).</summary>
    Local,

    /// <summary>The node syncthing, which writes into the container.</summary>
    Node,
}
