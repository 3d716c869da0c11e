using KSync.Config.Model;

namespace KSync.Config.Validation;

/// <summary>
/// Checks a new spec before it is written to ksync.yaml and returns every problem at once, each with its fix
/// (docs/architecture.md, "Safety rules": clear errors). The checks follow the original's order: pod or selector, read-only ends, local path,
/// remote path, then names; name clashes with existing specs come last and are waived by <c>--force</c>.
/// </summary>
public static class SpecValidator
{
    /// <summary>Validates the spec's own fields (not its relation to other specs).</summary>
    /// <param name="spec">The spec, with an absolute local path.</param>
    /// <param name="localPathMayBeMissing">True when a missing local folder will be created (<c>--force</c>).</param>
    /// <returns>The problems; empty when the spec is valid.</returns>
    public static IReadOnlyList<ValidationProblem> Validate(SpecDetails spec, bool localPathMayBeMissing)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<ValidationProblem>();
        if (string.IsNullOrEmpty(spec.Pod) && spec.Selector.Count == 0)
        {
            problems.Add(new("The spec names neither a pod nor a selector, so it would match no container.", "Add --pod NAME or -l key=value (or both)."));
        }

        if (spec.LocalReadOnly && spec.RemoteReadOnly)
        {
            problems.Add(new("--local-read-only and --remote-read-only together would sync nothing.", "Keep at most one of them."));
        }

        CheckLocalPath(spec.LocalPath, localPathMayBeMissing, problems);
        CheckRemotePath(spec.RemotePath, problems);
        if (!KubernetesNames.IsDnsLabel(spec.Name))
        {
            problems.Add(new($"'{spec.Name}' is not a valid spec name.", "Use lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit (e.g. api-src)."));
        }

        if (spec.Pod.Length > 0 && !KubernetesNames.IsDnsSubdomain(spec.Pod))
        {
            problems.Add(new($"'{spec.Pod}' is not a valid pod name.", "Pod names are lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (kubectl get pods lists them)."));
        }

        if (spec.Selector.Count > 0 && !LabelSelector.TryParse(spec.Selector, out _, out var selectorError))
        {
            problems.Add(new(selectorError!, "Use key=value, key!=value, 'key in (a,b)', 'key notin (a,b)', key or !key; repeat -l to combine."));
        }

        if (spec.ContainerName.Length > 0 && !KubernetesNames.IsDnsLabel(spec.ContainerName))
        {
            problems.Add(new($"'{spec.ContainerName}' is not a valid container name.", "Container names are lowercase letters, digits and '-' (kubectl get pod POD -o jsonpath='{.spec.containers[*].name}' lists them)."));
        }

        if (!KubernetesNames.IsDnsLabel(spec.Namespace))
        {
            problems.Add(new($"'{spec.Namespace}' is not a valid namespace.", "Use lowercase letters, digits and '-' (kubectl get namespaces lists them)."));
        }

        if (spec.Owner is not null && !SpecOwner.TryParse(spec.Owner, out _))
        {
            problems.Add(new($"'{spec.Owner}' is not an owner.", "Use numeric IDs: --owner UID or --owner UID:GID (e.g. --owner 1000 or --owner 1000:2000; `kubectl exec POD -- id` shows the container's)."));
        }

        try
        {
            _ = ReloadMode.Of(spec);
        }
        catch (FormatException ex)
        {
            problems.Add(new(ex.Message, "For example --reload-mode restart, --reload-mode signal:HUP or --reload=false."));
        }

        return problems;
    }

    /// <summary>Checks a new spec against the specs already in the file.</summary>
    /// <param name="spec">The new spec.</param>
    /// <param name="existing">The specs in ksync.yaml.</param>
    /// <returns>The problems (name taken, same details); <c>--force</c> waives them.</returns>
    public static IReadOnlyList<ValidationProblem> CheckClashes(SpecDetails spec, IEnumerable<SpecDetails> existing)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(existing);
        var problems = new List<ValidationProblem>();
        foreach (var other in existing)
        {
            if (other.Name == spec.Name)
            {
                problems.Add(new($"A spec named '{spec.Name}' already exists.", $"Choose another --name, delete it first with 'kubectl ksync delete {spec.Name}', or pass --force to replace it."));
            }
            else if (other.HasSameDetails(spec))
            {
                problems.Add(new($"Spec '{other.Name}' already syncs the same folders with the same pods.", "Pass --force to create a second one anyway."));
            }
        }

        return problems;
    }

    private static void CheckLocalPath(string path, bool mayBeMissing, List<ValidationProblem> problems)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathFullyQualified(path))
        {
            problems.Add(new($"Local path '{path}' is not an absolute path.", "Give a folder; relative paths are resolved against the current directory."));
        }
        else if (File.Exists(path))
        {
            problems.Add(new($"Local path '{path}' is a file; ksync syncs folders.", $"Give the folder that holds it: '{Path.GetDirectoryName(path)}'."));
        }
        else if (!Directory.Exists(path) && !mayBeMissing)
        {
            problems.Add(new($"Local path '{path}' does not exist.", $"Create it with: mkdir -p '{path}' — or pass --force and ksync creates it."));
        }
    }

    private static void CheckRemotePath(string path, List<ValidationProblem> problems)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal))
        {
            problems.Add(new($"Remote path '{path}' is not an absolute path inside the container.", "Give a POSIX path starting with '/', e.g. /app."));
        }
        else if (path.Split('/').Any(segment => segment is "." or ".."))
        {
            problems.Add(new($"Remote path '{path}' contains '.' or '..'.", "Give the folder's plain absolute path, e.g. /app/src."));
        }
        else if (path.Trim('/').Length == 0)
        {
            problems.Add(new("Remote path '/' would make the container's whole filesystem mirror your folder.", "Give the folder your code lives in, e.g. /app."));
        }
    }
}
