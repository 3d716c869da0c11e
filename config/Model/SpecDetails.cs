using KSync.Config.Store;
using YamlDotNet.Serialization;

namespace KSync.Config.Model;

/// <summary>
/// One entry of <c>spec:</c> in ksync.yaml: everything needed to sync one local folder with matching containers.
/// Keys are the original ksync's (its Go field names in lower case), so files written by the original load
/// unchanged; keys this version does not know are kept by <see cref="ConfigStore"/> across saves.
/// </summary>
[YamlSerializable]
public sealed class SpecDetails
{
    /// <summary>Gets or sets the spec's unique name (RFC 1123 label, e.g. <c>sunny-husky</c>).</summary>
    [YamlMember(Alias = "name")]
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the container to sync with; empty = the pod's first container.</summary>
    [YamlMember(Alias = "containername")]
    public string ContainerName { get; set; } = string.Empty;

    /// <summary>Gets or sets the exact pod name to match; empty = match by selector only.</summary>
    [YamlMember(Alias = "pod")]
    public string Pod { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the label selector expressions, ANDed (see <see cref="Validation.LabelSelector"/>). Older files
    /// hold a single string here; <see cref="ConfigStore"/> reads that as a one-element list.
    /// </summary>
    [YamlMember(Alias = "selector")]
    public List<string> Selector { get; set; } = [];

    /// <summary>Gets or sets the namespace of the pods.</summary>
    [YamlMember(Alias = "namespace")]
    public string Namespace { get; set; } = "default";

    /// <summary>Gets or sets the absolute local folder.</summary>
    [YamlMember(Alias = "localpath")]
    public string LocalPath { get; set; } = string.Empty;

    /// <summary>Gets or sets the absolute POSIX folder inside the container.</summary>
    [YamlMember(Alias = "remotepath")]
    public string RemotePath { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether containers are reloaded after local changes land (default true).</summary>
    [YamlMember(Alias = "reload")]
    public bool Reload { get; set; } = true;

    /// <summary>
    /// Gets or sets how to reload when <see cref="Reload"/> is true: <c>restart</c> (null means this) or
    /// <c>signal:&lt;NAME&gt;</c>. See <see cref="ReloadMode"/>.
    /// </summary>
    [YamlMember(Alias = "reloadmode", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public string? ReloadMode { get; set; }

    /// <summary>Gets or sets a value indicating whether the local side only sends (local changes never arrive from the container).</summary>
    [YamlMember(Alias = "localreadonly")]
    public bool LocalReadOnly { get; set; }

    /// <summary>Gets or sets a value indicating whether the container side only sends (local edits never go to the container).</summary>
    [YamlMember(Alias = "remotereadonly")]
    public bool RemoteReadOnly { get; set; }

    /// <summary>
    /// Gets or sets the owner (<c>UID</c> or <c>UID:GID</c>, see <see cref="SpecOwner"/>) of what ksync creates in the
    /// container; null lets radar decide (docs/architecture.md, "Files land usable").
    /// </summary>
    [YamlMember(Alias = "owner", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public string? Owner { get; set; }

    /// <summary>Whether every setting except the name is the same as <paramref name="other"/>'s.</summary>
    /// <param name="other">Another spec.</param>
    /// <returns>True when the two would sync the same thing.</returns>
    public bool HasSameDetails(SpecDetails other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ContainerName == other.ContainerName
            && Pod == other.Pod
            && Selector.SequenceEqual(other.Selector)
            && Namespace == other.Namespace
            && LocalPath == other.LocalPath
            && RemotePath == other.RemotePath
            && Reload == other.Reload
            && (ReloadMode ?? "restart") == (other.ReloadMode ?? "restart")
            && LocalReadOnly == other.LocalReadOnly
            && RemoteReadOnly == other.RemoteReadOnly
            && Owner == other.Owner;
    }

    /// <summary>Makes an independent copy (the selector list is copied).</summary>
    /// <returns>The copy.</returns>
    public SpecDetails Clone()
    {
        var copy = (SpecDetails)MemberwiseClone();
        copy.Selector = [.. Selector];
        return copy;
    }
}
