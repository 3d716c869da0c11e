using System.Net;
using System.Text;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using KSync.Syncthing.Processes;
using k8s;
using k8s.Autorest;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The cluster half of <c>init</c> and <c>clean</c>: checks before touching anything (connection, version, and a
/// SelfSubjectAccessReview per verb), applies the embedded manifests (create; with upgrade, update; idempotent; the
/// API-key Secret is created once and reused), waits for the DaemonSet on every node with a live progress line, and
/// removes everything again. Progress goes to <see cref="_progress"/> (stderr).
/// </summary>
internal sealed partial class ClusterInstaller
{
    private readonly ClusterConnection _connection;
    private readonly TextWriter _progress;

    /// <summary>Creates the installer.</summary>
    /// <param name="connection">The cluster.</param>
    /// <param name="progress">Where progress and per-object results go.</param>
    public ClusterInstaller(ClusterConnection connection, TextWriter progress)
    {
        _connection = connection;
        _progress = progress;
    }

    private Kubernetes Client => _connection.Client;

    /// <summary>The rights <c>init</c> needs in <paramref name="ns"/>.</summary>
    /// <param name="ns">The agent namespace.</param>
    /// <param name="upgrade">Whether objects will be updated too.</param>
    /// <returns>The requirements.</returns>
    public static IReadOnlyList<AccessRequirement> InstallRights(string ns, bool upgrade)
    {
        var verbs = upgrade ? new[] { "get", "create", "update" } : ["get", "create"];
        var list = new List<AccessRequirement>();
        foreach (var verb in verbs)
        {
            list.Add(new(verb, string.Empty, "namespaces", null, null));
            list.Add(new(verb, string.Empty, "serviceaccounts", null, ns));
            list.Add(new(verb, string.Empty, "secrets", null, ns));
            list.Add(new(verb, "rbac.authorization.k8s.io", "roles", null, ns));
            list.Add(new(verb, "apps", "daemonsets", null, ns));
        }

        list.Add(new("list", string.Empty, "pods", null, ns));
        list.Add(new("list", string.Empty, "nodes", null, null));
        list.Add(new("list", string.Empty, "events", null, ns));
        return list;
    }

    /// <summary>The rights <c>clean --remote</c> needs.</summary>
    /// <param name="ns">The agent namespace.</param>
    /// <returns>The requirements.</returns>
    public static IReadOnlyList<AccessRequirement> RemoveRights(string ns) =>
    [
        new("delete", "apps", "daemonsets", null, ns),
        new("delete", "rbac.authorization.k8s.io", "roles", null, ns),
        new("delete", string.Empty, "secrets", null, ns),
        new("delete", string.Empty, "serviceaccounts", null, ns),
        new("delete", string.Empty, "namespaces", null, null),
    ];

    /// <summary>
    /// Checks connection, version and rights. Nothing is created or changed.
    /// </summary>
    /// <param name="requirements">The rights needed.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <returns>The server's version text.</returns>
    /// <exception cref="KsyncException">Unreachable, too old, or missing rights (each listed).</exception>
    public async Task<string> PrecheckAsync(IReadOnlyList<AccessRequirement> requirements, CancellationToken cancellationToken)
    {
        var (version, gitVersion) = await ClusterProbe.GetVersionAsync(_connection, TimeSpan.FromSeconds(10), cancellationToken);
        if (version < ClusterProbe.MinimumVersion)
        {
            throw new KsyncException(
                $"The cluster runs Kubernetes {gitVersion}; ksync needs {ClusterProbe.MinimumVersion} or newer.",
                "Upgrade the cluster, or use a newer one.");
        }

        var missing = await AccessChecker.MissingAsync(Client, requirements, cancellationToken);
        if (missing.Count > 0)
        {
            var list = new StringBuilder();
            foreach (var requirement in missing)
            {
                list.Append("\n  - ").Append(requirement);
            }

            throw new KsyncException(
                $"Your account lacks {missing.Count} right(s) on {_connection.Server}; nothing was changed:{list}",
                "Ask a cluster admin to grant them (kubectl auth can-i shows the same answers), or use a context with more rights.");
        }

        return gitVersion;
    }

    /// <summary>Creates (or, with <see cref="InstallOptions.Upgrade"/>, updates) every object init installs.</summary>
    /// <param name="options">Namespace, image, upgrade.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The rendered installation (with the API key in use).</returns>
    public async Task<KsyncInstallation> ApplyAsync(InstallOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The API key is made once per installation: an existing Secret's key is kept, even on upgrade.
        var existingKey = await ReadApiKeyAsync(options.Namespace, cancellationToken);
        var installation = KsyncManifests.Render(new ManifestSettings
        {
            Namespace = options.Namespace,
            Image = options.Image ?? ManifestSettings.DefaultImage,
            ApiKey = existingKey ?? ApiKey.Generate(),
        });
        await ApplyOneAsync("namespace", installation.Namespace.Metadata.Name, options.Upgrade,
            ct => Client.CoreV1.CreateNamespaceAsync(installation.Namespace, cancellationToken: ct),
            async ct =>
            {
                var current = await Client.CoreV1.ReadNamespaceAsync(options.Namespace, cancellationToken: ct);
                current.Metadata.Labels = installation.Namespace.Metadata.Labels;
                await Client.CoreV1.ReplaceNamespaceAsync(current, options.Namespace, cancellationToken: ct);
            },
            cancellationToken);
        await ApplyOneAsync("serviceaccount", installation.ServiceAccount.Metadata.Name, options.Upgrade,
            ct => Client.CoreV1.CreateNamespacedServiceAccountAsync(installation.ServiceAccount, options.Namespace, cancellationToken: ct),
            async ct =>
            {
                var current = await Client.CoreV1.ReadNamespacedServiceAccountAsync(NodeAgent.Name, options.Namespace, cancellationToken: ct);
                installation.ServiceAccount.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await Client.CoreV1.ReplaceNamespacedServiceAccountAsync(installation.ServiceAccount, NodeAgent.Name, options.Namespace, cancellationToken: ct);
            },
            cancellationToken);
        if (existingKey is null)
        {
            await ApplyOneAsync("secret", installation.Secret.Metadata.Name, false,
                ct => Client.CoreV1.CreateNamespacedSecretAsync(installation.Secret, options.Namespace, cancellationToken: ct),
                _ => Task.CompletedTask,
                cancellationToken);
        }
        else
        {
            await _progress.WriteLineAsync($"secret/{NodeAgent.Name}: kept (the API key is reused)");
        }

        await ApplyOneAsync("role", installation.UserRole.Metadata.Name, options.Upgrade,
            ct => Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(installation.UserRole, options.Namespace, cancellationToken: ct),
            async ct =>
            {
                var current = await Client.RbacAuthorizationV1.ReadNamespacedRoleAsync(NodeAgent.UserRoleName, options.Namespace, cancellationToken: ct);
                installation.UserRole.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await Client.RbacAuthorizationV1.ReplaceNamespacedRoleAsync(installation.UserRole, NodeAgent.UserRoleName, options.Namespace, cancellationToken: ct);
            },
            cancellationToken);
        await ApplyOneAsync("daemonset", installation.DaemonSet.Metadata.Name, options.Upgrade,
            ct => Client.AppsV1.CreateNamespacedDaemonSetAsync(installation.DaemonSet, options.Namespace, cancellationToken: ct),
            async ct =>
            {
                var current = await Client.AppsV1.ReadNamespacedDaemonSetAsync(NodeAgent.Name, options.Namespace, cancellationToken: ct);
                installation.DaemonSet.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await Client.AppsV1.ReplaceNamespacedDaemonSetAsync(installation.DaemonSet, NodeAgent.Name, options.Namespace, cancellationToken: ct);
            },
            cancellationToken);
        return installation;
    }

    private async Task<string?> ReadApiKeyAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await Client.CoreV1.ReadNamespacedSecretAsync(NodeAgent.Name, ns, cancellationToken: cancellationToken);
            return secret.Data is not null && secret.Data.TryGetValue(NodeAgent.ApiKeySecretKey, out var bytes) && bytes.Length > 0
                ? Encoding.UTF8.GetString(bytes)
                : null;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task ApplyOneAsync(string kind, string name, bool upgrade, Func<CancellationToken, Task> create, Func<CancellationToken, Task> update, CancellationToken cancellationToken)
    {
        try
        {
            await create(cancellationToken);
            await _progress.WriteLineAsync($"{kind}/{name}: created");
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            if (upgrade)
            {
                await update(cancellationToken);
                await _progress.WriteLineAsync($"{kind}/{name}: updated");
            }
            else
            {
                await _progress.WriteLineAsync($"{kind}/{name}: exists, unchanged (--upgrade updates it)");
            }
        }
        catch (HttpOperationException ex)
        {
            throw new KsyncException($"Creating {kind}/{name} failed: HTTP {(int)ex.Response.StatusCode} {ex.Response.Content}", "Fix the cause and run init again; it continues where it stopped.", ex);
        }
    }
}
