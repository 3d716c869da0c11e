using KSync.Plugin.Errors;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Finds and merges kubeconfig files exactly as kubectl does (Kubernetes docs: "Organizing Cluster Access Using
/// kubeconfig Files", merging rules; client-go <c>ClientConfigLoadingRules</c>): <c>--kubeconfig</c> loads that file
/// only; else <c>KUBECONFIG</c> is split on the OS path separator, empty and missing entries are skipped, and the
/// files are merged first-wins by name (a later duplicate cluster, user or context is dropped whole; current-context
/// comes from the first file that sets one); else <c>~/.kube/config</c>. Relative paths in a file (certificates,
/// keys, exec commands with a path separator) are made absolute against that file's folder before merging.
/// </summary>
internal static class KubeconfigResolver
{
    /// <summary>The kubeconfig files that apply, in merge order.</summary>
    /// <param name="explicitPath">The <c>--kubeconfig</c> value, or null.</param>
    /// <param name="environment">Reads environment variables (KUBECONFIG, HOME).</param>
    /// <param name="workingDirectory">Folder relative paths are resolved against.</param>
    /// <returns>Absolute paths of existing files; empty when none applies (in-cluster may follow).</returns>
    /// <exception cref="KsyncException">The <c>--kubeconfig</c> file does not exist.</exception>
    public static IReadOnlyList<string> FindFiles(string? explicitPath, Func<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath, workingDirectory);
            return File.Exists(full)
                ? [full]
                : throw new KsyncException($"The kubeconfig file '{explicitPath}' does not exist.", "Check the path given with --kubeconfig (or KSYNC_KUBECONFIG).");
        }

        var variable = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(variable))
        {
            return [.. variable.Split(Path.PathSeparator)
                .Where(entry => entry.Length > 0)
                .Select(entry => Path.GetFullPath(entry, workingDirectory))
                .Where(File.Exists)
                .Distinct(StringComparer.Ordinal)];
        }

        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var fallback = Path.Combine(home, ".kube", "config");
        return File.Exists(fallback) ? [fallback] : [];
    }

    /// <summary>Loads and merges files (first wins by name).</summary>
    /// <param name="files">Files in merge order, at least one.</param>
    /// <returns>The merged configuration; every relative path made absolute.</returns>
    /// <exception cref="KsyncException">A file cannot be read or parsed.</exception>
    public static K8SConfiguration LoadMerged(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var clusters = new List<k8s.KubeConfigModels.Cluster>();
        var users = new List<User>();
        var contexts = new List<Context>();
        string? currentContext = null;
        foreach (var file in files)
        {
            K8SConfiguration config;
            try
            {
                config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file), useRelativePaths: false);
            }
            catch (Exception ex) when (ex is KubeConfigException or YamlDotNet.Core.YamlException or IOException or UnauthorizedAccessException or FormatException)
            {
                throw new KsyncException($"The kubeconfig file '{file}' cannot be read: {ex.Message}", "Fix the file (kubectl config view --kubeconfig FILE shows what kubectl makes of it).", ex);
            }

            var folder = Path.GetDirectoryName(file)!;
            currentContext ??= string.IsNullOrEmpty(config.CurrentContext) ? null : config.CurrentContext;
            foreach (var cluster in config.Clusters ?? [])
            {
                if (cluster.ClusterEndpoint is { } endpoint)
                {
                    endpoint.CertificateAuthority = Absolute(endpoint.CertificateAuthority, folder);
                }

                AddFirst(clusters, cluster, c => c.Name);
            }

            foreach (var user in config.Users ?? [])
            {
                if (user.UserCredentials is { } credentials)
                {
                    credentials.ClientCertificate = Absolute(credentials.ClientCertificate, folder);
                    credentials.ClientKey = Absolute(credentials.ClientKey, folder);
                    if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains('/', StringComparison.Ordinal))
                    {
                        // client-go resolves an exec command relative to the file only when it contains a path separator.
                        exec.Command = Absolute(command, folder);
                    }
                }

                AddFirst(users, user, u => u.Name);
            }

            foreach (var context in config.Contexts ?? [])
            {
                AddFirst(contexts, context, c => c.Name);
            }
        }

        return new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            Clusters = clusters,
            Users = users,
            Contexts = contexts,
            CurrentContext = currentContext,
        };
    }

    private static void AddFirst<T>(List<T> list, T item, Func<T, string?> name)
    {
        if (!list.Any(existing => name(existing) == name(item)))
        {
            list.Add(item);
        }
    }

    private static string? Absolute(string? path, string folder)
        => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(path, folder);
}
