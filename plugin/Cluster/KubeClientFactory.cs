using System.Text.RegularExpressions;
using KSync.Plugin.Commands;
using KSync.Plugin.Errors;
using k8s;
using k8s.Exceptions;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Makes the Kubernetes client every command uses, from the global settings, with kubectl's rules
/// (<see cref="KubeconfigResolver"/>): files merged first, then the context chosen (<c>--context</c>, else
/// current-context), then the namespace (<c>-n</c>, else the context's, else "default"); with no kubeconfig at all,
/// the in-cluster service account.
/// </summary>
internal static partial class KubeClientFactory
{
    /// <summary>Resolves the settings and creates a client. Does not talk to the cluster.</summary>
    /// <param name="settings">The global settings (kubeconfig, context, namespace).</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="workingDirectory">Folder relative paths are resolved against; null = current.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="KsyncException">No kubeconfig, an unreadable file, an unknown context or an invalid namespace.</exception>
    public static ClusterConnection Create(GlobalSettings settings, Func<string, string?> environment, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        workingDirectory ??= Environment.CurrentDirectory;
        if (settings.Namespace is { } explicitNs)
        {
            ValidateNamespace(explicitNs);
        }

        var files = KubeconfigResolver.FindFiles(settings.Kubeconfig, environment, workingDirectory);
        if (files.Count == 0)
        {
            if (environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 } && KubernetesClientConfiguration.IsInCluster())
            {
                var inCluster = KubernetesClientConfiguration.InClusterConfig();
                var ns = settings.Namespace ?? inCluster.Namespace ?? "default";
                return new ClusterConnection(new Kubernetes(inCluster), inCluster, null, ns, []);
            }

            var why = environment("KUBECONFIG") is { Length: > 0 } variable
                ? $"none of the files in KUBECONFIG ({variable}) exists"
                : "~/.kube/config does not exist and KUBECONFIG is not set";
            throw new KsyncException($"No kubeconfig found: {why}.", "Pass --kubeconfig PATH, set KUBECONFIG, or create ~/.kube/config (your cluster's tools print one).");
        }

        var merged = KubeconfigResolver.LoadMerged(files);
        var contextName = settings.Context ?? merged.CurrentContext;
        var known = merged.Contexts.Select(c => c.Name).ToList();
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KsyncException(
                $"The kubeconfig ({string.Join(", ", files)}) has no current context.",
                known.Count == 0 ? "Add a context to the kubeconfig." : $"Pass --context with one of: {string.Join(", ", known)}.");
        }

        if (!known.Contains(contextName))
        {
            throw new KsyncException(
                $"The context '{contextName}' does not exist in the kubeconfig ({string.Join(", ", files)}).",
                known.Count == 0 ? "The kubeconfig has no contexts." : $"Use one of: {string.Join(", ", known)}.");
        }

        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, contextName);
        }
        catch (KubeConfigException ex)
        {
            throw new KsyncException($"The context '{contextName}' cannot be used: {ex.Message}", "Fix the context's cluster and user entries in the kubeconfig.", ex);
        }

        var resolvedNs = settings.Namespace ?? (string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace);
        ValidateNamespace(resolvedNs);
        Kubernetes client;
        try
        {
            client = new Kubernetes(configuration);
        }
        catch (Exception ex) when (ex is KubeConfigException or UriFormatException or System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new KsyncException($"The context '{contextName}' cannot be used: {ex.Message}", "Check its server URL and certificates in the kubeconfig.", ex);
        }

        return new ClusterConnection(client, configuration, contextName, resolvedNs, files);
    }

    /// <summary>
    /// The namespace of the kubeconfig context the settings select, read from the files alone (no cluster call): what
    /// <c>create</c> stores when <c>-n</c> is not given.
    /// </summary>
    /// <param name="settings">The global settings (kubeconfig, context).</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="workingDirectory">Folder relative paths are resolved against.</param>
    /// <returns>The context's namespace, or null when there is no kubeconfig, no current context or no namespace in it.</returns>
    /// <exception cref="KsyncException">An explicit <c>--context</c> does not exist, or a kubeconfig file is unreadable.</exception>
    public static string? ContextNamespace(GlobalSettings settings, Func<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var files = KubeconfigResolver.FindFiles(settings.Kubeconfig, environment, workingDirectory);
        if (files.Count == 0)
        {
            return null;
        }

        var merged = KubeconfigResolver.LoadMerged(files);
        var contextName = settings.Context ?? merged.CurrentContext;
        var context = merged.Contexts?.FirstOrDefault(c => c.Name == contextName);
        if (context is null && settings.Context is not null)
        {
            throw new KsyncException(
                $"The context '{settings.Context}' does not exist in the kubeconfig ({string.Join(", ", files)}).",
                $"Use one of: {string.Join(", ", merged.Contexts?.Select(c => c.Name) ?? [])}.");
        }

        return string.IsNullOrEmpty(context?.ContextDetails?.Namespace) ? null : context.ContextDetails.Namespace;
    }

    /// <summary>Checks a namespace name (RFC 1123 label, as the API requires).</summary>
    /// <param name="ns">The name.</param>
    /// <exception cref="KsyncException">It is not valid.</exception>
    public static void ValidateNamespace(string ns)
    {
        if (!DnsLabel().IsMatch(ns ?? string.Empty))
        {
            throw new KsyncException(
                $"'{ns}' is not a valid namespace name.",
                "Use lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit.");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
