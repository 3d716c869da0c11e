using k8s;
using k8s.KubeConfigModels;

namespace KSync.Plugin.Completion;

/// <summary>
/// The kubeconfig for completion, found as kubectl finds it (Kubernetes docs, "Organizing Cluster Access Using
/// kubeconfig Files"): <c>--kubeconfig</c> alone; else the files in <c>KUBECONFIG</c> (empty and missing entries
/// skipped) merged first-wins by name; else <c>~/.kube/config</c>. Deliberately small: the shared kubeconfig resolver
/// of the cluster code replaces it when both branches meet.
/// </summary>
internal static class CompletionKubeconfig
{
    /// <summary>The kubeconfig files that apply, in merge order.</summary>
    /// <param name="explicitPath">The <c>--kubeconfig</c> value (or <c>KSYNC_KUBECONFIG</c>), or null.</param>
    /// <param name="environment">Reads environment variables (KUBECONFIG, HOME).</param>
    /// <param name="workingDirectory">Folder relative paths are resolved against.</param>
    /// <returns>Absolute paths of existing files; empty when none applies.</returns>
    public static IReadOnlyList<string> FindFiles(string? explicitPath, Func<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath, workingDirectory);
            return File.Exists(full) ? [full] : [];
        }

        if (environment("KUBECONFIG") is { Length: > 0 } variable)
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

    /// <summary>Loads and merges <paramref name="files"/>: the first file to name a cluster, user or context wins.</summary>
    /// <param name="files">Files in merge order.</param>
    /// <returns>The merged configuration; <c>CurrentContext</c> from the first file that sets one.</returns>
    /// <exception cref="k8s.Exceptions.KubeConfigException">A file is not a kubeconfig.</exception>
    public static K8SConfiguration LoadMerged(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var merged = new K8SConfiguration { ApiVersion = "v1", Kind = "Config", Clusters = [], Users = [], Contexts = [] };
        var clusters = new List<k8s.KubeConfigModels.Cluster>();
        var users = new List<User>();
        var contexts = new List<Context>();
        foreach (var file in files)
        {
            var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file), useRelativePaths: false);
            merged.CurrentContext ??= string.IsNullOrEmpty(config.CurrentContext) ? null : config.CurrentContext;
            clusters.AddRange((config.Clusters ?? []).Where(c => !clusters.Exists(known => known.Name == c.Name)));
            users.AddRange((config.Users ?? []).Where(u => !users.Exists(known => known.Name == u.Name)));
            contexts.AddRange((config.Contexts ?? []).Where(c => !contexts.Exists(known => known.Name == c.Name)));
        }

        merged.Clusters = clusters;
        merged.Users = users;
        merged.Contexts = contexts;
        return merged;
    }
}
