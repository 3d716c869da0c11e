using KSync.Config.Model;
using YamlDotNet.RepresentationModel;

namespace KSync.Config.Store;

/// <summary>A loaded ksync.yaml: the typed config and the YAML tree it came from (null for a new file).</summary>
/// <param name="Config">The typed config.</param>
/// <param name="Tree">The file's root mapping, holding the keys the typed model does not know.</param>
internal sealed record ConfigDocument(KsyncConfig Config, YamlMappingNode? Tree);
