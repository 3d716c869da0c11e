using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace KSync.Plugin.Output;

/// <summary>What <c>kubectl ksync get -o json|yaml</c> prints: every spec with its status and services.</summary>
[YamlSerializable]
internal sealed class SpecListView
{
    /// <summary>Gets or sets the object kind, <c>SpecList</c>, as kubectl-style output names it.</summary>
    [JsonPropertyOrder(-2)]
    public string Kind { get; set; } = "SpecList";

    /// <summary>Gets or sets a value indicating whether a watch answered; false means statuses come from the config alone.</summary>
    public bool Watching { get; set; }

    /// <summary>Gets or sets the specs, in ksync.yaml order.</summary>
    public List<SpecView> Items { get; set; } = [];
}
