namespace KSync.Plugin.Commands;

/// <summary>What the local half of <c>init</c> did (see <see cref="LocalInstall"/>).</summary>
internal enum LocalInstallOutcome
{
    /// <summary>This build cannot install syncthing locally; <c>init --local</c> fails, plain <c>init</c> notes it.</summary>
    NotAvailable,

    /// <summary>A usable syncthing was already there; nothing was done.</summary>
    AlreadyPresent,

    /// <summary>syncthing was installed.</summary>
    Installed,
}
