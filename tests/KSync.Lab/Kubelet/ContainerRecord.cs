namespace KSync.Lab.Kubelet;

/// <summary>One engine container of a pod container.</summary>
/// <param name="Id">Engine container ID (without scheme).</param>
/// <param name="Image">Image reference the pod asked for.</param>
/// <param name="Attempt">0 for the first container, +1 for each re-creation.</param>
/// <param name="LogPath">Its log file as a node path (CRI), or null.</param>
internal sealed record ContainerRecord(string Id, string Image, int Attempt, string? LogPath);
