using KSync.Config.Store;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.Plugin.Errors;
using k8s;

namespace KSync.Plugin.Completion;

/// <summary>
/// The dynamic values completion offers: spec names from ksync.yaml, contexts from the kubeconfig, and namespaces and
/// pods from the cluster when it answers within <see cref="ClusterTimeout"/>. The kubeconfig and the client come from
/// the same code every command uses (<see cref="KubeconfigResolver"/>, <see cref="KubeClientFactory"/>). Every lookup degrades to "no
/// candidates" instead of failing: a broken config, a missing kubeconfig or an unreachable cluster must never break
/// the user's shell.
/// </summary>
/// <param name="context">The CLI context (environment, working directory, ksync home).</param>
internal sealed class CompletionValues(CliContext context)
{
    /// <summary>How long a cluster lookup may take before completion gives up on it: 2 s.</summary>
    public static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Reads an environment variable of the CLI context.</summary>
    /// <param name="name">Variable name.</param>
    /// <returns>The value, or null when unset.</returns>
    public string? Environment(string name) => context.Environment(name);

    /// <summary>Names of the specs in ksync.yaml, in file order.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The names; empty when the file is missing or does not parse.</returns>
    public async Task<IReadOnlyList<string>> SpecNamesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var config = await new ConfigStore(context.Home.ConfigFile).LoadAsync(cancellationToken);
            return [.. config.Spec.Select(s => s.Name).Where(n => n.Length > 0)];
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException or KsyncException)
        {
            return [];
        }
    }

    /// <summary>Context names of the kubeconfig, in merge order.</summary>
    /// <param name="settings">The explicit <c>--kubeconfig</c> (other fields unused).</param>
    /// <returns>The names; empty when no kubeconfig is found or it does not load.</returns>
    public IReadOnlyList<string> Contexts(GlobalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Guard(() =>
        {
            var files = KubeconfigResolver.FindFiles(settings.Kubeconfig, context.Environment, context.WorkingDirectory);
            return files.Count == 0 ? [] : (IReadOnlyList<string>)[.. KubeconfigResolver.LoadMerged(files).Contexts.Select(c => c.Name)];
        });
    }

    /// <summary>Namespace names, from the cluster (Kubernetes API: GET /api/v1/namespaces).</summary>
    /// <param name="settings">Kubeconfig and context to use.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The names; empty when the cluster does not answer in time or refuses.</returns>
    public Task<IReadOnlyList<string>> NamespacesAsync(GlobalSettings settings, CancellationToken cancellationToken)
        => AskClusterAsync(
            settings,
            async (client, _, token) => (await client.CoreV1.ListNamespaceAsync(cancellationToken: token)).Items.Select(n => n.Metadata.Name),
            cancellationToken);

    /// <summary>
    /// Pod names in the namespace (<c>-n</c>, else the context's, else <c>default</c>), from the cluster (Kubernetes API:
    /// GET /api/v1/namespaces/{namespace}/pods).
    /// </summary>
    /// <param name="settings">Kubeconfig, context and namespace to use.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The names; empty when the cluster does not answer in time or refuses.</returns>
    public Task<IReadOnlyList<string>> PodsAsync(GlobalSettings settings, CancellationToken cancellationToken)
        => AskClusterAsync(
            settings,
            async (client, ns, token) => (await client.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: token)).Items.Select(p => p.Metadata.Name),
            cancellationToken);

    private static IReadOnlyList<string> Guard(Func<IReadOnlyList<string>> lookup)
    {
        try
        {
            return lookup();
        }
#pragma warning disable CA1031 // Completion must never break the shell: any failure means "no candidates".
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }

    private async Task<IReadOnlyList<string>> AskClusterAsync(
        GlobalSettings settings,
        Func<Kubernetes, string, CancellationToken, Task<IEnumerable<string>>> query,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ClusterTimeout);
        try
        {
            using var connection = KubeClientFactory.Create(settings, context.Environment, context.WorkingDirectory);
            return [.. (await query(connection.Client, connection.Namespace, timeout.Token)).Order(StringComparer.Ordinal)];
        }
#pragma warning disable CA1031 // Completion must never break the shell: timeouts, refusals and bad kubeconfigs all mean "no candidates".
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }
    }
}
