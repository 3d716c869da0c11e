using System.Collections.Concurrent;

namespace KSync.Lab.Images;

/// <summary>
/// The lab's registry: image archives (<c>docker save</c> format) by the references they hold. A node that lacks an
/// image a pod names "pulls" it from here (loads the archive into its engine); a reference that is neither on the
/// node nor here fails the pod with ErrImagePull, as an unknown image does on a cluster.
/// </summary>
internal sealed class ImageRegistry
{
    private readonly ConcurrentDictionary<string, string> _archives = new(StringComparer.Ordinal);

    /// <summary>Publishes an archive under the references it holds.</summary>
    /// <param name="archive">Path of the archive.</param>
    /// <param name="references">The references (name:tag) in it.</param>
    public void Add(string archive, params string[] references)
    {
        foreach (var reference in references)
        {
            _archives[Normalize(reference)] = archive;
        }
    }

    /// <summary>Finds the archive holding <paramref name="reference"/>.</summary>
    /// <param name="reference">An image reference as a pod names it.</param>
    /// <returns>The archive, or null when the registry does not have it.</returns>
    public string? Find(string reference) => _archives.TryGetValue(Normalize(reference), out var archive) ? archive : null;

    // "busybox" = "docker.io/library/busybox:latest" (the Docker reference rules).
    private static string Normalize(string reference)
    {
        var name = reference;
        var lastSlash = name.LastIndexOf('/');
        if (name.IndexOf(':', lastSlash + 1) < 0 && !name.Contains('@', StringComparison.Ordinal))
        {
            name += ":latest";
        }

        var first = name.Split('/')[0];
        if (!name.Contains('/', StringComparison.Ordinal))
        {
            name = "docker.io/library/" + name;
        }
        else if (!first.Contains('.', StringComparison.Ordinal) && !first.Contains(':', StringComparison.Ordinal) && first != "localhost")
        {
            name = "docker.io/" + name;
        }

        return name;
    }
}
