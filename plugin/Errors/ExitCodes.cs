namespace KSync.Plugin.Errors;

/// <summary>Process exit codes of <c>kubectl ksync</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed or its input was invalid; nothing half-done was left behind.</summary>
    public const int Failure = 1;

    /// <summary>Interrupted by SIGINT (Ctrl-C): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;
}
