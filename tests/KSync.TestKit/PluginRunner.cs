namespace KSync.TestKit;

/// <summary>
/// Runs the published <c>kubectl-ksync</c> binary as a user would: with its own <c>KSYNC_HOME</c>, a private
/// <c>HOME</c> (so no real <c>~/.kube/config</c> or <c>~/.ksync</c> is touched), no inherited <c>KSYNC_*</c> or
/// <c>KUBECONFIG</c>, in a working directory of the test's choosing; directly or through <c>kubectl</c>.
/// </summary>
public sealed class PluginRunner
{
    private readonly Dictionary<string, string?> _environment;

    /// <summary>Creates a runner.</summary>
    /// <param name="home">Folder used as KSYNC_HOME.</param>
    /// <param name="workingDirectory">Working directory of every run.</param>
    public PluginRunner(string home, string workingDirectory)
    {
        Home = home;
        WorkingDirectory = workingDirectory;
        var userHome = Path.Combine(home, "user-home");
        Directory.CreateDirectory(userHome);
        _environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["KSYNC_HOME"] = home,
            ["HOME"] = userHome,
            ["KUBECONFIG"] = null,
        };
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("KSYNC_", StringComparison.Ordinal) && k != "KSYNC_HOME" && !k.StartsWith("KSYNC_TEST_", StringComparison.Ordinal)))
        {
            _environment[key] = null;
        }

        // A status port of its own: a watch the developer runs on the default port must not answer these tests.
        _environment["KSYNC_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Gets the KSYNC_HOME folder.</summary>
    public string Home { get; }

    /// <summary>Gets the config file inside <see cref="Home"/>.</summary>
    public string ConfigFile => Path.Combine(Home, "ksync.yaml");

    /// <summary>Gets the working directory of every run.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Sets (or with null, removes) an environment variable for later runs.</summary>
    /// <param name="name">Variable name.</param>
    /// <param name="value">Value, or null to remove it.</param>
    /// <returns>This runner.</returns>
    public PluginRunner With(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    /// <summary>Runs <c>kubectl-ksync ARGS</c>.</summary>
    /// <param name="args">Arguments.</param>
    /// <returns>The result.</returns>
    public async Task<ProcessResult> RunAsync(params string[] args)
        => await ProcessRunner.RunAsync(await Binaries.PluginAsync(), args, _environment, WorkingDirectory, cancellationToken: TestCancellation);

    /// <summary>Runs <c>kubectl ksync ARGS</c>: kubectl finds the plugin on PATH (the binary's folder first).</summary>
    /// <param name="args">Arguments after <c>ksync</c>.</param>
    /// <returns>The result.</returns>
    public async Task<ProcessResult> RunThroughKubectlAsync(params string[] args)
    {
        var kubectl = Requires.Tool("kubectl", "kubectl (Kubernetes client)");
        var binDir = Path.GetDirectoryName(await Binaries.PluginAsync())!;
        var env = new Dictionary<string, string?>(_environment)
        {
            ["PATH"] = binDir + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        return await ProcessRunner.RunAsync(kubectl, ["ksync", .. args], env, WorkingDirectory, cancellationToken: TestCancellation);
    }

    /// <summary>Runs <c>kubectl ARGS</c> with the plugin's folder first on PATH.</summary>
    /// <param name="args">kubectl arguments.</param>
    /// <returns>The result.</returns>
    public async Task<ProcessResult> RunKubectlAsync(params string[] args)
    {
        var kubectl = Requires.Tool("kubectl", "kubectl (Kubernetes client)");
        var binDir = Path.GetDirectoryName(await Binaries.PluginAsync())!;
        var env = new Dictionary<string, string?>(_environment)
        {
            ["PATH"] = binDir + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        return await ProcessRunner.RunAsync(kubectl, args, env, WorkingDirectory, cancellationToken: TestCancellation);
    }

    private static CancellationToken TestCancellation => Xunit.TestContext.Current.CancellationToken;
}
