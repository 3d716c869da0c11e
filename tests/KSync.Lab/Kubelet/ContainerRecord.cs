namespace KSync.Lab.Kubelet;

/// <summary>One engine container of a pod container.</summary>
/// <param name="Id">Full Docker container ID.</param>
/// <param name="Image">Image reference the pod asked for.</param>
/// <param name="Attempt">0 for the first container, +1 for each re-creation.</param>
internal sealed record ContainerRecord(string Id, string Image, int Attempt);
