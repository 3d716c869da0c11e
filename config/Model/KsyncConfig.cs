using KSync.Config.Store;
using YamlDotNet.Serialization;

namespace KSync.Config.Model;

/// <summary>
/// The contents of ksync.yaml. Top-level keys are the original ksync's; other keys the original wrote
/// (<c>daemonset-namespace</c>, <c>docker-root</c>, <c>docker-socket</c>, <c>output</c>, <c>syncthing-port</c>)
/// and any unknown ones are not modelled here but kept by <see cref="ConfigStore"/> across saves.
/// </summary>
[YamlSerializable]
public sealed class KsyncConfig
{
    /// <summary>
    /// Gets or sets the original's fixed syncthing API key. Kept for compatibility only: this version uses a random
    /// key per installation and never reads it.
    /// </summary>
    [YamlMember(Alias = "apikey", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the kubeconfig context to use when <c>--context</c> is not given; empty = current context.</summary>
    [YamlMember(Alias = "context", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public string? Context { get; set; }

    /// <summary>Gets or sets the log level when <c>--log-level</c> is not given.</summary>
    [YamlMember(Alias = "log-level", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public string? LogLevel { get; set; }

    /// <summary>
    /// Gets or sets the original's global namespace. Kept for compatibility; a spec's namespace comes from <c>-n</c>
    /// or the kubeconfig context when it is created, and is stored in the spec.
    /// </summary>
    [YamlMember(Alias = "namespace", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public string? Namespace { get; set; }

    /// <summary>Gets or sets the status server port when <c>--port</c> is not given.</summary>
    [YamlMember(Alias = "port", DefaultValuesHandling = DefaultValuesHandling.OmitNull)]
    public int? Port { get; set; }

    /// <summary>Gets or sets the specs, in file order.</summary>
    [YamlMember(Alias = "spec")]
    public List<SpecDetails> Spec { get; set; } = [];

    /// <summary>Finds a spec by exact name.</summary>
    /// <param name="name">Spec name.</param>
    /// <returns>The spec, or null.</returns>
    public SpecDetails? Find(string name) => Spec.Find(s => s.Name == name);
}
