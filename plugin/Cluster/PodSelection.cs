namespace KSync.Plugin.Cluster;

/// <summary>The server-side filter of a pod list/watch: the API's <c>labelSelector</c> and <c>fieldSelector</c>.</summary>
/// <param name="Namespace">Namespace to watch.</param>
/// <param name="LabelSelector">labelSelector, or null for none.</param>
/// <param name="FieldSelector">fieldSelector (e.g. <c>metadata.name=api-0</c>), or null for none.</param>
internal sealed record PodSelection(string Namespace, string? LabelSelector, string? FieldSelector);
