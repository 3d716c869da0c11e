using YamlDotNet.Serialization;

namespace KSync.Plugin.Output;

/// <summary>One spec in <c>get</c> output.</summary>
[YamlSerializable]
internal sealed class SpecView
{
    /// <summary>Gets or sets the spec name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the pods' namespace.</summary>
    public string Namespace { get; set; } = string.Empty;

    /// <summary>Gets or sets the absolute local folder.</summary>
    public string LocalPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the folder inside the container.</summary>
    public string RemotePath { get; set; } = string.Empty;

    /// <summary>Gets or sets the exact pod name, or empty.</summary>
    public string Pod { get; set; } = string.Empty;

    /// <summary>Gets or sets the label selector expressions.</summary>
    public List<string> Selector { get; set; } = [];

    /// <summary>Gets or sets the container name, or empty for the first container.</summary>
    public string ContainerName { get; set; } = string.Empty;

    /// <summary>Gets or sets the reload mode: restart, none or signal:NAME.</summary>
    public string Reload { get; set; } = "restart";

    /// <summary>Gets or sets a value indicating whether the local side only sends.</summary>
    public bool LocalReadOnly { get; set; }

    /// <summary>Gets or sets a value indicating whether the container side only sends.</summary>
    public bool RemoteReadOnly { get; set; }

    /// <summary>Gets or sets the owner asked for (<c>UID</c> or <c>UID:GID</c>), or empty when radar decides.</summary>
    public string Owner { get; set; } = string.Empty;

    /// <summary>Gets or sets the status: <c>not watching</c>, <c>waiting</c>, <c>active</c> or <c>error</c>.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>Gets or sets why, for waiting and error.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Gets or sets where the spec comes from: <c>user</c> (ksync.yaml) or <c>project</c> (the project's spec file).</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets the file the spec comes from, absolute.</summary>
    public string SourcePath { get; set; } = string.Empty;

    /// <summary>Gets or sets one entry per matching container.</summary>
    public List<ServiceView> Services { get; set; } = [];
}
