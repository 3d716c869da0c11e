namespace KSync.Lab.Nodes;

/// <summary>What the kubelet needs to know about an image on a node.</summary>
/// <param name="User">The image's USER (name or uid[:gid]), "" for root by default.</param>
/// <param name="HasCommand">Whether the image has an ENTRYPOINT or CMD.</param>
internal sealed record ImageFacts(string User, bool HasCommand);
