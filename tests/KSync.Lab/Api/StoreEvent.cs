using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>One committed change of the lab's object store, as a watch sees it.</summary>
/// <param name="Type">"ADDED", "MODIFIED" or "DELETED" (Kubernetes API Concepts: watch event types).</param>
/// <param name="Kind">The resource.</param>
/// <param name="Old">The object before the change (null for ADDED).</param>
/// <param name="Object">The object after the change (the last state for DELETED).</param>
/// <param name="ResourceVersion">The store's resourceVersion of the change.</param>
internal sealed record StoreEvent(string Type, ResourceKind Kind, JsonObject? Old, JsonObject Object, long ResourceVersion);
