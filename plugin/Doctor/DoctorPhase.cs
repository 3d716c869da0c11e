namespace KSync.Plugin.Doctor;

/// <summary>When a check applies (the original's check types): before init, after init, or on this machine.</summary>
internal enum DoctorPhase
{
    /// <summary>This machine: local syncthing, the watch process.</summary>
    Local,

    /// <summary>What init needs: kubeconfig, connection, version, rights.</summary>
    Pre,

    /// <summary>What init made: the DaemonSet and the agent on every node.</summary>
    Post,
}
