namespace KSync.Bench;

/// <summary>One benchmark mode of <c>KSync.Bench</c> (e.g. <c>sync-engine</c>; later <c>e2e</c>, <c>cli</c>).</summary>
internal interface IBenchMode
{
    /// <summary>Gets the name given on the command line.</summary>
    string Name { get; }

    /// <summary>Gets a one-line description for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and prints its figures to <paramref name="output"/>.</summary>
    /// <param name="args">Arguments after the mode name.</param>
    /// <param name="output">Where the table goes.</param>
    /// <param name="cancellationToken">Stops the run (Ctrl-C).</param>
    /// <returns>The process exit code.</returns>
    Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken);
}
